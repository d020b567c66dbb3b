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
  Encrypt = "encrypt",
  Decrypt = "decrypt",
  Sign = "sign",
  Verify = "verify",
  WrapKey = "wrapKey",
  UnwrapKey = "unwrapKey",
  Import = "import",
  Export = "export",
}

/** Deletion recovery levels a vault reports. */
export enum KnownDeletionRecoveryLevel {
  Purgeable = "Purgeable",
  RecoverablePurgeable = "Recoverable+Purgeable",
  Recoverable = "Recoverable",
  RecoverableProtectedSubscription = "Recoverable+ProtectedSubscription",
  CustomizedRecoverablePurgeable = "CustomizedRecoverable+Purgeable",
  CustomizedRecoverable = "CustomizedRecoverable",
  CustomizedRecoverableProtectedSubscription = "CustomizedRecoverable+ProtectedSubscription",
}

/** Elliptic curve names (`crv`). */
export enum KnownKeyCurveNames {
  P256 = "P-256",
  P384 = "P-384",
  P521 = "P-521",
  P256K = "P-256K",
}

/** Encryption and key-wrap algorithms. */
export enum KnownEncryptionAlgorithms {
  RSAOaep = "RSA-OAEP",
  RSAOaep256 = "RSA-OAEP-256",
  RSA15 = "RSA1_5",
  A128GCM = "A128GCM",
  A192GCM = "A192GCM",
  A256GCM = "A256GCM",
  A128KW = "A128KW",
  A192KW = "A192KW",
  A256KW = "A256KW",
  A128CBC = "A128CBC",
  A192CBC = "A192CBC",
  A256CBC = "A256CBC",
  A128Cbcpad = "A128CBCPAD",
  A192Cbcpad = "A192CBCPAD",
  A256Cbcpad = "A256CBCPAD",
  CkmAesKeyWrap = "CKM_AES_KEY_WRAP",
  CkmAesKeyWrapPad = "CKM_AES_KEY_WRAP_PAD",
}

/** Signature algorithms. */
export enum KnownSignatureAlgorithms {
  PS256 = "PS256",
  PS384 = "PS384",
  PS512 = "PS512",
  RS256 = "RS256",
  RS384 = "RS384",
  RS512 = "RS512",
  HS256 = "HS256",
  HS384 = "HS384",
  HS512 = "HS512",
  Rsnull = "RSNULL",
  ES256 = "ES256",
  ES384 = "ES384",
  ES512 = "ES512",
  ES256K = "ES256K",
}

/** Algorithms that protect a released (exported) key. */
export enum KnownKeyExportEncryptionAlgorithm {
  CkmRsaAesKeyWrap = "CKM_RSA_AES_KEY_WRAP",
  RsaAesKeyWrap256 = "RSA_AES_KEY_WRAP_256",
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
  | "A128KW"
  | "A192KW"
  | "A256KW"
  | "RSA-OAEP"
  | "RSA-OAEP-256"
  | "RSA1_5"
  | "CKM_AES_KEY_WRAP"
  | "CKM_AES_KEY_WRAP_PAD";
/** What a rotation policy action does. */
export type KeyRotationPolicyAction = "Rotate" | "Notify";
