import type { EncryptionAlgorithm, KeyWrapAlgorithm, SignatureAlgorithm } from "./known.js";
import type { OperationOptions } from "./operationOptions.js";

/** Options every cryptography operation accepts. */
export interface CryptographyOptions extends OperationOptions {}
/** Options of `encrypt`. */
export interface EncryptOptions extends CryptographyOptions {}
/** Options of `decrypt`. */
export interface DecryptOptions extends CryptographyOptions {}
/** Options of `sign` and `signData`. */
export interface SignOptions extends CryptographyOptions {}
/** Options of `verify`. */
export interface VerifyOptions extends CryptographyOptions {}
/** Options of `verifyData`. */
export interface VerifyDataOptions extends CryptographyOptions {}
/** Options of `wrapKey`. */
export interface WrapKeyOptions extends CryptographyOptions {}
/** Options of `unwrapKey`. */
export interface UnwrapKeyOptions extends CryptographyOptions {}

/** RSA encryption algorithms. */
export type RsaEncryptionAlgorithm = "RSA1_5" | "RSA-OAEP" | "RSA-OAEP-256";
/** AES-GCM encryption algorithms. */
export type AesGcmEncryptionAlgorithm = "A128GCM" | "A192GCM" | "A256GCM";
/** AES-CBC encryption algorithms. */
export type AesCbcEncryptionAlgorithm = "A128CBC" | "A192CBC" | "A256CBC" | "A128CBCPAD" | "A192CBCPAD" | "A256CBCPAD";

/** `encrypt` with an RSA key. */
export interface RsaEncryptParameters {
  /** The RSA encryption algorithm. */
  algorithm: RsaEncryptionAlgorithm;
  /** The bytes to encrypt. */
  plaintext: Uint8Array;
}
/** `encrypt` with an AES key in GCM mode (Managed HSM). */
export interface AesGcmEncryptParameters {
  /** The AES-GCM algorithm, matching the key size. */
  algorithm: AesGcmEncryptionAlgorithm;
  /** The bytes to encrypt. */
  plaintext: Uint8Array;
  /** Bytes that are authenticated but not encrypted. */
  additionalAuthenticatedData?: Uint8Array;
}
/** `encrypt` with an AES key in CBC mode (Managed HSM). */
export interface AesCbcEncryptParameters {
  /** The AES-CBC algorithm, matching the key size (`...PAD` adds PKCS#7 padding). */
  algorithm: AesCbcEncryptionAlgorithm;
  /** The bytes to encrypt. */
  plaintext: Uint8Array;
  /** The initialization vector; a random one is made when absent. */
  iv?: Uint8Array;
}
/** What `encrypt` takes. */
export type EncryptParameters = RsaEncryptParameters | AesGcmEncryptParameters | AesCbcEncryptParameters;

/** `decrypt` with an RSA key. */
export interface RsaDecryptParameters {
  /** The algorithm the ciphertext was encrypted with. */
  algorithm: RsaEncryptionAlgorithm;
  /** The bytes to decrypt. */
  ciphertext: Uint8Array;
}
/** `decrypt` with an AES key in GCM mode (Managed HSM). */
export interface AesGcmDecryptParameters {
  /** The algorithm the ciphertext was encrypted with. */
  algorithm: AesGcmEncryptionAlgorithm;
  /** The bytes to decrypt. */
  ciphertext: Uint8Array;
  /** The initialization vector `encrypt` returned. */
  iv: Uint8Array;
  /** The authentication tag `encrypt` returned. */
  authenticationTag: Uint8Array;
  /** The additional authenticated data given to `encrypt`, if any. */
  additionalAuthenticatedData?: Uint8Array;
}
/** `decrypt` with an AES key in CBC mode (Managed HSM). */
export interface AesCbcDecryptParameters {
  /** The algorithm the ciphertext was encrypted with. */
  algorithm: AesCbcEncryptionAlgorithm;
  /** The bytes to decrypt. */
  ciphertext: Uint8Array;
  /** The initialization vector `encrypt` used. */
  iv: Uint8Array;
}
/** What `decrypt` takes. */
export type DecryptParameters = RsaDecryptParameters | AesGcmDecryptParameters | AesCbcDecryptParameters;

/** What `encrypt` returns. */
export interface EncryptResult {
  /** The ciphertext. */
  result: Uint8Array;
  /** The algorithm used. */
  algorithm: EncryptionAlgorithm;
  /** The id of the key version used. */
  keyID?: string;
  /** The initialization vector (AES-CBC and AES-GCM); `decrypt` needs it. */
  iv?: Uint8Array;
  /** The authentication tag (AES-GCM); `decrypt` needs it. */
  authenticationTag?: Uint8Array;
  /** The additional authenticated data given (AES-GCM). */
  additionalAuthenticatedData?: Uint8Array;
}
/** What `decrypt` returns. */
export interface DecryptResult {
  /** The plaintext. */
  result: Uint8Array;
  /** The id of the key version used. */
  keyID?: string;
  /** The algorithm used. */
  algorithm: EncryptionAlgorithm;
}
/** What `wrapKey` returns. */
export interface WrapResult {
  /** The wrapped (encrypted) key. */
  result: Uint8Array;
  /** The id of the key version used. */
  keyID?: string;
  /** The algorithm used. */
  algorithm: KeyWrapAlgorithm;
}
/** What `unwrapKey` returns. */
export interface UnwrapResult {
  /** The unwrapped key. */
  result: Uint8Array;
  /** The id of the key version used. */
  keyID?: string;
  /** The algorithm used. */
  algorithm: KeyWrapAlgorithm;
}
/** What `sign` and `signData` return. */
export interface SignResult {
  /** The signature (for ECDSA, r and s concatenated, as JWS uses them). */
  result: Uint8Array;
  /** The id of the key version used. */
  keyID?: string;
  /** The algorithm used. */
  algorithm: SignatureAlgorithm;
}
/** What `verify` and `verifyData` return. */
export interface VerifyResult {
  /** Whether the signature is valid. */
  result: boolean;
  /** The id of the key version used. */
  keyID?: string;
}
