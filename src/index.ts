// Public exports only; no logic lives here.
export { KeyClient } from "./keyClient.js";
export { CryptographyClient } from "./cryptographyClient.js";
export { parseKeyVaultKeyIdentifier, type KeyVaultKeyIdentifier } from "./identifier.js";
export { logger } from "./util/logger.js";
export {
  retryWhileBeingDeleted,
  isObjectBeingDeletedError,
  type RetryWhileBeingDeletedOptions,
} from "./util/retryWhileBeingDeleted.js";
export { JsonWebKey, type JsonWebKeyFields } from "./models/jsonWebKey.js";
export {
  KeyProperties,
  type KeyPropertiesFields,
  type KeyReleasePolicy,
  type KeyAttestation,
} from "./models/keyProperties.js";
export { KeyVaultKey } from "./models/keyVaultKey.js";
export { DeletedKey, DeletedKeyProperties, type DeletionFields } from "./models/deletedKey.js";
export {
  KnownKeyTypes,
  KnownKeyOperations,
  KnownDeletionRecoveryLevel,
  KnownKeyCurveNames,
  KnownEncryptionAlgorithms,
  KnownSignatureAlgorithms,
  KnownKeyExportEncryptionAlgorithm,
  LATEST_API_VERSION,
  knownServiceVersions,
  type ServiceVersion,
  type KeyType,
  type KeyOperation,
  type DeletionRecoveryLevel,
  type KeyCurveName,
  type EncryptionAlgorithm,
  type SignatureAlgorithm,
  type KeyExportEncryptionAlgorithm,
  type KeyWrapAlgorithm,
  type KeyRotationPolicyAction,
} from "./models/known.js";
export type * from "./models/keyOptions.js";
export type * from "./models/operationOptions.js";
export type * from "./models/rotationPolicy.js";
export type * from "./models/cryptographyModels.js";
export type { PollerLike, PollOperationState } from "@azure/core-lro";
export type { PagedAsyncIterableIterator, PageSettings } from "@azure/core-paging";
export type { KeyVaultPage } from "./paging/keyVaultPager.js";
export type { AbortSignalLike } from "./util/abortSignalLike.js";
