/**
 * RSA signatures over a digest the caller computed, as Key Vault's sign and verify take them: RS256/384/512
 * (PKCS#1 v1.5 over the DigestInfo), PS256/384/512 (see `pss.ts`) and RSNULL (PKCS#1 v1.5 over the bytes as
 * given). The padding of RS* and RSNULL is OpenSSL's (privateEncrypt and publicDecrypt with PKCS#1 type 1).
 * @internal
 */
import { type KeyObject, constants, privateEncrypt, publicDecrypt, timingSafeEqual } from "node:crypto";
import { digestInfo } from "./digestInfo.js";
import type { HashName } from "./hashes.js";
import { pssSignDigest, pssVerifyDigest } from "./pss.js";

/** The three RSA signature schemes: PKCS#1 v1.5 with a DigestInfo, PSS, and PKCS#1 v1.5 of raw bytes. @internal */
export type RsaSignatureScheme = "pkcs1" | "pss" | "none";

/** The keys one RSA signature needs: the private key, and for PSS the RSASSA-PSS form of it. @internal */
export interface RsaSigningKeys {
  privateKey: KeyObject;
  /** The key of `pssSigningKey(privateKey, hash)`; asked only for PSS. */
  pssKey(hash: HashName): KeyObject;
}

/** Signs a digest (for `none`, any bytes that fit). @internal */
export function rsaSignDigest(
  keys: RsaSigningKeys,
  scheme: RsaSignatureScheme,
  hash: HashName | undefined,
  digest: Uint8Array,
): Buffer {
  if (scheme === "pss") return pssSignDigest(keys.pssKey(hashOf(scheme, hash)), digest);
  const payload = scheme === "pkcs1" ? digestInfo(hashOf(scheme, hash), digest) : digest;
  return privateEncrypt({ key: keys.privateKey, padding: constants.RSA_PKCS1_PADDING }, payload);
}

/** Verifies a signature over a digest; false on any mismatch. @internal */
export function rsaVerifyDigest(
  publicKey: KeyObject,
  scheme: RsaSignatureScheme,
  hash: HashName | undefined,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (signature.length !== Math.ceil(bits / 8)) return false;
  if (scheme === "pss") return pssVerifyDigest(publicKey, bits, hashOf(scheme, hash), digest, signature);
  const expected = scheme === "pkcs1" ? digestInfo(hashOf(scheme, hash), digest) : Buffer.from(digest);
  try {
    const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    return recovered.length === expected.length && timingSafeEqual(recovered, expected);
  } catch {
    return false; // not a signature of this key (bad padding, a value above the modulus)
  }
}

function hashOf(scheme: RsaSignatureScheme, hash: HashName | undefined): HashName {
  if (hash === undefined) throw new Error(`The RSA signature scheme ${scheme} needs a hash.`);
  return hash;
}
