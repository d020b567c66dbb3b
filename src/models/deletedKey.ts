import type { JsonWebKeyFields } from "./jsonWebKey.js";
import { JsonWebKey } from "./jsonWebKey.js";
import { KeyProperties, type KeyPropertiesFields } from "./keyProperties.js";
import type { KeyOperation, KeyType } from "./known.js";

/** Deletion facts of a deleted key. */
export interface DeletionFields {
  /** The URL to recover or purge the deleted key with. */
  recoveryId?: string;
  /** When the key will be purged for good. */
  scheduledPurgeDate?: Date;
  /** When the key was deleted. */
  deletedOn?: Date;
}

/** The properties of a deleted key: its {@link KeyProperties} plus when and how it was deleted. */
export class DeletedKeyProperties extends KeyProperties {
  /** The URL to recover or purge the deleted key with. */
  declare readonly recoveryId?: string;
  /** When the key will be purged for good. */
  declare readonly scheduledPurgeDate?: Date;
  /** When the key was deleted. */
  declare readonly deletedOn?: Date;
}

/**
 * A soft-deleted key, from `beginDeleteKey`, `getDeletedKey` and `listDeletedKeys`. The deletion facts
 * are in `properties` (as in `@azure/keyvault-keys`) and also at the top level under the Python names
 * (`deletedDate`, `scheduledPurgeDate`, `recoveryId`).
 */
export class DeletedKey {
  /** The public part of the deleted key. */
  declare readonly key?: JsonWebKey;
  /** The key's name. */
  readonly name: string;
  /** The key's id (its versioned URL). */
  declare readonly id?: string;
  /** The key's type (`key.kty`). */
  declare readonly keyType?: KeyType;
  /** The operations the key allows (`key.keyOps`). */
  declare readonly keyOperations?: KeyOperation[];
  /** The key's properties and deletion facts. */
  readonly properties: DeletedKeyProperties;
  /** When the key was deleted (the Python name of `properties.deletedOn`). */
  declare readonly deletedDate?: Date;
  /** When the key will be purged for good. */
  declare readonly scheduledPurgeDate?: Date;
  /** The URL to recover or purge the deleted key with. */
  declare readonly recoveryId?: string;

  constructor(
    id: string | undefined,
    jwk?: JsonWebKeyFields,
    properties: Omit<KeyPropertiesFields, "id"> & DeletionFields = {},
  ) {
    const keyId = id ?? jwk?.kid;
    const key = jwk === undefined ? undefined : jwk instanceof JsonWebKey ? jwk : new JsonWebKey(jwk);
    if (key) this.key = key;
    this.properties = new DeletedKeyProperties({ ...properties, ...(keyId !== undefined ? { id: keyId } : {}) });
    this.name = this.properties.name;
    if (keyId !== undefined) this.id = keyId;
    if (key?.kty !== undefined) this.keyType = key.kty;
    if (key?.keyOps !== undefined) this.keyOperations = key.keyOps;
    if (properties.deletedOn !== undefined) this.deletedDate = properties.deletedOn;
    if (properties.scheduledPurgeDate !== undefined) this.scheduledPurgeDate = properties.scheduledPurgeDate;
    if (properties.recoveryId !== undefined) this.recoveryId = properties.recoveryId;
  }
}
