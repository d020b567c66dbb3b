/**
 * Known values of the open string unions the service uses. A value the service adds later is still
 * accepted wherever these types are used; these objects only name the ones known today.
 */

/** Key types (`kty`). */
export enum KnownKeyTypes {
  /** Elliptic curve. */
  EC = "EC",
  /** Elliptic curve with the private key in a hardware security module. */
  ECHSM = "EC-HSM",
  /** RSA. */
  RSA = "RSA",
  /** RSA with the private key in a hardware security module. */
  RSAHSM = "RSA-HSM",
  /** Octet sequence (symmetric key). */
  Oct = "oct",
  /** Octet sequence kept in a hardware security module. */
  OctHSM = "oct-HSM",
}

/** Operations a key may allow (`key_ops`). */
export enum KnownKeyOperations {
  /** Encrypt with the key. */
  Encrypt = "encrypt",
  /** Decrypt with the key. */
  Decrypt = "decrypt",
  /** Sign a digest. */
  Sign = "sign",
  /** Verify a signature. */
  Verify = "verify",
  /** Wrap (encrypt) another key. */
  WrapKey = "wrapKey",
  /** Unwrap (decrypt) another key. */
  UnwrapKey = "unwrapKey",
  /** Import the key (Managed HSM). */
  Import = "import",
  /** Export (release) the key. */
  Export = "export",
}

/** Deletion recovery levels a vault reports. */
export enum KnownDeletionRecoveryLevel {
  /** Deletion is immediate and permanent; no recovery. */
  Purgeable = "Purgeable",
  /** Soft delete: recoverable for 90 days, and purgeable before that. */
  RecoverablePurgeable = "Recoverable+Purgeable",
  /** Soft delete: recoverable for 90 days; only the system purges. */
  Recoverable = "Recoverable",
  /** Recoverable, and the subscription itself cannot be cancelled meanwhile. */
  RecoverableProtectedSubscription = "Recoverable+ProtectedSubscription",
  /** Soft delete with a retention of 7 to 89 days, purgeable. */
  CustomizedRecoverablePurgeable = "CustomizedRecoverable+Purgeable",
  /** Soft delete with a retention of 7 to 89 days; only the system purges. */
  CustomizedRecoverable = "CustomizedRecoverable",
  /** Custom retention, and the subscription cannot be cancelled meanwhile. */
  CustomizedRecoverableProtectedSubscription = "CustomizedRecoverable+ProtectedSubscription",
}

/** Elliptic curve names (`crv`). */
export enum KnownKeyCurveNames {
  /** NIST P-256 (secp256r1). */
  P256 = "P-256",
  /** NIST P-384 (secp384r1). */
  P384 = "P-384",
  /** NIST P-521 (secp521r1). */
  P521 = "P-521",
  /** SECG secp256k1. */
  P256K = "P-256K",
}

/** Encryption and key-wrap algorithms. */
export enum KnownEncryptionAlgorithms {
  /** RSA with OAEP padding and SHA-1. */
  RSAOaep = "RSA-OAEP",
  /** RSA with OAEP padding and SHA-256. */
  RSAOaep256 = "RSA-OAEP-256",
  /** RSA with PKCS#1 v1.5 padding (legacy). */
  RSA15 = "RSA1_5",
  /** AES-128 in GCM mode. */
  A128GCM = "A128GCM",
  /** AES-192 in GCM mode. */
  A192GCM = "A192GCM",
  /** AES-256 in GCM mode. */
  A256GCM = "A256GCM",
  /** AES-128 key wrap (RFC 3394). */
  A128KW = "A128KW",
  /** AES-192 key wrap (RFC 3394). */
  A192KW = "A192KW",
  /** AES-256 key wrap (RFC 3394). */
  A256KW = "A256KW",
  /** AES-128 in CBC mode, no padding. */
  A128CBC = "A128CBC",
  /** AES-192 in CBC mode, no padding. */
  A192CBC = "A192CBC",
  /** AES-256 in CBC mode, no padding. */
  A256CBC = "A256CBC",
  /** AES-128 in CBC mode with PKCS#7 padding. */
  A128Cbcpad = "A128CBCPAD",
  /** AES-192 in CBC mode with PKCS#7 padding. */
  A192Cbcpad = "A192CBCPAD",
  /** AES-256 in CBC mode with PKCS#7 padding. */
  A256Cbcpad = "A256CBCPAD",
  /** PKCS#11 AES key wrap. */
  CkmAesKeyWrap = "CKM_AES_KEY_WRAP",
  /** PKCS#11 AES key wrap with padding. */
  CkmAesKeyWrapPad = "CKM_AES_KEY_WRAP_PAD",
}

