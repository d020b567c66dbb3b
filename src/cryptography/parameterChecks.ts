import type { AesGcmDecryptParameters, DecryptParameters, EncryptParameters } from "../models/cryptographyModels.js";
import { type CipherAlgorithm, cipherAlgorithm, digestLength, signatureAlgorithm } from "./algorithms.js";

/*
 * Checks of what the caller passed, done before any key fetch or request. Each error is a TypeError
 * that names the field, so a missing plaintext or a 12-byte CBC iv never reaches the service.
 */

/** @internal */
export function assertAlgorithm(value: unknown, field = "algorithm"): asserts value is string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(
      `Invalid ${field}: expected an algorithm name such as "RSA-OAEP-256" or "ES256", got ${describe(value)}.`,
    );
  }
}

/** A Uint8Array (a Buffer is one), non-empty unless `allowEmpty`. @internal */
export function assertBytes(value: unknown, field: string, allowEmpty = false): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array))
    throw new TypeError(`Invalid ${field}: expected a Uint8Array, got ${describe(value)}.`);
  if (!allowEmpty && value.length === 0) throw new TypeError(`Invalid ${field}: it is empty.`);
}

function assertOptionalBytes(value: unknown, field: string): asserts value is Uint8Array | undefined {
  if (value !== undefined) assertBytes(value, field);
}

function assertObject(value: unknown, field: string): asserts value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw new TypeError(`Invalid ${field}: expected an object with algorithm and the data.`);
  }
}

function assertIv(
  iv: Uint8Array | undefined,
  info: CipherAlgorithm | undefined,
  algorithm: string,
  required: boolean,
): void {
  if (iv === undefined) {
    if (required) throw new TypeError(`Invalid iv: ${algorithm} decryption needs the iv that encryption returned.`);
    return;
  }
  if (info?.kind === "aes-cbc" && iv.length !== 16) {
    throw new TypeError(`Invalid iv: ${algorithm} needs a 16-byte iv, got ${iv.length} bytes.`);
  }
  if (info?.kind === "aes-gcm" && iv.length !== 12) {
    throw new TypeError(`Invalid iv: ${algorithm} needs a 12-byte iv, got ${iv.length} bytes.`);
  }
}

/** Checks `encrypt` parameters. @internal */
export function assertEncryptParameters(params: unknown): asserts params is EncryptParameters {
  assertObject(params, "encryptParameters");
  assertAlgorithm(params["algorithm"]);
  assertBytes(params["plaintext"], "plaintext", true);
  assertOptionalBytes(params["iv"], "iv");
  assertOptionalBytes(params["additionalAuthenticatedData"], "additionalAuthenticatedData");
  const info = cipherAlgorithm(params["algorithm"]);
  assertIv(params["iv"], info, params["algorithm"], false);
  if (info?.kind === "aes-cbc" && !info.padded && params["plaintext"].length % 16 !== 0) {
    throw new TypeError(
      `Invalid plaintext: ${params["algorithm"]} (no padding) needs a multiple of 16 bytes, got ${params["plaintext"].length}; use ${params["algorithm"]}PAD to pad.`,
    );
  }
  if (info?.kind === "rsa" && params["plaintext"].length === 0) throw new TypeError("Invalid plaintext: it is empty.");
}

/** Checks `decrypt` parameters. @internal */
export function assertDecryptParameters(params: unknown): asserts params is DecryptParameters {
  assertObject(params, "decryptParameters");
  assertAlgorithm(params["algorithm"]);
  assertBytes(params["ciphertext"], "ciphertext", true);
  assertOptionalBytes(params["iv"], "iv");
  assertOptionalBytes(params["authenticationTag"], "authenticationTag");
  assertOptionalBytes(params["additionalAuthenticatedData"], "additionalAuthenticatedData");
  const info = cipherAlgorithm(params["algorithm"]);
  const symmetric = info?.kind === "aes-gcm" || info?.kind === "aes-cbc";
  if (!symmetric && params["ciphertext"].length === 0) throw new TypeError("Invalid ciphertext: it is empty.");
  assertIv(params["iv"], info, params["algorithm"], symmetric);
  if (info?.kind === "aes-gcm") {
    const tag = (params as Partial<AesGcmDecryptParameters>).authenticationTag;
    if (tag === undefined)
      throw new TypeError(
        `Invalid authenticationTag: ${params["algorithm"]} decryption needs the tag that encryption returned.`,
      );
    if (tag.length < 12 || tag.length > 16)
      throw new TypeError(`Invalid authenticationTag: expected 12 to 16 bytes, got ${tag.length}.`);
  }
  if (info?.kind === "aes-cbc" && params["ciphertext"].length % 16 !== 0) {
    throw new TypeError(
      `Invalid ciphertext: ${params["algorithm"]} ciphertext is a multiple of 16 bytes, got ${params["ciphertext"].length}.`,
    );
  }
}

/** Checks the key to wrap. @internal */
export function assertKeyToWrap(algorithm: string, key: unknown, field = "key"): asserts key is Uint8Array {
  assertBytes(key, field);
  const info = cipherAlgorithm(algorithm);
  if (info?.kind === "aes-kw" && !info.padded && (key.length < 16 || key.length % 8 !== 0)) {
    throw new TypeError(
      `Invalid ${field}: ${algorithm} wraps a key of at least 16 bytes in 8-byte steps, got ${key.length} bytes.`,
    );
  }
}

/** Checks a digest against the algorithm's hash length (RS256 takes 32 bytes, ...). @internal */
export function assertDigest(algorithm: string, digest: unknown): asserts digest is Uint8Array {
  assertBytes(digest, "digest");
  const info = signatureAlgorithm(algorithm);
  if (info && (info.kind === "rsa-pkcs1" || info.kind === "rsa-pss" || info.kind === "ecdsa")) {
    const expected = digestLength[info.hash];
    if (digest.length !== expected) {
      throw new TypeError(
        `Invalid digest: ${algorithm} signs a ${expected}-byte ${info.hash.toUpperCase()} digest, got ${digest.length} bytes (use signData/verifyData to hash data).`,
      );
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? `"${value}"` : typeof value;
}
