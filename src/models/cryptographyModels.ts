import type { EncryptionAlgorithm, KeyWrapAlgorithm, SignatureAlgorithm } from "./known.js";
import type { OperationOptions } from "./operationOptions.js";

/** Options every cryptography operation accepts. */
export interface CryptographyOptions extends OperationOptions {}
export interface EncryptOptions extends CryptographyOptions {}
export interface DecryptOptions extends CryptographyOptions {}
export interface SignOptions extends CryptographyOptions {}
export interface VerifyOptions extends CryptographyOptions {}
export interface VerifyDataOptions extends CryptographyOptions {}
export interface WrapKeyOptions extends CryptographyOptions {}
export interface UnwrapKeyOptions extends CryptographyOptions {}

/** RSA encryption algorithms. */
export type RsaEncryptionAlgorithm = "RSA1_5" | "RSA-OAEP" | "RSA-OAEP-256";
/** AES-GCM encryption algorithms. */
export type AesGcmEncryptionAlgorithm = "A128GCM" | "A192GCM" | "A256GCM";
/** AES-CBC encryption algorithms. */
export type AesCbcEncryptionAlgorithm = "A128CBC" | "A192CBC" | "A256CBC" | "A128CBCPAD" | "A192CBCPAD" | "A256CBCPAD";

export interface RsaEncryptParameters {
  algorithm: RsaEncryptionAlgorithm;
  plaintext: Uint8Array;
}
export interface AesGcmEncryptParameters {
  algorithm: AesGcmEncryptionAlgorithm;
  plaintext: Uint8Array;
  additionalAuthenticatedData?: Uint8Array;
}
export interface AesCbcEncryptParameters {
  algorithm: AesCbcEncryptionAlgorithm;
  plaintext: Uint8Array;
  /** The initialization vector; a random one is made when absent. */
  iv?: Uint8Array;
}
/** What `encrypt` takes. */
export type EncryptParameters = RsaEncryptParameters | AesGcmEncryptParameters | AesCbcEncryptParameters;

export interface RsaDecryptParameters {
  algorithm: RsaEncryptionAlgorithm;
  ciphertext: Uint8Array;
}
export interface AesGcmDecryptParameters {
  algorithm: AesGcmEncryptionAlgorithm;
  ciphertext: Uint8Array;
  iv: Uint8Array;
  authenticationTag: Uint8Array;
  additionalAuthenticatedData?: Uint8Array;
}
export interface AesCbcDecryptParameters {
  algorithm: AesCbcEncryptionAlgorithm;
  ciphertext: Uint8Array;
  iv: Uint8Array;
}
/** What `decrypt` takes. */
export type DecryptParameters = RsaDecryptParameters | AesGcmDecryptParameters | AesCbcDecryptParameters;

/** What `encrypt` returns. */
export interface EncryptResult {
  result: Uint8Array;
  algorithm: EncryptionAlgorithm;
  keyID?: string;
  iv?: Uint8Array;
  authenticationTag?: Uint8Array;
  additionalAuthenticatedData?: Uint8Array;
}
/** What `decrypt` returns. */
export interface DecryptResult {
  result: Uint8Array;
  keyID?: string;
  algorithm: EncryptionAlgorithm;
}
/** What `wrapKey` returns. */
export interface WrapResult {
  result: Uint8Array;
  keyID?: string;
  algorithm: KeyWrapAlgorithm;
}
/** What `unwrapKey` returns. */
export interface UnwrapResult {
  result: Uint8Array;
  keyID?: string;
  algorithm: KeyWrapAlgorithm;
}
/** What `sign` and `signData` return. */
export interface SignResult {
  result: Uint8Array;
  keyID?: string;
  algorithm: SignatureAlgorithm;
}
/** What `verify` and `verifyData` return. */
export interface VerifyResult {
  result: boolean;
  keyID?: string;
}
