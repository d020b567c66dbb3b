import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { HashName } from "../algorithms.js";

/*
 * Symmetric cryptography with an oct key: AES-GCM (12-byte iv, 16-byte tag), AES-CBC with and
 * without PKCS#7 padding, AES key wrap (RFC 3394, and RFC 5649 with padding), and HMAC.
 */

const DEFAULT_KW_IV = Buffer.from("a6a6a6a6a6a6a6a6", "hex"); // RFC 3394, 2.2.3.1
const DEFAULT_KWP_IV = Buffer.from("a65959a6", "hex"); // RFC 5649, 3

type AesBits = 128 | 192 | 256;

function bitsOf(key: Uint8Array): AesBits {
  const bits = key.length * 8;
  if (bits !== 128 && bits !== 192 && bits !== 256)
    throw new Error(`An AES key is 128, 192 or 256 bits; this one has ${bits}.`);
  return bits;
}

/** AES-GCM encryption with a random 12-byte iv unless one is given. @internal */
export function gcmEncrypt(
  key: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array | undefined,
  iv: Uint8Array = randomBytes(12),
) {
  const cipher = createCipheriv(`aes-${bitsOf(key)}-gcm`, key, iv, { authTagLength: 16 });
  if (aad) cipher.setAAD(aad);
  const result = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { result, iv: Buffer.from(iv), authenticationTag: cipher.getAuthTag() };
}

/** AES-GCM decryption; fails when the tag does not authenticate the ciphertext and aad. @internal */
export function gcmDecrypt(
  key: Uint8Array,
  ciphertext: Uint8Array,
  iv: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array | undefined,
): Buffer {
  const decipher = createDecipheriv(`aes-${bitsOf(key)}-gcm`, key, iv, { authTagLength: tag.length });
  decipher.setAuthTag(tag);
  if (aad) decipher.setAAD(aad);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new Error(
      "AES-GCM decryption failed: the authentication tag does not match (wrong key, iv, tag or additional data).",
    );
  }
}

/** AES-CBC; `padded` is the CBCPAD variant (PKCS#7). A random 16-byte iv is made when absent. @internal */
export function cbcEncrypt(key: Uint8Array, plaintext: Uint8Array, padded: boolean, iv: Uint8Array = randomBytes(16)) {
  const cipher = createCipheriv(`aes-${bitsOf(key)}-cbc`, key, iv);
  cipher.setAutoPadding(padded);
  return { result: Buffer.concat([cipher.update(plaintext), cipher.final()]), iv: Buffer.from(iv) };
}

/** AES-CBC decryption. @internal */
export function cbcDecrypt(key: Uint8Array, ciphertext: Uint8Array, padded: boolean, iv: Uint8Array): Buffer {
  const decipher = createDecipheriv(`aes-${bitsOf(key)}-cbc`, key, iv);
  decipher.setAutoPadding(padded);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new Error("AES-CBC decryption failed: bad padding (wrong key or iv).");
  }
}

/** AES key wrap (RFC 3394) or, `padded`, with padding (RFC 5649). @internal */
export function aesWrap(key: Uint8Array, keyToWrap: Uint8Array, padded: boolean): Buffer {
  const bits = bitsOf(key);
  const cipher = padded
    ? createCipheriv(`id-aes${bits}-wrap-pad`, key, DEFAULT_KWP_IV)
    : createCipheriv(`id-aes${bits}-wrap`, key, DEFAULT_KW_IV);
  return Buffer.concat([cipher.update(keyToWrap), cipher.final()]);
}

/** AES key unwrap; fails when the integrity check does not hold. @internal */
export function aesUnwrap(key: Uint8Array, wrapped: Uint8Array, padded: boolean): Buffer {
  const bits = bitsOf(key);
  const decipher = padded
    ? createDecipheriv(`id-aes${bits}-wrap-pad`, key, DEFAULT_KWP_IV)
    : createDecipheriv(`id-aes${bits}-wrap`, key, DEFAULT_KW_IV);
  try {
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch {
    throw new Error("AES key unwrap failed: the integrity check does not hold (wrong key or corrupted data).");
  }
}

/** HMAC of a digest (HS256/384/512). @internal */
export function hmacSign(key: Uint8Array, hash: HashName, digest: Uint8Array): Buffer {
  return createHmac(hash, key).update(digest).digest();
}

/** Compares an HMAC in constant time. @internal */
export function hmacVerify(key: Uint8Array, hash: HashName, digest: Uint8Array, signature: Uint8Array): boolean {
  const expected = hmacSign(key, hash, digest);
  return expected.length === signature.length && timingSafeEqual(expected, signature);
}
