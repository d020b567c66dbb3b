import { ownedBuffer } from "../util/encoding.js";
import type {
  DecryptResult,
  EncryptResult,
  SignResult,
  UnwrapResult,
  VerifyResult,
  WrapResult,
} from "../models/cryptographyModels.js";
import type { KeyWrapAlgorithm } from "../models/known.js";

/*
 * The results of the CryptographyClient, with the keys of the official package's objects (each present,
 * `undefined` when there is no value) and Node Buffers for bytes. The official client's results of its
 * own local operations have fewer keys (RSA encrypt: algorithm, keyID, result; AES-CBC: no keyID), and
 * ours have them too in those cases; every other result has the keys of the official remote result.
 */

/** Bytes as a Node Buffer (a view when they own their memory, as the local engine's do). @internal */
export function resultBytes(bytes: Uint8Array): Buffer;
export function resultBytes(bytes: Uint8Array | undefined): Buffer | undefined;
export function resultBytes(bytes: Uint8Array | undefined): Buffer | undefined {
  return bytes === undefined ? undefined : Buffer.isBuffer(bytes) ? bytes : ownedBuffer(bytes);
}

/** What an encryption gives back besides the ciphertext. @internal */
export interface EncryptExtras {
  iv?: Uint8Array | undefined;
  authenticationTag?: Uint8Array | undefined;
  additionalAuthenticatedData?: Uint8Array | undefined;
}

/** An encrypt result as the official client's remote one. @internal */
export function encryptResult(
  algorithm: string,
  result: Uint8Array,
  keyID: string | undefined,
  extras: EncryptExtras,
): EncryptResult {
  return {
    algorithm,
    result: resultBytes(result),
    keyID,
    additionalAuthenticatedData: resultBytes(extras.additionalAuthenticatedData),
    authenticationTag: resultBytes(extras.authenticationTag),
    iv: resultBytes(extras.iv),
  };
}

/** An encrypt result as the official client's local RSA one. @internal */
export function localRsaEncryptResult(algorithm: string, keyID: string | undefined, result: Uint8Array): EncryptResult {
  return { algorithm, keyID, result: resultBytes(result) };
}

/** An encrypt result as the official client's local AES-CBC one: the caller's iv as given. @internal */
export function localCbcEncryptResult(
  algorithm: string,
  result: Uint8Array,
  iv: Uint8Array | undefined,
): EncryptResult {
  return { algorithm, result: resultBytes(result), iv };
}

/** A decrypt result as the official client's remote one. @internal */
export function decryptResult(algorithm: string, result: Uint8Array, keyID: string | undefined): DecryptResult {
  return { result: resultBytes(result), keyID, algorithm };
}

/** A decrypt result as the official client's local AES-CBC one (no keyID). @internal */
export function localCbcDecryptResult(algorithm: string, result: Uint8Array): DecryptResult {
  return { algorithm, result: resultBytes(result) };
}

/** A wrapKey, unwrapKey, sign or signData result. @internal */
export function bytesResult(
  algorithm: string,
  result: Uint8Array,
  keyID: string | undefined,
): WrapResult & UnwrapResult & SignResult {
  return { result: resultBytes(result), algorithm: algorithm as KeyWrapAlgorithm, keyID };
}

/** A verify or verifyData result. @internal */
export function verifyResult(result: boolean, keyID: string | undefined): VerifyResult {
  return { result, keyID };
}
