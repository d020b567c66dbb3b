/**
 * RSA1_5 (RSAES-PKCS1-v1_5) decryption with implicit rejection, for the emulator, which must answer
 * RSA1_5 decrypt and unwrapKey as the service does. A ciphertext whose block is not valid PKCS#1 v1.5
 * does not fail: it decrypts to a pseudo-random message derived from the private key and the
 * ciphertext (the same ciphertext always gives the same message), so no answer tells a valid block from
 * an invalid one, which is what a padding oracle needs (Bleichenbacher). This is the scheme of the CFRG
 * RSA guidance draft (draft-irtf-cfrg-rsa-guidance) that OpenSSL 3.2 and later apply in their own
 * PKCS#1 v1.5 decryption.
 *
 * When node:crypto can decrypt PKCS#1 v1.5 itself (its OpenSSL does implicit rejection), it does.
 * Node 20's OpenSSL 3.0 cannot, so node refuses (CVE-2023-46809); then the raw RSA operation is
 * OpenSSL's (RSA_NO_PADDING, blinded) and the rejection logic below runs, scanning every byte whatever
 * the block holds and choosing the answer with masks rather than branches.
 * @internal
 */
import { type KeyObject, constants, createHash, createHmac, privateDecrypt } from "node:crypto";

/** Decrypts an RSA1_5 ciphertext of the modulus's length. `d` is the private exponent's bytes. @internal */
export function rsaPkcs1Decrypt(privateKey: KeyObject, d: Uint8Array, ciphertext: Uint8Array): Buffer {
  try {
    return privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, ciphertext);
  } catch {
    // Node's refusal (ERR_INVALID_ARG_VALUE), or, under --security-revert=CVE-2023-46809, OpenSSL 3.0
    // rejecting the padding: either way the answer comes from the implicit rejection below. A value
    // above the modulus fails in the raw decryption, which says nothing about the padding.
  }
  const block = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, ciphertext);
  return implicitRejection(block, d, ciphertext);
}

/** The message of an EME-PKCS1-v1_5 block, or the synthetic message when the block is not one. */
function implicitRejection(em: Uint8Array, d: Uint8Array, ciphertext: Uint8Array): Buffer {
  const k = em.length;
  const kdk = keyDerivationKey(d, ciphertext, k);
  const synthetic = prf(kdk, "message", k);
  const syntheticLength = syntheticMessageLength(prf(kdk, "length", 256), k - 2 - 8);

  // 00 02 PS 00 M, with at least 8 nonzero bytes of PS: every byte is looked at, in order.
  let good = isZero(em[0] ?? 0) & isZero((em[1] ?? 0) ^ 2);
  let separator = 0;
  let found = 0;
  for (let i = 2; i < k; i++) {
    const zero = isZero(em[i] ?? 0);
    separator = select(zero & (found ^ 1), i, separator);
    found |= zero;
  }
  good &= found & lessThan(9, separator); // separator >= 10
  const realLength = k - separator - 1;
  const length = select(good, realLength, syntheticLength);
  const out = Buffer.alloc(k);
  for (let i = 0; i < k; i++) out[i] = select(good, em[i] ?? 0, synthetic[i] ?? 0);
  return Buffer.from(out.subarray(k - length));
}

/** KDK = HMAC-SHA256(SHA-256(d as k bytes), C as k bytes). */
function keyDerivationKey(d: Uint8Array, ciphertext: Uint8Array, k: number): Buffer {
  const exponent = Buffer.alloc(k);
  exponent.set(d.subarray(Math.max(0, d.length - k)), Math.max(0, k - d.length));
  const c = Buffer.alloc(k);
  c.set(ciphertext.subarray(Math.max(0, ciphertext.length - k)), Math.max(0, k - ciphertext.length));
  return createHmac("sha256", createHash("sha256").update(exponent).digest()).update(c).digest();
}

/** The PRF of the draft: HMAC-SHA256(KDK, i || label || bit length), i = 0, 1, ..., cut to `bytes`. */
function prf(kdk: Buffer, label: string, bytes: number): Buffer {
  const bits = Buffer.alloc(2);
  bits.writeUInt16BE((bytes * 8) & 0xffff);
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(2);
  for (let i = 0; i * 32 < bytes; i++) {
    counter.writeUInt16BE(i);
    blocks.push(createHmac("sha256", kdk).update(counter).update(label).update(bits).digest());
  }
  return Buffer.concat(blocks).subarray(0, bytes);
}

/** The last of 128 masked 16-bit candidates that is below `maximum` (0 if none is). */
function syntheticMessageLength(candidates: Buffer, maximum: number): number {
  let mask = maximum;
  for (const shift of [1, 2, 4, 8]) mask |= mask >> shift;
  let length = 0;
  for (let i = 0; i + 1 < candidates.length; i += 2) {
    const candidate = (((candidates[i] ?? 0) << 8) | (candidates[i + 1] ?? 0)) & mask;
    length = select(lessThan(candidate, maximum), candidate, length);
  }
  return length;
}

/** 1 when `value` (a byte or small integer) is 0, else 0; no branch. */
function isZero(value: number): number {
  return ((value | -value) >>> 31) ^ 1;
}

/** 1 when a < b for non-negative 31-bit integers, else 0; no branch. */
function lessThan(a: number, b: number): number {
  return ((a - b) >>> 31) & 1;
}

/** `a` when bit is 1, `b` when 0; no branch. */
function select(bit: number, a: number, b: number): number {
  const mask = -bit;
  return (a & mask) | (b & ~mask);
}