/** Signature algorithms. */
export enum KnownSignatureAlgorithms {
  /** RSASSA-PSS with SHA-256. */
  PS256 = "PS256",
  /** RSASSA-PSS with SHA-384. */
  PS384 = "PS384",
  /** RSASSA-PSS with SHA-512. */
  PS512 = "PS512",
  /** RSASSA-PKCS1-v1_5 with SHA-256. */
  RS256 = "RS256",
  /** RSASSA-PKCS1-v1_5 with SHA-384. */
  RS384 = "RS384",
  /** RSASSA-PKCS1-v1_5 with SHA-512. */
  RS512 = "RS512",
  /** HMAC with SHA-256 (oct keys, Managed HSM). */
  HS256 = "HS256",
  /** HMAC with SHA-384 (oct keys, Managed HSM). */
  HS384 = "HS384",
  /** HMAC with SHA-512 (oct keys, Managed HSM). */
  HS512 = "HS512",
  /** Raw RSA PKCS#1 v1.5 signature of a caller-built DigestInfo. */
  Rsnull = "RSNULL",
  /** ECDSA on P-256 with SHA-256. */
  ES256 = "ES256",
  /** ECDSA on P-384 with SHA-384. */
  ES384 = "ES384",
  /** ECDSA on P-521 with SHA-512. */
  ES512 = "ES512",
  /** ECDSA on secp256k1 with SHA-256. */
  ES256K = "ES256K",
}

/** Algorithms that protect a released (exported) key. */
export enum KnownKeyExportEncryptionAlgorithm {
  /** PKCS#11 RSA-AES key wrap. */
  CkmRsaAesKeyWrap = "CKM_RSA_AES_KEY_WRAP",
  /** RSA-AES key wrap with SHA-256. */
  RsaAesKeyWrap256 = "RSA_AES_KEY_WRAP_256",
  /** RSA-AES key wrap with SHA-384. */
  RsaAesKeyWrap384 = "RSA_AES_KEY_WRAP_384",
}

/** Service API versions this client can speak. The first is the default. */
export const knownServiceVersions = ["2025-07-01", "7.6", "7.5", "7.4", "7.3", "7.2", "7.1", "7.0"] as const;

/** A service API version. */
export type ServiceVersion = (typeof knownServiceVersions)[number];

/** The default service API version. */
export const LATEST_API_VERSION: ServiceVersion = "2025-07-01";

/** A key type; see {@link KnownKeyTypes}. */
export type KeyType = `${KnownKeyTypes}` | (string & {});
/** A key operation; see {@link KnownKeyOperations}. */
export type KeyOperation = `${KnownKeyOperations}` | (string & {});
/** A deletion recovery level; see {@link KnownDeletionRecoveryLevel}. */
export type DeletionRecoveryLevel = `${KnownDeletionRecoveryLevel}` | (string & {});
/** An elliptic curve name; see {@link KnownKeyCurveNames}. */
export type KeyCurveName = `${KnownKeyCurveNames}` | (string & {});
/** An encryption algorithm; see {@link KnownEncryptionAlgorithms}. */
export type EncryptionAlgorithm = `${KnownEncryptionAlgorithms}` | (string & {});
/** A signature algorithm; see {@link KnownSignatureAlgorithms}. */
export type SignatureAlgorithm = `${KnownSignatureAlgorithms}` | (string & {});
/** A key-export encryption algorithm; see {@link KnownKeyExportEncryptionAlgorithm}. */
export type KeyExportEncryptionAlgorithm = `${KnownKeyExportEncryptionAlgorithm}` | (string & {});
/** Algorithms that wrap a key. */
export type KeyWrapAlgorithm =
  "A128KW" | "A192KW" | "A256KW" | "RSA-OAEP" | "RSA-OAEP-256" | "RSA1_5" | "CKM_AES_KEY_WRAP" | "CKM_AES_KEY_WRAP_PAD";
/** What a rotation policy action does. */
export type KeyRotationPolicyAction = "Rotate" | "Notify";
