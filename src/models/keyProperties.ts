import { parseKeyVaultKeyIdentifier } from "../identifier.js";
import type { DeletionRecoveryLevel } from "./known.js";

/** The policy under which a key may be exported (released). */
export interface KeyReleasePolicy {
  /** Content type and version of the policy. Default: `application/json; charset=utf-8`. */
  contentType?: string;
  /** The policy rules, encoded. */
  encodedPolicy?: Uint8Array;
  /** Once true, the policy can never change again. */
  immutable?: boolean;
}

/** Attestation of a key kept in a hardware security module. */
export interface KeyAttestation {
  /** The certificate chain, as PEM. */
  certificatePemFile?: Uint8Array;
  /** Attestation of the private key. */
  privateKeyAttestation?: Uint8Array;
  /** Attestation of the public key. */
  publicKeyAttestation?: Uint8Array;
  /** Version of the attestation format. */
  version?: string;
}

/** The fields of {@link KeyProperties}; `name`, `vaultUrl` and `version` are derived from `id` when absent. */
export interface KeyPropertiesFields {
  /** The key identifier (`kid`); `name`, `vaultUrl` and `version` are parsed from it when absent. */
  id?: string;
  /** The key's name. */
  name?: string;
  /** The URL of the vault holding the key. */
  vaultUrl?: string;
  /** The key's version. */
  version?: string;
  /** Whether the key can be used. */
  enabled?: boolean;
  /** The key cannot be used before this date. */
  notBefore?: Date;
  /** The key cannot be used after this date. */
  expiresOn?: Date;
  /** Application metadata. */
  tags?: { [propertyName: string]: string };
  /** When the key was created. */
  createdOn?: Date;
  /** When the key was last updated. */
  updatedOn?: Date;
  /** The vault's deletion recovery level. */
  recoveryLevel?: DeletionRecoveryLevel;
  /** Days a deleted key is kept before it is purged. */
  recoverableDays?: number;
  /** True when Key Vault manages the key's lifetime (a certificate's key). */
  managed?: boolean;
  /** Whether the private key can be exported. */
  exportable?: boolean;
  /** The policy under which the key can be exported. */
  releasePolicy?: KeyReleasePolicy;
  /** The underlying HSM platform. */
  hsmPlatform?: string;
  /** The key's attestation. */
  attestation?: KeyAttestation;
}

/**
 * A key's attributes and metadata, without its key material: what `listPropertiesOfKeys` yields and
 * what `KeyVaultKey.properties` holds. Its own keys are those of the official package's objects: every
 * field of a key bundle's properties is present (`undefined` when the service sent none); `attestation`
 * only when there is one. A list item has the fields of a list item (no `releasePolicy`).
 */
export class KeyProperties {
  /** Application metadata. */
  declare readonly tags?: { [propertyName: string]: string };
  /** Whether the key can be used. */
  declare readonly enabled?: boolean;
  /** The key cannot be used before this date. */
  declare readonly notBefore?: Date;
  /** The key cannot be used after this date. */
  declare readonly expiresOn?: Date;
  /** When the key was created. */
  declare readonly createdOn?: Date;
  /** When the key was last updated. */
  declare readonly updatedOn?: Date;
  /** Days a deleted key is kept before it is purged. */
  declare readonly recoverableDays?: number;
  /** The vault's deletion recovery level for this key. */
  declare readonly recoveryLevel?: DeletionRecoveryLevel;
  /** Whether the private key can be exported. */
  declare readonly exportable?: boolean;
  /** The policy under which the key can be exported. */
  declare readonly releasePolicy?: KeyReleasePolicy;
  /** The underlying HSM platform. */
  declare readonly hsmPlatform?: string;
  /** The URL of the vault that holds the key. */
  declare readonly vaultUrl: string;
  /** The key's version, when the identifier names one. */
  declare readonly version?: string;
  /** The key's name. */
  declare readonly name: string;
  /** True when the key's lifetime is managed by Key Vault (a certificate's key). */
  declare readonly managed?: boolean;
  /** The key's identifier (`kid`). */
  declare readonly id?: string;
  /** The key's attestation, from `getKeyAttestation`. */
  declare readonly attestation?: KeyAttestation;

  constructor(fields: KeyPropertiesFields) {
    const parsed = fields.id && (!fields.name || !fields.vaultUrl) ? parseKeyVaultKeyIdentifier(fields.id) : undefined;
    const self = this as Record<string, unknown>;
    self["tags"] = fields.tags;
    self["enabled"] = fields.enabled;
    self["notBefore"] = fields.notBefore;
    self["expiresOn"] = fields.expiresOn;
    self["createdOn"] = fields.createdOn;
    self["updatedOn"] = fields.updatedOn;
    self["recoverableDays"] = fields.recoverableDays;
    self["recoveryLevel"] = fields.recoveryLevel;
    self["exportable"] = fields.exportable;
    self["releasePolicy"] = fields.releasePolicy;
    self["hsmPlatform"] = fields.hsmPlatform;
    this.vaultUrl = fields.vaultUrl ?? parsed?.vaultUrl ?? "";
    self["version"] = "version" in fields ? fields.version : parsed?.version;
    this.name = fields.name ?? parsed?.name ?? "";
    self["managed"] = fields.managed;
    self["id"] = fields.id;
    if (fields.attestation !== undefined) self["attestation"] = fields.attestation;
  }
}

/**
 * The {@link KeyProperties} (or subclass) of a list item, with exactly the own keys of the official
 * package's list items, in its order: a list item says less than a key bundle (no release policy, no
 * attestation; `exportable` only when the item has it), so this is not the constructor, which gives
 * every key a bundle has. The keys are assigned one by one, not in a loop over their names, which
 * would leave V8 keeping each object (one per key of a listing) as a dictionary.
 * @internal
 */
export function keyItemProperties<P extends KeyProperties>(
  prototype: P,
  fields: KeyPropertiesFields,
  id: string,
  identifier: { name: string; vaultUrl: string; version?: string },
): P {
  const properties = Object.create(prototype) as Record<string, unknown>;
  properties["createdOn"] = fields.createdOn;
  properties["enabled"] = fields.enabled;
  properties["expiresOn"] = fields.expiresOn;
  properties["id"] = id;
  properties["managed"] = fields.managed;
  properties["name"] = identifier.name;
  properties["notBefore"] = fields.notBefore;
  properties["recoverableDays"] = fields.recoverableDays;
  properties["recoveryLevel"] = fields.recoveryLevel;
  properties["hsmPlatform"] = fields.hsmPlatform;
  properties["tags"] = fields.tags;
  properties["updatedOn"] = fields.updatedOn;
  properties["vaultUrl"] = identifier.vaultUrl;
  properties["version"] = identifier.version;
  if (fields.exportable !== undefined) properties["exportable"] = fields.exportable;
  return properties as P;
}
