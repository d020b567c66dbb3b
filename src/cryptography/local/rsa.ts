import { constants, privateDecrypt, publicEncrypt, verify } from "node:crypto";
import { type RsaSignatureScheme, rsaSignDigest, rsaVerifyDigest } from "../../jose/rsaSignatures.js";
import type { HashName } from "../algorithms.js";
import { digestLength } from "../algorithms.js";
import type { JwkKeyObjects } from "./jwkKeyObjects.js";

/*
 * RSA with node:crypto: OpenSSL does every padding. Digest signatures (Key Vault's sign and verify take a
 * digest) are the shared ones of jose/rsaSignatures.ts. Public-key operations refuse weak keys first.
 * RSA1_5 decryption is not done here at all (see rsaDecrypt).
 */

/** RSA encryption padding of one algorithm. @internal */
export interface RsaPadding {
  padding: "pkcs1" | "oaep";
  oaepHash?: "sha1" | "sha256";
}

/** Encrypts (or wraps) with the public key; refuses a weak key. @internal */
export function rsaEncrypt(keys: JwkKeyObjects, padding: RsaPadding, plaintext: Uint8Array): Buffer {
  keys.assertStrongRsaKey();
  if (padding.padding === "pkcs1")
    return publicEncrypt({ key: keys.public(), padding: constants.RSA_PKCS1_PADDING }, plaintext);
  return publicEncrypt(
    { key: keys.public(), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: padding.oaepHash ?? "sha1" },
    plaintext,
  );
}

/**
 * Decrypts (or unwraps) RSA-OAEP and RSA-OAEP-256 with the private key. RSA1_5 is refused, as the
 * official client refuses it: PKCS#1 v1.5 decryption that says whether the padding was right is a
 * padding oracle (Bleichenbacher), node:crypto on Node 20 will not do it (CVE-2023-46809), and
 * JavaScript cannot check the padding in constant time. A client with a vault sends it there.
 * @internal
 */
export function rsaDecrypt(
  keys: JwkKeyObjects,
  padding: RsaPadding,
  ciphertext: Uint8Array,
  operation: "decrypt" | "unwrapKey" = "decrypt",
): Buffer {
  if (padding.padding === "pkcs1") throw rsa15DecryptionRefused(operation);
  return privateDecrypt(
    { key: keys.private(), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: padding.oaepHash ?? "sha1" },
    ciphertext,
  );
}

/** The refusal of local RSA1_5 decryption: the same for every ciphertext, valid or not. */
function rsa15DecryptionRefused(operation: "decrypt" | "unwrapKey"): Error {
  return new Error(
    `Unable to support operation: "${operation}" with algorithm: "RSA1_5" using a local JsonWebKey: ` +
      "RSA1_5 decryption needs the vault (done locally it would be a padding oracle). Use a CryptographyClient " +
      "for the key in its vault, or RSA-OAEP-256.",
  );
}

/** Signs a digest (RS*, PS*, RSNULL) with the private key. @internal */
export function rsaSign(
  keys: JwkKeyObjects,
  scheme: RsaSignatureScheme,
  hash: HashName | undefined,
  digest: Uint8Array,
): Buffer {
  return rsaSignDigest({ privateKey: keys.private(), pssKey: (h) => keys.pssKey(h) }, scheme, hash, digest);
}

/** Verifies a signature over a digest with the public key; false on any mismatch; refuses a weak key. @internal */
export function rsaVerify(
  keys: JwkKeyObjects,
  scheme: RsaSignatureScheme,
  hash: HashName | undefined,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  keys.assertStrongRsaKey();
  return rsaVerifyDigest(keys.public(), scheme, hash, digest, signature);
}

/** Verifies a signature over data (node:crypto hashes it); refuses a weak key. @internal */
export function rsaVerifyData(
  keys: JwkKeyObjects,
  scheme: "pkcs1" | "pss",
  hash: HashName,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  keys.assertStrongRsaKey();
  const padding = scheme === "pss" ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
  try {
    return verify(hash, data, { key: keys.public(), padding, saltLength: digestLength[hash] }, signature);
  } catch {
    return false;
  }
}
