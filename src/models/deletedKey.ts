import { JsonWebKey, type JsonWebKeyFields } from "./jsonWebKey.js";
import { KeyProperties, type KeyPropertiesFields, keyItemProperties } from "./keyProperties.js";
import { setKeyFields } from "./keyVaultKey.js";
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

  constructor(fields: KeyPropertiesFields & DeletionFields) {
    super(fields);
    // As the official package: the three deletion fields together, when the key has any.
    if (fields.recoveryId !== undefined || fields.scheduledPurgeDate !== undefined || fields.deletedOn !== undefined) {
      const self = this as Record<string, unknown>;
      self["recoveryId"] = fields.recoveryId;
      self["scheduledPurgeDate"] = fields.scheduledPurgeDate;
      self["deletedOn"] = fields.deletedOn;
    }
  }
}

/**
 * A soft-deleted key, from `beginDeleteKey`, `getDeletedKey` and `listDeletedKeys`. Its own keys are
 * those of the official package's objects; the deletion facts are in `properties`, and readable at the
 * top level too under the Python names (`deletedDate`, `scheduledPurgeDate`, `recoveryId`: accessors,
 * so they do not change the object's shape).
 */
export class DeletedKey {
  /** The public part of the deleted key. */
  declare readonly key?: JsonWebKey;
  /** The key's id (its versioned URL). */
  declare readonly id?: string;
  /** The key's name. */
  declare readonly name: string;
  /** The operations the key allows (`key.keyOps`). */
  declare readonly keyOperations?: KeyOperation[];
  /** The key's type (`key.kty`). */
  declare readonly keyType?: KeyType;
  /** The key's properties and deletion facts. */
  declare readonly properties: DeletedKeyProperties;

  constructor(
    id: string | undefined,
    jwk?: JsonWebKeyFields,
    properties: Omit<KeyPropertiesFields, "id"> & DeletionFields = {},
  ) {
    setKeyFields(this, id, jwk, (keyId) => new DeletedKeyProperties({ ...properties, id: keyId }));
  }

  /** When the key was deleted (the Python name of `properties.deletedOn`). */
  get deletedDate(): Date | undefined {
    return this.properties.deletedOn;
  }

  /** When the key will be purged for good (also `properties.scheduledPurgeDate`). */
  get scheduledPurgeDate(): Date | undefined {
    return this.properties.scheduledPurgeDate;
  }

  /** The URL to recover or purge the deleted key with (also `properties.recoveryId`). */
  get recoveryId(): string | undefined {
    return this.properties.recoveryId;
  }
}

/**
 * The {@link DeletedKey} of a `/deletedkeys` list item, with exactly the own keys of the official
 * package's: `key` holds only the `kid` (an item has no key material), no `keyOperations` or
 * `keyType`, and the item's properties with the three deletion facts.
 * @internal
 */
export function deletedKeyOfItem(
  kid: string,
  fields: KeyPropertiesFields,
  identifier: { name: string; vaultUrl: string; version?: string },
  deletion: DeletionFields,
): DeletedKey {
  const properties = keyItemProperties(DeletedKeyProperties.prototype, fields, kid, identifier) as unknown as Record<
    string,
    unknown
  >;
  properties["recoveryId"] = deletion.recoveryId;
  properties["scheduledPurgeDate"] = deletion.scheduledPurgeDate;
  properties["deletedOn"] = deletion.deletedOn;
  const key = Object.create(JsonWebKey.prototype) as Record<string, unknown>;
  key["kid"] = kid;
  const deleted = Object.create(DeletedKey.prototype) as Record<string, unknown>;
  deleted["key"] = key;
  deleted["id"] = kid;
  deleted["name"] = identifier.name;
  deleted["properties"] = properties;
  return deleted as unknown as DeletedKey;
}
