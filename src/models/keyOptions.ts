import type { KeyReleasePolicy } from "./keyProperties.js";
import type { KeyCurveName, KeyExportEncryptionAlgorithm, KeyOperation } from "./known.js";
import type { OperationOptions } from "./operationOptions.js";

/** Options of `createKey`. */
export interface CreateKeyOptions extends OperationOptions {
  /** Application metadata. */
  tags?: { [propertyName: string]: string };
  /** Operations the key allows. */
  keyOps?: KeyOperation[];
  /** Whether the key can be used. */
  enabled?: boolean;
  /** The key cannot be used before this date. */
  notBefore?: Date;
  /** The key cannot be used after this date. */
  readonly expiresOn?: Date;
  /** Key size in bits (RSA: 2048, 3072, 4096; oct: 128, 192, 256). */
  keySize?: number;
  /** Elliptic curve, for EC keys. */
  curve?: KeyCurveName;
  /** Create the key in a hardware security module (the `-HSM` key type). */
  hsm?: boolean;
  /** Whether the private key can be exported. */
  exportable?: boolean;
  /** The policy under which the key can be exported. */
  releasePolicy?: KeyReleasePolicy;
  /** The RSA public exponent (65537 when absent), for an `RSA` or `RSA-HSM` key; other key types do not send it. */
  publicExponent?: number;
}

/** Options of `createEcKey`. */
export interface CreateEcKeyOptions extends CreateKeyOptions {}

/** Options of `createRsaKey`. */
export interface CreateRsaKeyOptions extends CreateKeyOptions {}

/** Options of `createOctKey`. */
export interface CreateOctKeyOptions extends CreateKeyOptions {}

/** Options of `importKey`. */
export interface ImportKeyOptions extends OperationOptions {
  /** Application-specific metadata, as name/value pairs. */
  tags?: { [propertyName: string]: string };
  /** Import into a hardware security module. */
  hardwareProtected?: boolean;
  /** Whether the key is enabled (default true). */
  enabled?: boolean;
  /** The key cannot be used before this date. */
  notBefore?: Date;
  /** The key cannot be used after this date. */
  expiresOn?: Date;
  /** Whether the private key can be exported (released); needs a `releasePolicy`. */
  exportable?: boolean;
  /** The policy under which the key can be exported. */
  releasePolicy?: KeyReleasePolicy;
}

/** Options of `updateKeyProperties`. */
export interface UpdateKeyPropertiesOptions extends OperationOptions {
  /** The operations the key allows from now on. */
  keyOps?: KeyOperation[];
  /** Enables or disables the key. */
  enabled?: boolean;
  /** The key cannot be used before this date. */
  notBefore?: Date;
  /** The key cannot be used after this date. */
  expiresOn?: Date;
  /** Replaces the key's tags. */
  tags?: { [propertyName: string]: string };
  /** The new release policy (only mutable policies can change). */
  releasePolicy?: KeyReleasePolicy;
}

/** Options of `getKey`. */
export interface GetKeyOptions extends OperationOptions {
  /** The version to get; the latest when absent. */
  version?: string;
}

/** Options of `getKeyAttestation`. */
export interface GetKeyAttestationOptions extends OperationOptions {
  /** The version to attest; the latest when absent. */
  version?: string;
}

/** Options of the delete and recover pollers. */
export interface KeyPollerOptions extends OperationOptions {
  /** Milliseconds between polls (default 2000). */
  intervalInMs?: number;
  /** A poller's `toString()` to resume from. */
  resumeFrom?: string;
}

/** Options of `beginDeleteKey`. */
export interface BeginDeleteKeyOptions extends KeyPollerOptions {}
/** Options of `beginRecoverDeletedKey`. */
export interface BeginRecoverDeletedKeyOptions extends KeyPollerOptions {}
/** Options of `listPropertiesOfKeys`. */
export interface ListPropertiesOfKeysOptions extends OperationOptions {}
/** Options of `listPropertiesOfKeyVersions`. */
export interface ListPropertiesOfKeyVersionsOptions extends OperationOptions {}
/** Options of `listDeletedKeys`. */
export interface ListDeletedKeysOptions extends OperationOptions {}
/** Options of the list methods (the official package's name). */
export interface ListKeysOptions extends OperationOptions {}
/** Options of `getDeletedKey`. */
export interface GetDeletedKeyOptions extends OperationOptions {}
/** Options of `purgeDeletedKey`. */
export interface PurgeDeletedKeyOptions extends OperationOptions {}
/** Options of a recover request. */
export interface RecoverDeletedKeyOptions extends OperationOptions {}
/** Options of a delete request. */
export interface DeleteKeyOptions extends OperationOptions {}
/** Options of `backupKey`. */
export interface BackupKeyOptions extends OperationOptions {}
/** Options of `restoreKeyBackup`. */
export interface RestoreKeyBackupOptions extends OperationOptions {}
/** Options of `getRandomBytes`. */
export interface GetRandomBytesOptions extends OperationOptions {}
/** Options of `rotateKey`. */
export interface RotateKeyOptions extends OperationOptions {}
/** Options of `getKeyRotationPolicy`. */
export interface GetKeyRotationPolicyOptions extends OperationOptions {}
/** Options of `updateKeyRotationPolicy`. */
export interface UpdateKeyRotationPolicyOptions extends OperationOptions {}

/** Options of `releaseKey`. */
export interface ReleaseKeyOptions extends OperationOptions {
  /** A client-provided nonce for freshness. */
  nonce?: string;
  /** The algorithm that protects the exported key. */
  algorithm?: KeyExportEncryptionAlgorithm;
  /** The version to release; the latest when absent. */
  version?: string;
}

/** What `releaseKey` returns. */
export interface ReleaseKeyResult {
  /** The released key, as a signed token. */
  value: string;
}

/** Options of `getCryptographyClient`. */
export interface GetCryptographyClientOptions {
  /** The key version the client should use; the latest when absent. */
  keyVersion?: string;
}
