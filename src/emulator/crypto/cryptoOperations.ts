/**
 * encrypt, decrypt, wrapKey and unwrapKey through node:crypto: RSA1_5 (decrypted with implicit
 * rejection), RSA-OAEP, RSA-OAEP-256 with RSA keys; AES-GCM, AES-CBC, AES-CBC-PAD and AES key wrap
 * (RFC 3394 / RFC 5649) with oct keys.
 * @internal
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  type CipherGCM,
  type DecipherGCM,
} from "node:crypto";
import type { JsonWebKey } from "../../generated/models.js";
import { rsaPkcs1Decrypt } from "../../jose/rsaPkcs1Decryption.js";
import { badParameter } from "../vault/errors.js";
import {
  familyOf,
  jwkBytes,
  privateKeyObject,
  publicKeyObject,
  rsaModulusBits,
  symmetricKeyBytes,
} from "./keyMaterial.js";

/** Inputs of a cipher operation (bytes already decoded). @internal */
export interface CipherInput {
  alg: string;
  value: Buffer;
  iv?: Buffer;
  aad?: Buffer;
  tag?: Buffer;
}

/** Outputs of a cipher operation. @internal */
export interface CipherOutput {
  value: Buffer;
  iv?: Buffer;
  tag?: Buffer;
  aad?: Buffer;
}

type Direction = "encrypt" | "decrypt" | "wrapKey" | "unwrapKey";

const rsaAlgorithms = ["RSA1_5", "RSA-OAEP", "RSA-OAEP-256"];
const aesEncryptionPattern = /^A(128|192|256)(GCM|CBC|CBCPAD)$/;
const aesWrapPattern = /^A(128|192|256)KW$/;
const ckmWrapAlgorithms = ["CKM_AES_KEY_WRAP", "CKM_AES_KEY_WRAP_PAD"];

/** Runs one cipher operation; throws 400 BadParameter for anything the key or algorithm refuses. @internal */
export function runCipher(direction: Direction, material: JsonWebKey, input: CipherInput): CipherOutput {
  const family = familyOf(material.kty ?? "");
  const { alg } = input;
  if (family === "RSA") {
    if (!rsaAlgorithms.includes(alg))
      throw badParameter(`The algorithm '${alg}' is not valid for a key of type ${material.kty}.`);
    return {
      value:
        direction === "encrypt" || direction === "wrapKey" ? rsaEncrypt(material, input) : rsaDecrypt(material, input),
    };
  }
  if (family === "EC") throw badParameter(`Operation ${direction} is not supported by keys of type ${material.kty}.`);
  const key = symmetricKeyBytes(material);
  const keyBits = key.length * 8;
  const wraps = direction === "wrapKey" || direction === "unwrapKey";
  const encryptionMatch = aesEncryptionPattern.exec(alg);
  const wrapMatch = aesWrapPattern.exec(alg);
  if (wraps && (wrapMatch || ckmWrapAlgorithms.includes(alg))) {
    if (wrapMatch && Number(wrapMatch[1]) !== keyBits) {
      throw badParameter(`The algorithm '${alg}' needs a ${wrapMatch[1]}-bit key; this key has ${keyBits} bits.`);
    }
    return { value: aesKeyWrap(direction === "wrapKey", alg === "CKM_AES_KEY_WRAP_PAD", key, input.value) };
  }
  if (!wraps && encryptionMatch) {
    if (Number(encryptionMatch[1]) !== keyBits) {
      throw badParameter(`The algorithm '${alg}' needs a ${encryptionMatch[1]}-bit key; this key has ${keyBits} bits.`);
    }
    const mode = encryptionMatch[2];
    if (mode === "GCM") return direction === "encrypt" ? gcmEncrypt(key, input) : gcmDecrypt(key, input);
    return cbc(direction === "encrypt", mode === "CBCPAD", key, input);
  }
  throw badParameter(
    `The algorithm '${alg}' is not valid for operation ${direction} with a key of type ${material.kty}.`,
  );
}

function rsaEncrypt(material: JsonWebKey, input: CipherInput): Buffer {
  const key = publicKeyObject(material);
  try {
    if (input.alg === "RSA1_5") return publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, input.value);
    const oaepHash = input.alg === "RSA-OAEP" ? "sha1" : "sha256";
    return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, input.value);
  } catch {
    throw badParameter(
      `The value is too long to be encrypted with ${input.alg} and this ${rsaModulusBits(material)}-bit key.`,
    );
  }
}

