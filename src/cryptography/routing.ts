import type { JsonWebKeyFields } from "../models/jsonWebKey.js";
import {
  type CipherAlgorithm,
  type SignatureAlgorithmInfo,
  cipherAlgorithm,
  signatureAlgorithm,
} from "./algorithms.js";
import {
  type CryptographyOperation,
  assertKeyFitsAlgorithm,
  hasPrivateMaterial,
  hasPublicMaterial,
} from "./keyChecks.js";
import { localRefusal } from "./local/officialLocal.js";

/**
 * Where an operation runs:
 * - `local` mode (a client made from a JsonWebKey, no vault): everything runs locally, or fails with
 *   an error that says why;
 * - `hybrid` mode (the public key is known): public-key operations (RSA encrypt and wrap, RSA and EC
 *   verify) run locally, everything else goes to the vault;
 * - `remote` mode (no key material, e.g. no keys/get permission): everything goes to the vault.
 * @internal
 */
export type KeyMode = "local" | "hybrid" | "remote";

const cipherOperations: ReadonlySet<CryptographyOperation> = new Set(["encrypt", "decrypt", "wrapKey", "unwrapKey"]);

/** The description of `algorithm` for `operation`, when the operation can use it. @internal */
export function describeAlgorithm(
  operation: CryptographyOperation,
  algorithm: string,
): CipherAlgorithm | SignatureAlgorithmInfo | undefined {
  if (cipherOperations.has(operation)) {
    const info = cipherAlgorithm(algorithm);
    if (!info) return undefined;
    const wraps = operation === "wrapKey" || operation === "unwrapKey";
    if (info.kind === "rsa") return info;
    if (wraps) return info.kind === "aes-kw" ? info : undefined;
    return info.kind === "aes-kw" ? undefined : info;
  }
  return signatureAlgorithm(algorithm);
}

function isPublicKeyOperation(
  operation: CryptographyOperation,
  info: CipherAlgorithm | SignatureAlgorithmInfo,
): boolean {
  switch (operation) {
    case "encrypt":
    case "wrapKey":
      return info.kind === "rsa";
    case "verify":
    case "verifyData":
      return info.kind === "rsa-pkcs1" || info.kind === "rsa-pss" || info.kind === "rsa-null" || info.kind === "ecdsa";
    default:
      return false;
  }
}

/**
 * Decides where one operation runs, and refuses (TypeError) an algorithm the key cannot serve before
 * any request. A local-only client refuses what it cannot do with the error the official client throws
 * there (officialLocal.ts): `Unable to support operation: "<op>" with algorithm: "<alg>" using a local
 * JsonWebKey` for most cases, before any check of the parameters or the key's size.
 * @internal
 */
export function chooseRoute(
  mode: KeyMode,
  operation: CryptographyOperation,
  algorithm: string,
  jwk: JsonWebKeyFields | undefined,
): "local" | "remote" {
  if (mode === "remote" || jwk === undefined) {
    if (mode === "local") throw new Error(`Cannot ${operation} locally: the client has no key material.`);
    return "remote";
  }
  const info = describeAlgorithm(operation, algorithm);
  if (mode === "hybrid") {
    if (info) assertKeyFitsAlgorithm(jwk, algorithm, info);
    return info && isPublicKeyOperation(operation, info) && hasPublicMaterial(jwk) ? "local" : "remote";
  }
  try {
    if (!info || ((operation === "signData" || operation === "verifyData") && info.kind === "rsa-null")) {
      throw new Error(`Cannot ${operation} locally with ${algorithm}: no such ${operation} algorithm.`);
    }
    assertKeyFitsAlgorithm(jwk, algorithm, info);
    const ok = isPublicKeyOperation(operation, info)
      ? hasPublicMaterial(jwk) || hasPrivateMaterial(jwk)
      : hasPrivateMaterial(jwk);
    if (!ok) {
      const needs = isPublicKeyOperation(operation, info)
        ? "its public part"
        : jwk.kty?.startsWith("oct")
          ? "the symmetric key (k)"
          : "its private part (d, and p, q, dp, dq, qi for RSA)";
      throw new Error(`Cannot ${operation} locally with ${algorithm}: the ${jwk.kty} JsonWebKey lacks ${needs}.`);
    }
  } catch (ours) {
    // Where the official client refuses too, with its words; where it does what ours refuses, ours.
    throw localRefusal(operation, algorithm, jwk) ?? ours;
  }
  return "local";
}
