import {
  constants,
  createHash,
  privateDecrypt,
  privateEncrypt,
  publicDecrypt,
  publicEncrypt,
  randomBytes,
  timingSafeEqual,
  verify,
} from "node:crypto";
import type { HashName } from "./algorithms.js";
import { digestLength } from "./algorithms.js";
import type { JwkKeyObjects } from "./jwkKeyObjects.js";

/*
 * RSA with node:crypto. node:crypto signs and verifies messages (it hashes them itself) while Key Vault's
 * sign and verify take a digest, so digest signatures are built from the raw RSA operations: PKCS#1 v1.5
 * as DigestInfo || digest through the PKCS#1 type-1 padding, PSS as EMSA-PSS (RFC 8017, 9.1) through
 * RSA_NO_PADDING, with the salt as long as the digest (what Key Vault uses).
 */

/** DER prefixes of DigestInfo for each hash (RFC 8017, 9.2, note 1). */
const digestInfoPrefix: Readonly<Record<HashName, Buffer>> = {
  sha256: Buffer.from("3031300d060960864801650304020105000420", "hex"),
  sha384: Buffer.from("3041300d060960864801650304020205000430", "hex"),
  sha512: Buffer.from("3051300d060960864801650304020305000440", "hex"),
};

/** RSA encryption padding of one algorithm. @internal */
export interface RsaPadding {
  padding: "pkcs1" | "oaep";
  oaepHash?: "sha1" | "sha256";
}

/** Encrypts (or wraps) with the public key. @internal */
export function rsaEncrypt(keys: JwkKeyObjects, padding: RsaPadding, plaintext: Uint8Array): Buffer {
  if (padding.padding === "pkcs1")
    return publicEncrypt({ key: keys.public(), padding: constants.RSA_PKCS1_PADDING }, plaintext);
  return publicEncrypt(
    { key: keys.public(), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: padding.oaepHash ?? "sha1" },
    plaintext,
  );
}

/** Decrypts (or unwraps) with the private key. @internal */
export function rsaDecrypt(keys: JwkKeyObjects, padding: RsaPadding, ciphertext: Uint8Array): Buffer {
  if (padding.padding === "oaep") {
    return privateDecrypt(
      { key: keys.private(), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: padding.oaepHash ?? "sha1" },
      ciphertext,
    );
  }
  try {
    return privateDecrypt({ key: keys.private(), padding: constants.RSA_PKCS1_PADDING }, ciphertext);
  } catch (error) {
    // Node 20 refuses PKCS#1 v1.5 private decryption unless OpenSSL does implicit rejection
    // (CVE-2023-46809, https://nodejs.org/en/blog/vulnerability/february-2024-security-releases).
    if ((error as { code?: unknown }).code !== "ERR_INVALID_ARG_VALUE") throw rsa15DecryptionFailed();
  }
  let block: Buffer;
  try {
    block = privateDecrypt({ key: keys.private(), padding: constants.RSA_NO_PADDING }, ciphertext);
  } catch {
    // A ciphertext that is no valid RSA block for this key (too large for the modulus, say) fails with
    // the same message as a bad padding: no error should tell an attacker more than "it did not decrypt".
    throw rsa15DecryptionFailed();
  }
  return removePkcs1EncryptionPadding(block);
}

function rsa15DecryptionFailed(): Error {
  return new Error("RSA1_5 decryption failed: the ciphertext does not match the key.");
}

/**
 * Removes EME-PKCS1-v1_5 padding (RFC 8017, 7.2.2): `00 02 PS 00 M` with at least 8 nonzero PS bytes.
 * Scans the whole block whatever it holds and fails with one message, so the time and the error do
 * not say where the padding went wrong.
 * @internal
 */
export function removePkcs1EncryptionPadding(em: Uint8Array): Buffer {
  let separator = 0;
  let found = 0;
  for (let i = 2; i < em.length; i++) {
    const isZero = em[i] === 0 ? 1 : 0;
    const first = isZero & (found ^ 1);
    separator |= first * i;
    found |= isZero;
  }
  const good = (em[0] === 0 ? 1 : 0) & (em[1] === 2 ? 1 : 0) & found & (separator >= 10 ? 1 : 0);
  if (!good) throw rsa15DecryptionFailed();
  return Buffer.from(em.subarray(separator + 1));
}