function rsaDecrypt(material: JsonWebKey, input: CipherInput): Buffer {
  const key = privateKeyObject(material);
  const k = Math.ceil(rsaModulusBits(material) / 8);
  if (input.value.length !== k) throw badParameter(`The ciphertext must be ${k} bytes long for this key.`);
  try {
    // Implicit rejection: a block that is not valid PKCS#1 v1.5 decrypts to a pseudo-random message,
    // never to an error (see jose/rsaPkcs1Decryption.ts).
    if (input.alg === "RSA1_5") return rsaPkcs1Decrypt(key, jwkBytes(material, "d"), input.value);
    const oaepHash = input.alg === "RSA-OAEP" ? "sha1" : "sha256";
    return privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, input.value);
  } catch {
    throw badParameter(`The ciphertext could not be decrypted with ${input.alg}.`);
  }
}

function gcmEncrypt(key: Buffer, input: CipherInput): CipherOutput {
  const iv = randomBytes(12);
  const cipher = createCipheriv(`aes-${key.length * 8}-gcm`, key, iv) as CipherGCM;
  if (input.aad) cipher.setAAD(input.aad);
  const value = Buffer.concat([cipher.update(input.value), cipher.final()]);
  const output: CipherOutput = { value, iv, tag: cipher.getAuthTag() };
  if (input.aad) output.aad = input.aad;
  return output;
}

function gcmDecrypt(key: Buffer, input: CipherInput): CipherOutput {
  if (!input.iv || input.iv.length === 0) throw badParameter("The parameter 'iv' is required for AES-GCM decryption.");
  if (!input.tag || input.tag.length !== 16)
    throw badParameter("The parameter 'tag' (16 bytes) is required for AES-GCM decryption.");
  try {
    const decipher = createDecipheriv(`aes-${key.length * 8}-gcm`, key, input.iv) as DecipherGCM;
    if (input.aad) decipher.setAAD(input.aad);
    decipher.setAuthTag(input.tag);
    return { value: Buffer.concat([decipher.update(input.value), decipher.final()]) };
  } catch {
    throw badParameter("The ciphertext could not be decrypted: authentication failed.");
  }
}

function cbc(encrypt: boolean, pad: boolean, key: Buffer, input: CipherInput): CipherOutput {
  if (!input.iv || input.iv.length !== 16) throw badParameter("The parameter 'iv' (16 bytes) is required for AES-CBC.");
  if (!pad && input.value.length % 16 !== 0) {
    throw badParameter(
      "The value length must be a multiple of 16 bytes for AES-CBC without padding; use the CBCPAD algorithm.",
    );
  }
  const name = `aes-${key.length * 8}-cbc`;
  try {
    const cipher = encrypt ? createCipheriv(name, key, input.iv) : createDecipheriv(name, key, input.iv);
    cipher.setAutoPadding(pad);
    const value = Buffer.concat([cipher.update(input.value), cipher.final()]);
    return encrypt ? { value, iv: input.iv } : { value };
  } catch {
    throw badParameter("The ciphertext could not be decrypted: bad padding or length.");
  }
}

function aesKeyWrap(wrap: boolean, pad: boolean, key: Buffer, value: Buffer): Buffer {
  const bits = key.length * 8;
  if (!pad && (value.length < 16 || value.length % 8 !== 0)) {
    throw badParameter("The key to wrap must be at least 16 bytes and a multiple of 8 bytes for AES key wrap.");
  }
  const name = pad ? `id-aes${bits}-wrap-pad` : `id-aes${bits}-wrap`;
  const iv = pad ? Buffer.from("a65959a6", "hex") : Buffer.from("a6a6a6a6a6a6a6a6", "hex");
  try {
    const cipher = wrap ? createCipheriv(name, key, iv) : createDecipheriv(name, key, iv);
    return Buffer.concat([cipher.update(value), cipher.final()]);
  } catch {
    throw badParameter(
      wrap ? "The key could not be wrapped." : "The wrapped key could not be unwrapped: integrity check failed.",
    );
  }
}
