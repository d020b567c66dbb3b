/**
 * RSASSA-PSS over a digest the caller computed, with MGF1 of the same hash and a salt as long as the
 * digest: how Key Vault signs PS256/384/512, and what it accepts.
 *
 * Signing goes through OpenSSL: node:crypto's privateEncrypt applies PSS padding to the given digest when
 * the key is an RSASSA-PSS key restricted to one hash (an ordinary RSA key would get SHA-1), so the RSA
 * key is re-wrapped as one (PKCS#8 with the RSASSA-PSS-params of RFC 8017, A.2.3). Verifying has no such
 * door in node:crypto (PSS has no "verify recover"), so the check of EMSA-PSS-VERIFY (RFC 8017, 9.1.2)
 * runs here, on public values only: the signature, the digest and the public key's raw RSA result.
 * @internal
 */
import {
  type KeyObject,
  constants,
  createHash,
  createPrivateKey,
  privateEncrypt,
  publicDecrypt,
  timingSafeEqual,
} from "node:crypto";
import { derExplicit, derNull, derObjectIdentifier, derOctetString, derSequence, derSmallInteger } from "./der.js";
import { type HashName, digestLength } from "./hashes.js";

const hashOid: Readonly<Record<HashName, string>> = {
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
};
const rsassaPssOid = "1.2.840.113549.1.1.10";
const mgf1Oid = "1.2.840.113549.1.1.8";

/**
 * The RSASSA-PSS private key node:crypto signs a `hash` digest with: the same RSA key, restricted to
 * `hash`, MGF1 with `hash`, and a salt of the digest's length.
 * @internal
 */
export function pssSigningKey(rsaPrivateKey: KeyObject, hash: HashName): KeyObject {
  const hashAlgorithm = derSequence(derObjectIdentifier(hashOid[hash]), derNull());
  const parameters = derSequence(
    derExplicit(0, hashAlgorithm),
    derExplicit(1, derSequence(derObjectIdentifier(mgf1Oid), hashAlgorithm)),
    derExplicit(2, derSmallInteger(digestLength[hash])),
  );
  const pkcs1 = rsaPrivateKey.export({ format: "der", type: "pkcs1" });
  const pkcs8 = derSequence(
    derSmallInteger(0),
    derSequence(derObjectIdentifier(rsassaPssOid), parameters),
    derOctetString(pkcs1),
  );
  return createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
}

/** Signs a `hash` digest with a key from {@link pssSigningKey}. @internal */
export function pssSignDigest(signingKey: KeyObject, digest: Uint8Array): Buffer {
  return privateEncrypt({ key: signingKey, padding: constants.RSA_PKCS1_PSS_PADDING }, digest);
}

/** Whether `signature` is a PSS signature (salt = digest length) of `digest`; false on any mismatch. @internal */
export function pssVerifyDigest(
  publicKey: KeyObject,
  modulusBits: number,
  hash: HashName,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  let block: Buffer;
  try {
    block = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false; // not a value below the modulus
  }
  const emBits = modulusBits - 1;
  const emLength = Math.ceil(emBits / 8);
  const excess = block.subarray(0, block.length - emLength);
  if (excess.some((byte) => byte !== 0)) return false;
  return emsaPssVerify(hash, digest, block.subarray(block.length - emLength), emBits);
}

/** MGF1 (RFC 8017, B.2.1). */
function mgf1(hash: HashName, seed: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let i = 0; i * digestLength[hash] < length; i++) {
    counter.writeUInt32BE(i);
    blocks.push(createHash(hash).update(seed).update(counter).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** EMSA-PSS-VERIFY (RFC 8017, 9.1.2) with sLen = hLen. */
function emsaPssVerify(hash: HashName, digest: Uint8Array, em: Uint8Array, emBits: number): boolean {
  const hLength = digestLength[hash];
  const saltLength = hLength;
  const emLength = em.length;
  if (digest.length !== hLength || emLength < hLength + saltLength + 2 || em[emLength - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLength - hLength - 1);
  const h = em.subarray(emLength - hLength - 1, emLength - 1);
  const topBits = 0xff >> (8 * emLength - emBits);
  if (((maskedDb[0] ?? 0) & ~topBits & 0xff) !== 0) return false;
  const db = mgf1(hash, h, maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (maskedDb[i] ?? 0);
  db[0] = (db[0] ?? 0) & topBits;
  const zeros = emLength - hLength - saltLength - 2;
  if (db.subarray(0, zeros).some((byte) => byte !== 0) || db[zeros] !== 0x01) return false;
  const salt = db.subarray(db.length - saltLength);
  const expected = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return timingSafeEqual(expected, h);
}
