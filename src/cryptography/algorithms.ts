/**
 * What each Key Vault algorithm is: its family, the key type it needs, the hash it signs with and the
 * AES key size. Pure data, no node:crypto, so the client can decide where an operation runs (and
 * refuse a wrong key type) without loading the local engine.
 * @internal
 */
import { createHashError } from "./local/officialLocal.js";

import type { HashName } from "../jose/hashes.js";

export { type HashName, digestLength } from "../jose/hashes.js";

/** The key families an algorithm can need. @internal */
export type KeyFamily = "RSA" | "EC" | "oct";

/** An encryption or key-wrap algorithm, described. @internal */
export type CipherAlgorithm =
  | { kind: "rsa"; padding: "pkcs1" | "oaep"; oaepHash?: "sha1" | "sha256" }
  | { kind: "aes-gcm"; keyBytes: number }
  | { kind: "aes-cbc"; keyBytes: number; padded: boolean }
  | { kind: "aes-kw"; keyBytes?: number; padded: boolean };

/** A signature algorithm, described. @internal */
export type SignatureAlgorithmInfo =
  | { kind: "rsa-pkcs1"; hash: HashName }
  | { kind: "rsa-pss"; hash: HashName }
  | { kind: "rsa-null" }
  | { kind: "ecdsa"; hash: HashName; curve: string }
  | { kind: "hmac"; hash: HashName };

const cipherAlgorithms: Readonly<Record<string, CipherAlgorithm>> = {
  RSA1_5: { kind: "rsa", padding: "pkcs1" },
  "RSA-OAEP": { kind: "rsa", padding: "oaep", oaepHash: "sha1" },
  "RSA-OAEP-256": { kind: "rsa", padding: "oaep", oaepHash: "sha256" },
  A128GCM: { kind: "aes-gcm", keyBytes: 16 },
  A192GCM: { kind: "aes-gcm", keyBytes: 24 },
  A256GCM: { kind: "aes-gcm", keyBytes: 32 },
  A128CBC: { kind: "aes-cbc", keyBytes: 16, padded: false },
  A192CBC: { kind: "aes-cbc", keyBytes: 24, padded: false },
  A256CBC: { kind: "aes-cbc", keyBytes: 32, padded: false },
  A128CBCPAD: { kind: "aes-cbc", keyBytes: 16, padded: true },
  A192CBCPAD: { kind: "aes-cbc", keyBytes: 24, padded: true },
  A256CBCPAD: { kind: "aes-cbc", keyBytes: 32, padded: true },
  A128KW: { kind: "aes-kw", keyBytes: 16, padded: false },
  A192KW: { kind: "aes-kw", keyBytes: 24, padded: false },
  A256KW: { kind: "aes-kw", keyBytes: 32, padded: false },
  // PKCS#11 names of the same wraps; the key size is the key's own.
  CKM_AES_KEY_WRAP: { kind: "aes-kw", padded: false },
  CKM_AES_KEY_WRAP_PAD: { kind: "aes-kw", padded: true },
};

const signatureAlgorithms: Readonly<Record<string, SignatureAlgorithmInfo>> = {
  RS256: { kind: "rsa-pkcs1", hash: "sha256" },
  RS384: { kind: "rsa-pkcs1", hash: "sha384" },
  RS512: { kind: "rsa-pkcs1", hash: "sha512" },
  PS256: { kind: "rsa-pss", hash: "sha256" },
  PS384: { kind: "rsa-pss", hash: "sha384" },
  PS512: { kind: "rsa-pss", hash: "sha512" },
  RSNULL: { kind: "rsa-null" },
  ES256: { kind: "ecdsa", hash: "sha256", curve: "P-256" },
  ES384: { kind: "ecdsa", hash: "sha384", curve: "P-384" },
  ES512: { kind: "ecdsa", hash: "sha512", curve: "P-521" },
  ES256K: { kind: "ecdsa", hash: "sha256", curve: "P-256K" },
  HS256: { kind: "hmac", hash: "sha256" },
  HS384: { kind: "hmac", hash: "sha384" },
  HS512: { kind: "hmac", hash: "sha512" },
};

/** The description of an encryption or key-wrap algorithm; `undefined` for one this client does not know. @internal */
export function cipherAlgorithm(name: string): CipherAlgorithm | undefined {
  return Object.prototype.hasOwnProperty.call(cipherAlgorithms, name) ? cipherAlgorithms[name] : undefined;
}

/** The description of a signature algorithm; `undefined` for one this client does not know. @internal */
export function signatureAlgorithm(name: string): SignatureAlgorithmInfo | undefined {
  return Object.prototype.hasOwnProperty.call(signatureAlgorithms, name) ? signatureAlgorithms[name] : undefined;
}

/** The key family an algorithm needs. @internal */
export function keyFamilyOf(info: CipherAlgorithm | SignatureAlgorithmInfo): KeyFamily {
  switch (info.kind) {
    case "rsa":
    case "rsa-pkcs1":
    case "rsa-pss":
    case "rsa-null":
      return "RSA";
    case "ecdsa":
      return "EC";
    default:
      return "oct";
  }
}

/** The family of a key type (`RSA-HSM` is RSA, ...); `undefined` for a type this client does not know. @internal */
export function keyFamilyOfKeyType(kty: string | undefined): KeyFamily | undefined {
  switch (kty) {
    case "RSA":
    case "RSA-HSM":
      return "RSA";
    case "EC":
    case "EC-HSM":
      return "EC";
    case "oct":
    case "oct-HSM":
      return "oct";
    default:
      return undefined;
  }
}

/** The hash `signData` and `verifyData` apply before signing; `undefined` when the algorithm has none (RSNULL). @internal */
export function dataHashOf(info: SignatureAlgorithmInfo): HashName | undefined {
  return info.kind === "rsa-null" ? undefined : info.hash;
}

/**
 * The hash of a signature algorithm for signData and verifyData, or the official client's Error for an
 * algorithm it has no hash for (RSNULL, or a name this client does not know).
 * @internal
 */
export function dataHashFor(algorithm: string): HashName {
  const info = signatureAlgorithm(algorithm);
  const hash = info ? dataHashOf(info) : undefined;
  if (!hash) throw createHashError(algorithm);
  return hash;
}
