/**
 * sign and verify over a client-computed digest, as Key Vault does: RS*, PS*, RSNULL with RSA keys
 * (through raw RSA in node:crypto plus the PKCS#1 encodings written here), ES* with EC keys (see
 * `ecdsa.ts`). Signatures are the raw bytes (r||s for ECDSA).
 * @internal
 */
import { constants, createHash, privateEncrypt, publicDecrypt, randomBytes, timingSafeEqual } from "node:crypto";
import type { JsonWebKey } from "../generated/models.js";
import { badParameter } from "./errors.js";
import { ecdsaSignDigest, ecdsaVerifyDigest } from "./ecdsa.js";
import { familyOf, privateKeyObject, publicKeyObject, rsaModulusBits } from "./keyMaterial.js";

type HashName = "sha256" | "sha384" | "sha512";

interface SignatureAlgorithm {
  family: "RSA" | "EC";
  scheme: "pkcs1" | "pss" | "raw" | "ecdsa";
  hash?: HashName;
  curve?: string;
}

const hashLength: Record<HashName, number> = { sha256: 32, sha384: 48, sha512: 64 };

// DER of DigestInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING digest } up to the digest (RFC 8017, 9.2 note 1).
const digestInfoPrefix: Record<HashName, Buffer> = {
  sha256: Buffer.from("3031300d060960864801650304020105000420", "hex"),
  sha384: Buffer.from("3041300d060960864801650304020205000430", "hex"),
  sha512: Buffer.from("3051300d060960864801650304020305000440", "hex"),
};

const signatureAlgorithms: Record<string, SignatureAlgorithm> = {
  RS256: { family: "RSA", scheme: "pkcs1", hash: "sha256" },
  RS384: { family: "RSA", scheme: "pkcs1", hash: "sha384" },
  RS512: { family: "RSA", scheme: "pkcs1", hash: "sha512" },
  PS256: { family: "RSA", scheme: "pss", hash: "sha256" },
  PS384: { family: "RSA", scheme: "pss", hash: "sha384" },
  PS512: { family: "RSA", scheme: "pss", hash: "sha512" },
  RSNULL: { family: "RSA", scheme: "raw" },
  ES256: { family: "EC", scheme: "ecdsa", hash: "sha256", curve: "P-256" },
  ES256K: { family: "EC", scheme: "ecdsa", hash: "sha256", curve: "P-256K" },
  ES384: { family: "EC", scheme: "ecdsa", hash: "sha384", curve: "P-384" },
  ES512: { family: "EC", scheme: "ecdsa", hash: "sha512", curve: "P-521" },
};

/** Every signature algorithm the emulator implements. @internal */
export const supportedSignatureAlgorithms = Object.keys(signatureAlgorithms);

function resolve(alg: unknown, material: JsonWebKey, digest: Buffer): SignatureAlgorithm {
  if (typeof alg !== "string") throw badParameter("The parameter 'alg' is required and must be a string.");
  const algorithm = signatureAlgorithms[alg];
  if (!algorithm) {
    throw badParameter(
      `The signature algorithm '${alg}' is not supported. Expected one of ${supportedSignatureAlgorithms.join(", ")}.`,
    );
  }
  const family = familyOf(material.kty ?? "");
  if (algorithm.family !== family)
    throw badParameter(`The algorithm '${alg}' is not valid for a key of type ${material.kty}.`);
  if (algorithm.curve && algorithm.curve !== material.crv) {
    throw badParameter(`The algorithm '${alg}' requires curve ${algorithm.curve}, but the key uses ${material.crv}.`);
  }
  if (algorithm.hash && digest.length !== hashLength[algorithm.hash]) {
    throw badParameter(
      `Invalid digest length ${digest.length} for algorithm '${alg}'; expected ${hashLength[algorithm.hash]} bytes.`,
    );
  }
  return algorithm;
}

function mgf1(hash: HashName, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * hashLength[hash] < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** EMSA-PSS-ENCODE (RFC 8017, 9.1.1) with salt length = hash length. */
function pssEncode(hash: HashName, digest: Buffer, modBits: number): Buffer {
  const hLen = hashLength[hash];
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** EMSA-PSS-VERIFY (RFC 8017, 9.1.2), accepting any salt length. */
function pssVerify(hash: HashName, digest: Buffer, em: Buffer, modBits: number): boolean {
  const hLen = hashLength[hash];
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || emLen < hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const db = Buffer.from(em.subarray(0, emLen - hLen - 1));
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  if (((db[0] ?? 0) & ~(0xff >> (8 * emLen - emBits)) & 0xff) !== 0) return false;
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  const one = db.indexOf(1);
  if (one < 0 || db.subarray(0, one).some((byte) => byte !== 0)) return false;
  const salt = db.subarray(one + 1);
  const expected = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return timingSafeEqual(expected, h);
}

function rsaRaw(material: JsonWebKey, input: Buffer): Buffer {
  const k = Math.ceil(rsaModulusBits(material) / 8);
  const block = Buffer.concat([Buffer.alloc(Math.max(0, k - input.length)), input]);
  return privateEncrypt({ key: privateKeyObject(material), padding: constants.RSA_NO_PADDING }, block);
}

/** Signs `digest` with the key; throws 400 for an unsuitable algorithm or digest. @internal */
export function signDigest(material: JsonWebKey, alg: unknown, digest: Buffer): Buffer {
  const algorithm = resolve(alg, material, digest);
  if (algorithm.scheme === "ecdsa") {
    return ecdsaSignDigest(material.crv ?? "", Buffer.from(material.d ?? "", "base64url"), digest);
  }
  const key = privateKeyObject(material);
  if (algorithm.scheme === "pss" && algorithm.hash) {
    return rsaRaw(material, pssEncode(algorithm.hash, digest, rsaModulusBits(material)));
  }
  const payload = algorithm.hash ? Buffer.concat([digestInfoPrefix[algorithm.hash], digest]) : digest;
  try {
    // privateEncrypt with PKCS#1 padding applies block type 1, i.e. RSASSA-PKCS1-v1_5 over the DigestInfo.
    return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, payload);
  } catch (error) {
    throw badParameter(`The value cannot be signed with this key: ${(error as Error).message}`);
  }
}

/** Verifies `signature` over `digest`; false for any mismatch or malformed signature. @internal */
export function verifyDigest(material: JsonWebKey, alg: unknown, digest: Buffer, signature: Buffer): boolean {
  const algorithm = resolve(alg, material, digest);
  if (algorithm.scheme === "ecdsa") {
    return ecdsaVerifyDigest(
      material.crv ?? "",
      Buffer.from(material.x ?? "", "base64url"),
      Buffer.from(material.y ?? "", "base64url"),
      digest,
      signature,
    );
  }
  const modBits = rsaModulusBits(material);
  const k = Math.ceil(modBits / 8);
  if (signature.length !== k) return false;
  const key = publicKeyObject(material);
  try {
    if (algorithm.scheme === "pss" && algorithm.hash) {
      const m = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
      const emLen = Math.ceil((modBits - 1) / 8);
      if (m.subarray(0, m.length - emLen).some((byte) => byte !== 0)) return false;
      return pssVerify(algorithm.hash, digest, m.subarray(m.length - emLen), modBits);
    }
    const recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
    const expected = algorithm.hash ? Buffer.concat([digestInfoPrefix[algorithm.hash], digest]) : digest;
    return recovered.length === expected.length && timingSafeEqual(recovered, expected);
  } catch {
    return false;
  }
}
