/**
 * Wire shapes of answers, built from stored keys in the member order the service uses. Private key
 * members never leave through here: `publicJwk` copies public members only.
 * @internal
 */
import type {
  DeletedKeyBundle,
  DeletedKeyItem,
  KeyAttributes,
  KeyBundle,
  KeyItem,
  KeyReleasePolicy,
  KeyRotationPolicy,
  LifetimeActions,
} from "../../generated/models.js";
import { atLeast } from "./apiVersions.js";
import { familyOf, isHsmKeyType, publicJwk, rsaModulusBits } from "../crypto/keyMaterial.js";
import { latestVersion, type StoredKey, type StoredKeyVersion } from "../store/keyStore.js";

/** What a rendering needs to know about the vault and the request. @internal */
export interface RenderContext {
  /** The vault as the client addressed it (scheme and the request's `Host`), no trailing slash. */
  vaultUrl: string;
  apiVersion: string;
  /** Soft-delete retention in days, or undefined when soft delete is off. */
  recoverableDays: number | undefined;
}

/** Attributes as the service answers them (with `key_size` for RSA keys in 2025-07-01). @internal */
export type WireKeyAttributes = KeyAttributes & { key_size?: number };

/** `{vault}/keys/{name}` or `{vault}/keys/{name}/{version}`. @internal */
export function keyId(context: RenderContext, name: string, version?: string): string {
  return version ? `${context.vaultUrl}/keys/${name}/${version}` : `${context.vaultUrl}/keys/${name}`;
}

/** Attributes of a version. @internal */
export function renderAttributes(context: RenderContext, version: StoredKeyVersion): WireKeyAttributes {
  const stored = version.attributes;
  const out: WireKeyAttributes = { enabled: stored.enabled };
  if (familyOf(version.kty) === "RSA" && atLeast(context.apiVersion, "2025-07-01"))
    out.key_size = rsaModulusBits(version.material);
  if (stored.nbf !== undefined) out.nbf = stored.nbf;
  if (stored.exp !== undefined) out.exp = stored.exp;
  out.created = stored.created;
  out.updated = stored.updated;
  // 2015-06-01 predates soft delete: its attributes have no recovery level.
  if (atLeast(context.apiVersion, "2016-10-01")) Object.assign(out, recoveryAttributes(context));
  if (atLeast(context.apiVersion, "7.5") || (atLeast(context.apiVersion, "7.3") && version.releasePolicy)) {
    out.exportable = stored.exportable;
  }
  if (atLeast(context.apiVersion, "7.5")) out.hsmPlatform = isHsmKeyType(version.kty) ? "2" : "0";
  return out;
}

function recoveryAttributes(context: RenderContext): Pick<WireKeyAttributes, "recoveryLevel" | "recoverableDays"> {
  const { recoverableDays } = context;
  if (recoverableDays === undefined) return { recoveryLevel: "Purgeable" };
  const recoveryLevel = recoverableDays === 90 ? "Recoverable+Purgeable" : "CustomizedRecoverable+Purgeable";
  return atLeast(context.apiVersion, "7.1") ? { recoveryLevel, recoverableDays } : { recoveryLevel };
}

function renderReleasePolicy(version: StoredKeyVersion): KeyReleasePolicy | undefined {
  const policy = version.releasePolicy;
  return policy ? { contentType: policy.contentType, data: policy.data, immutable: policy.immutable } : undefined;
}

/** A KeyBundle of one version. @internal */
export function renderKeyBundle(context: RenderContext, key: StoredKey, version: StoredKeyVersion): KeyBundle {
  const bundle: KeyBundle = {
    key: publicJwk(version.material, keyId(context, key.name, version.version), version.keyOps),
    attributes: renderAttributes(context, version),
  };
  if (version.tags && Object.keys(version.tags).length > 0) bundle.tags = { ...version.tags };
  const releasePolicy = renderReleasePolicy(version);
  if (releasePolicy && atLeast(context.apiVersion, "7.3")) bundle.release_policy = releasePolicy;
  return bundle;
}

/** A KeyItem: versionless kid for /keys, versioned for /versions. @internal */
export function renderKeyItem(
  context: RenderContext,
  key: StoredKey,
  version: StoredKeyVersion,
  versioned: boolean,
): KeyItem {
  const item: KeyItem = {
    kid: keyId(context, key.name, versioned ? version.version : undefined),
    attributes: renderAttributes(context, version),
  };
  if (version.tags && Object.keys(version.tags).length > 0) item.tags = { ...version.tags };
  return item;
}

function deletionHeader(
  context: RenderContext,
  key: StoredKey,
): Pick<DeletedKeyBundle, "recoveryId" | "deletedDate" | "scheduledPurgeDate"> {
  const header: Pick<DeletedKeyBundle, "recoveryId" | "deletedDate" | "scheduledPurgeDate"> = {
    recoveryId: `${context.vaultUrl}/deletedkeys/${key.name}`,
  };
  if (key.deletedDate !== undefined) header.deletedDate = key.deletedDate;
  if (key.scheduledPurgeDate !== undefined) header.scheduledPurgeDate = key.scheduledPurgeDate;
  return header;
}

/** A DeletedKeyBundle (the latest version of a deleted key). @internal */
export function renderDeletedKeyBundle(context: RenderContext, key: StoredKey): DeletedKeyBundle {
  return { ...deletionHeader(context, key), ...renderKeyBundle(context, key, latestVersion(key)) };
}

/** A DeletedKeyItem. @internal */
export function renderDeletedKeyItem(context: RenderContext, key: StoredKey): DeletedKeyItem {
  const version = latestVersion(key);
  return { ...deletionHeader(context, key), ...renderKeyItem(context, key, version, false) };
}

/** The default Notify action the service adds to every policy. @internal */
export const defaultNotifyAction: LifetimeActions = {
  trigger: { timeBeforeExpiry: "P30D" },
  action: { type: "Notify" },
};

/** The rotation policy of a key (the service default when none was ever set). @internal */
export function renderRotationPolicy(context: RenderContext, key: StoredKey): KeyRotationPolicy {
  const id = `${keyId(context, key.name)}/rotationpolicy`;
  const policy = key.rotationPolicy;
  if (!policy) {
    const created = key.versions[0]?.attributes.created ?? 0;
    return {
      id,
      lifetimeActions: [structuredClone(defaultNotifyAction)],
      attributes: { created, updated: created },
    };
  }
  const attributes: KeyRotationPolicy["attributes"] = {};
  if (policy.expiryTime !== undefined) attributes.expiryTime = policy.expiryTime;
  attributes.created = policy.created;
  attributes.updated = policy.updated;
  return { id, lifetimeActions: structuredClone(policy.lifetimeActions), attributes };
}