/** Signs a digest (RS*, PS*, RSNULL) with the private key. @internal */
export function rsaSignDigest(
  keys: JwkKeyObjects,
  scheme: "pkcs1" | "pss" | "none",
  hash: HashName | undefined,
  digest: Uint8Array,
): Buffer {
  if (scheme === "pss") {
    const bits = keys.rsaModulusBits();
    const em = emsaPssEncode(hash ?? "sha256", digest, bits - 1);
    const block = Buffer.alloc(Math.ceil(bits / 8));
    block.set(em, block.length - em.length);
    return privateEncrypt({ key: keys.private(), padding: constants.RSA_NO_PADDING }, block);
  }
  const payload = scheme === "pkcs1" && hash ? Buffer.concat([digestInfoPrefix[hash], digest]) : Buffer.from(digest);
  return privateEncrypt({ key: keys.private(), padding: constants.RSA_PKCS1_PADDING }, payload);
}

/** Verifies a signature over a digest with the public key; false on any mismatch. @internal */
export function rsaVerifyDigest(
  keys: JwkKeyObjects,
  scheme: "pkcs1" | "pss" | "none",
  hash: HashName | undefined,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const bits = keys.rsaModulusBits();
  if (signature.length !== Math.ceil(bits / 8)) return false;
  try {
    if (scheme === "pss") {
      const m = publicDecrypt({ key: keys.public(), padding: constants.RSA_NO_PADDING }, signature);
      const emLength = Math.ceil((bits - 1) / 8);
      if (m.length - emLength > 0 && m.subarray(0, m.length - emLength).some((b) => b !== 0)) return false;
      return emsaPssVerify(hash ?? "sha256", digest, m.subarray(m.length - emLength), bits - 1);
    }
    const expected = scheme === "pkcs1" && hash ? Buffer.concat([digestInfoPrefix[hash], digest]) : Buffer.from(digest);
    const recovered = publicDecrypt({ key: keys.public(), padding: constants.RSA_PKCS1_PADDING }, signature);
    return recovered.length === expected.length && timingSafeEqual(recovered, expected);
  } catch {
    return false; // not a signature of this key (bad padding, value >= n)
  }
}

/** Verifies a signature over data: node:crypto hashes it. @internal */
export function rsaVerifyData(
  keys: JwkKeyObjects,
  scheme: "pkcs1" | "pss",
  hash: HashName,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const padding = scheme === "pss" ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
  try {
    return verify(hash, data, { key: keys.public(), padding, saltLength: digestLength[hash] }, signature);
  } catch {
    return false;
  }
}

function mgf1(hash: HashName, seed: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let i = 0, produced = 0; produced < length; i++) {
    counter.writeUInt32BE(i);
    const block = createHash(hash).update(seed).update(counter).digest();
    blocks.push(block);
    produced += block.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** EMSA-PSS-ENCODE (RFC 8017, 9.1.1) with a random salt of the digest's length. */
function emsaPssEncode(hash: HashName, digest: Uint8Array, emBits: number): Buffer {
  const hLen = digestLength[hash];
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (emLen < hLen + sLen + 2) throw new Error("The RSA key is too small for this PSS algorithm.");
  const salt = randomBytes(sLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.alloc(emLen - hLen - 1);
  db[emLen - sLen - hLen - 2] = 0x01;
  db.set(salt, emLen - sLen - hLen - 1);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** EMSA-PSS-VERIFY (RFC 8017, 9.1.2) with the salt as long as the digest. */
function emsaPssVerify(hash: HashName, digest: Uint8Array, em: Uint8Array, emBits: number): boolean {
  const hLen = digestLength[hash];
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topBits = 0xff >> (8 * emLen - emBits);
  if (((maskedDb[0] ?? 0) & ~topBits) !== 0) return false;
  const mask = mgf1(hash, h, maskedDb.length);
  const db = Buffer.alloc(maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = (maskedDb[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & topBits;
  const zeros = emLen - hLen - sLen - 2;
  for (let i = 0; i < zeros; i++) if (db[i] !== 0) return false;
  if (db[zeros] !== 0x01) return false;
  const salt = db.subarray(db.length - sLen);
  const expected = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return timingSafeEqual(expected, h);
}
