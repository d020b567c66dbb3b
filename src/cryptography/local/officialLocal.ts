import type { JsonWebKeyFields } from "../../models/jsonWebKey.js";
import type { CryptographyOperation } from "../keyChecks.js";

/*
 * What `@azure/keyvault-keys` does locally, written down so that ours fails (and shapes its results) as
 * it does where ours cannot do more. Its local providers: RSA (RSA1_5, RSA-OAEP, RS*, PS* for encrypt,
 * wrapKey and verifyData, with the public key) and AES (A*CBCPAD encrypt and decrypt, with `k`). Ours
 * runs every operation the key material allows; where it cannot, a local-only client throws the
 * official client's error for that case.
 */

const rsaAlgorithms = new Set(["RSA1_5", "RSA-OAEP", "PS256", "RS256", "PS384", "RS384", "PS512", "RS512"]);
const rsaOperations = new Set<CryptographyOperation>(["encrypt", "wrapKey", "verifyData"]);
const aesKeyBytes: Readonly<Record<string, number>> = { A128CBCPAD: 16, A192CBCPAD: 24, A256CBCPAD: 32 };

/** The algorithms the official client can hash data for (signData, verifyData), in its order. */
const signatureHashes = new Set([
  "ES256",
  "ES256K",
  "PS256",
  "RS256",
  "ES384",
  "PS384",
  "RS384",
  "ES512",
  "PS512",
  "RS512",
]);

/**
 * The official client's error for data it cannot hash (signData or verifyData with an algorithm that has no
 * hash it knows, RSNULL or HS256 for instance). @internal
 */
export function createHashError(algorithm: string): Error {
  return new Error(
    `Invalid algorithm ${algorithm} passed to createHash. Supported algorithms: ${[...signatureHashes].join(", ")}`,
  );
}

/** Which of the official client's local providers takes this operation, if one does. @internal */
export function officialLocalProvider(
  operation: CryptographyOperation,
  algorithm: string,
  jwk: JsonWebKeyFields,
): "rsa" | "aes" | undefined {
  if (rsaAlgorithms.has(algorithm) && rsaOperations.has(operation)) return "rsa";
  if (jwk.k && Object.prototype.hasOwnProperty.call(aesKeyBytes, algorithm)) {
    if (operation === "encrypt" || operation === "decrypt") return "aes";
  }
  return undefined;
}

/**
 * The error of a local-only client for an operation it cannot do with its key, as the official client
 * words it: `Unable to support operation: "<op>" with algorithm: "<alg>" using a local JsonWebKey`, or
 * the check of the official provider that takes the operation (a key of another type, an AES key too
 * short, an RSA verifyData with an encryption algorithm). `undefined` for the cases the official client
 * runs and ours refuses: an AES-CBC key longer than the algorithm's (the official uses its first bytes),
 * and RSA encrypt or wrapKey with a signature algorithm (the official encrypts with RSA-OAEP).
 * @internal
 */
export function localRefusal(
  operation: CryptographyOperation,
  algorithm: string,
  jwk: JsonWebKeyFields,
): Error | undefined {
  const kty = jwk.kty?.toUpperCase();
  switch (officialLocalProvider(operation, algorithm, jwk)) {
    case "rsa":
      if (kty !== "RSA" && kty !== "RSA-HSM") return new Error("Key type does not match the algorithm RSA");
      return operation === "verifyData" && !signatureHashes.has(algorithm) ? createHashError(algorithm) : undefined;
    case "aes": {
      if (kty !== "OCT" && kty !== "OCT-HSM") return new Error("Key type does not match the key type oct or oct-hsm");
      // The official provider takes it only with `k` and a CBCPAD algorithm (officialLocalProvider).
      const bytes = aesKeyBytes[algorithm] ?? 0;
      return (jwk.k?.length ?? 0) < bytes ? new Error(`Key must be at least ${bytes << 3} bits`) : undefined;
    }
    default:
      return new Error(
        `Unable to support operation: "${operation}" with algorithm: "${algorithm}" using a local JsonWebKey`,
      );
  }
}
