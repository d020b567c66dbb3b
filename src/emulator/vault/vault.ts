/**
 * The vault: key lifecycle rules over a {@link KeyStore}. Reads see durable state. A mutation is
 * computed against the store's latest state synchronously after the last await of its operation and
 * committed as one change, so concurrent requests each land (each create makes its own version) and
 * nothing is lost; the answer goes out once the change is durable, and a change that cannot be made
 * durable changes nothing (the router answers 500). A deleted key past its purge date counts as gone
 * (and is removed from the store now and then).
 * @internal
 */
import { randomBytes } from "node:crypto";
import type { JsonWebKey } from "../../generated/models.js";
import { openBackup, sealBackup } from "./backup.js";
import { addDuration, nowInSeconds, parseDuration } from "./durations.js";
import {
  badParameter,
  beingDeleted,
  beingRecovered,
  deletedButRecoverable,
  deletedKeyNotFound,
  deletionInProgress,
  forbidden,
  keyNotFound,
  restoreConflict,
} from "./errors.js";
import {
  checkKeyOperations,
  checkKeyType,
  defaultKeyOperations,
  familyOf,
  generateKeyMaterial,
  importKeyMaterial,
  keySizeOf,
  publicExponentOf,
} from "../crypto/keyMaterial.js";
import {
  optionalBoolean,
  optionalInteger,
  optionalString,
  parseAttributes,
  parseReleasePolicy,
  parseRotationPolicy,
  parseTags,
  requireObjectBody,
  type AttributesInput,
} from "../http/requestValidation.js";
import { latestVersion } from "../store/keyStore.js";
import type { KeyChange, KeyStore, StoredKey, StoredKeyVersion, StoredReleasePolicy } from "../store/keyStore.js";
import { PurgeSweep, isExpired } from "./purgeSweep.js";
import { Transitions, fixedWindow } from "./transitions.js";

/** Settings of a vault. @internal */
export interface VaultSettings {
  /** Retention of deleted keys in days, or undefined when soft delete is off. */
  recoverableDays: number | undefined;
  /** AES-256 key of backup blobs. */
  backupKey: Buffer;
  /** The deletion and recovery windows; default: none (every change at once). */
  transitions?: Transitions;
}

/** What a new version is made of. */
interface NewVersion {
  kty: string;
  material: JsonWebKey;
  keyOps: string[];
  attributes: AttributesInput | undefined;
  tags: Record<string, string> | undefined;
  releasePolicy: StoredReleasePolicy | undefined;
  exp?: number;
}

/** Key operations as checked before a cryptographic operation. @internal */
export type KeyOperation = "encrypt" | "decrypt" | "sign" | "verify" | "wrapKey" | "unwrapKey";

/** The key lifecycle. @internal */
export class Vault {
  private readonly transitions: Transitions;
  private readonly purgeSweep: PurgeSweep;

  constructor(
    readonly store: KeyStore,
    readonly settings: VaultSettings,
  ) {
    this.transitions =
      settings.transitions ?? new Transitions(() => ({ deletion: fixedWindow(0), recovery: fixedWindow(0) }));
    this.purgeSweep = new PurgeSweep(store);
  }

  /** True for a key that is live: not deleted and not still being recovered (`answered`: see Transitions). */
  private isLive(key: StoredKey | undefined, answered = true): key is StoredKey {
    return key !== undefined && key.deletedDate === undefined && !this.transitions.isRecovering(key.name, answered);
  }

  /** True for a deleted key that can be recovered or purged: within its retention, not still being deleted. */
  private isRecoverable(key: StoredKey | undefined, answered = true): key is StoredKey {
    return key?.deletedDate !== undefined && !isExpired(key) && !this.transitions.isDeleting(key.name, answered);
  }

  /** A live key, or undefined. */
  findLiveKey(name: string): StoredKey | undefined {
    const key = this.store.get(name);
    return this.isLive(key) ? key : undefined;
  }

  /** The key a mutation works on: the latest state, a deleted key past its purge date counting as none. */
  private current(name: string): StoredKey | undefined {
    const key = this.store.latest(name);
    return key && isExpired(key) ? undefined : key;
  }

  /** A live key, or 404 (`latest`: the state mutations are computed against). */
  getLiveKey(name: string, latest = false): StoredKey {
    const key = latest ? this.store.latest(name) : this.store.get(name);
    if (!this.isLive(key)) throw keyNotFound(name);
    return key;
  }

  /** A version of a live key ("" or undefined = latest), or 404. */
  getVersion(name: string, version: string | undefined, latest = false): { key: StoredKey; version: StoredKeyVersion } {
    const key = latest ? this.store.latest(name) : this.store.get(name);
    if (!this.isLive(key)) throw keyNotFound(name, version || undefined);
    if (!version) return { key, version: latestVersion(key) };
    const found = key.versions.find((candidate) => candidate.version === version.toLowerCase());
    if (!found) throw keyNotFound(name, version);
    return { key, version: found };
  }

  /** POST /keys/{name}/create. */
  async createKey(name: string, rawBody: unknown): Promise<{ key: StoredKey; version: StoredKeyVersion }> {
    const body = requireObjectBody(rawBody);
    this.assertNameUsable(name);
    const kty = checkKeyType(body["kty"]);
    const keySize = optionalInteger(body, "key_size");
    const publicExponent = optionalInteger(body, "public_exponent");
    if (publicExponent !== undefined && familyOf(kty) !== "RSA")
      throw badParameter("The parameter 'public_exponent' is only valid for RSA keys.");
    const crv = optionalString(body, "crv");
    const keyOps =
      body["key_ops"] === undefined || body["key_ops"] === null
        ? defaultKeyOperations(familyOf(kty))
        : checkKeyOperations(body["key_ops"]);
    const attributes = parseAttributes(body);
    const tags = parseTags(body);
    const releasePolicy = parseReleasePolicy(body);
    checkExportable(attributes?.exportable ?? false, releasePolicy);
    const material = await generateKeyMaterial({
      kty,
      ...(keySize === undefined ? {} : { keySize }),
      ...(publicExponent === undefined ? {} : { publicExponent }),
      ...(crv === undefined ? {} : { crv }),
    });
    this.assertNameUsable(name); // again: the name may have been deleted while the key was generated
    return this.addVersion(name, { kty, material, keyOps, attributes, tags, releasePolicy });
  }

  /** PUT /keys/{name}. */
  async importKey(name: string, rawBody: unknown): Promise<{ key: StoredKey; version: StoredKeyVersion }> {
    const body = requireObjectBody(rawBody);
    this.assertNameUsable(name);
    const hsm = optionalBoolean(body, "Hsm") ?? optionalBoolean(body, "hsm") ?? false; // the REST API spells it "Hsm"
    const imported = importKeyMaterial(body["key"], hsm);
    const attributes = parseAttributes(body);
    const tags = parseTags(body);
    const releasePolicy = parseReleasePolicy(body);
    checkExportable(attributes?.exportable ?? false, releasePolicy);
    return this.addVersion(name, {
      kty: imported.kty,
      material: imported.material,
      keyOps: imported.keyOps ?? defaultKeyOperations(familyOf(imported.kty)),
      attributes,
      tags,
      releasePolicy,
    });
  }

  /** PATCH /keys/{name}/{version}. */
  async updateKey(
    name: string,
    versionId: string | undefined,
    rawBody: unknown,
  ): Promise<{ key: StoredKey; version: StoredKeyVersion }> {
    const body = requireObjectBody(rawBody);
    const keyOps =
      body["key_ops"] === undefined || body["key_ops"] === null ? undefined : checkKeyOperations(body["key_ops"]);
    const attributes = parseAttributes(body);
    const tags = parseTags(body);
    const releasePolicy = parseReleasePolicy(body);
    const { key, version } = this.getVersion(name, versionId, true);
    if (releasePolicy && version.releasePolicy?.immutable) {
      throw badParameter("AKV.SKR.1020: Immutable Key Release Policy cannot be modified.");
    }
    const exportable = attributes?.exportable ?? version.attributes.exportable;
    if (version.attributes.exportable && attributes?.exportable === false) {
      throw badParameter("An exportable key cannot be made non-exportable.");
    }
    checkExportable(exportable, releasePolicy ?? version.releasePolicy);
    const next: StoredKeyVersion = structuredClone(version);
    if (keyOps) next.keyOps = keyOps;
    if (attributes) applyAttributes(next, attributes);
    next.attributes.exportable = exportable;
    if (tags) next.tags = tags;
    if (releasePolicy) next.releasePolicy = releasePolicy;
    next.attributes.updated = nowInSeconds();
    return { key: await this.commit({ op: "version", name: key.name, version: next }), version: next };
  }

  /** DELETE /keys/{name}: soft delete, or removal when soft delete is off. */
  async deleteKey(name: string): Promise<StoredKey> {
    const key = this.getLiveKey(name, true);
    const { recoverableDays } = this.settings;
    let deleted = key;
    if (recoverableDays === undefined) {
      await this.store.commit({ op: "remove", name: key.name });
    } else {
      const now = nowInSeconds();
      const fields = { deletedDate: now, scheduledPurgeDate: now + recoverableDays * 86400 };
      deleted = await this.commit({ op: "set", name: key.name, fields });
    }
    this.transitions.startDeleting(key.name);
    return deleted;
  }

  /** A deleted key, or 404. */
  getDeletedKey(name: string): StoredKey {
    this.purgeSweep.run();
    const key = this.store.get(name);
    if (!this.isRecoverable(key)) throw deletedKeyNotFound(name);
    return key;
  }

  /** Deleted keys in name order, after `after` (a lower-cased name). */
  deletedKeysAfter(after: string | undefined): Iterable<StoredKey> {
    this.purgeSweep.run();
    return filtered(this.store.keysAfter("deleted", after), (key) => this.isRecoverable(key, false));
  }

  /** Live keys in name order, after `after` (a lower-cased name). */
  liveKeysAfter(after: string | undefined): Iterable<StoredKey> {
    return filtered(this.store.keysAfter("live", after), (key) => this.isLive(key, false));
  }

  /** POST /deletedkeys/{name}/recover: every version comes back. */
  async recoverDeletedKey(name: string): Promise<StoredKey> {
    const key = this.deletedKeyToChange(name);
    const fields = { deletedDate: null, scheduledPurgeDate: null };
    const recovered = await this.commit({ op: "set", name: key.name, fields });
    this.transitions.startRecovering(key.name);
    return recovered;
  }

  /** DELETE /deletedkeys/{name}. */
  async purgeDeletedKey(name: string): Promise<void> {
    const key = this.deletedKeyToChange(name);
    await this.store.commit({ op: "remove", name: key.name });
    this.transitions.startDeleting(key.name);
  }

  /** POST /keys/{name}/backup. */
  backupKey(name: string): string {
    return sealBackup(this.getLiveKey(name), this.settings.backupKey);
  }

  /** POST /keys/restore. */
  async restoreKey(rawBody: unknown, kidOf: (name: string) => string): Promise<StoredKey> {
    const body = requireObjectBody(rawBody);
    const restored = openBackup(body["value"], this.settings.backupKey);
    if (this.transitions.isDeleting(restored.name)) throw beingDeleted(restored.name);
    const existing = this.current(restored.name);
    if (existing?.deletedDate !== undefined) throw deletedButRecoverable(existing.name);
    if (existing) throw restoreConflict(kidOf(existing.name));
    // Fresh sequence numbers keep /versions ordering consistent with this instance.
    const versions = restored.versions.map((version) => ({ ...version, sequence: this.store.nextSequence() }));
    const key: StoredKey = { name: restored.name, versions };
    if (restored.rotationPolicy) key.rotationPolicy = restored.rotationPolicy;
    return this.commit({ op: "put", key });
  }

  /** POST /keys/{name}/rotate: a new version like the current one, `exp` from the policy's expiryTime. */
  async rotateKey(name: string): Promise<{ key: StoredKey; version: StoredKeyVersion }> {
    const current = latestVersion(this.getLiveKey(name, true));
    const size = keySizeOf(current.material);
    const publicExponent = publicExponentOf(current.material);
    const material = await generateKeyMaterial({
      kty: current.kty,
      ...(size === undefined ? {} : { keySize: size }),
      ...(current.material.crv ? { crv: current.material.crv } : {}),
      ...(publicExponent === undefined ? {} : { publicExponent }),
    });
    const key = this.getLiveKey(name, true);
    const expiryTime = key.rotationPolicy?.expiryTime;
    const duration = expiryTime ? parseDuration(expiryTime) : undefined;
    return this.addVersion(key.name, {
      kty: current.kty,
      material,
      keyOps: [...current.keyOps],
      attributes: { exportable: current.attributes.exportable },
      tags: current.tags ? { ...current.tags } : undefined,
      releasePolicy: current.releasePolicy ? { ...current.releasePolicy } : undefined,
      ...(duration ? { exp: addDuration(nowInSeconds(), duration) } : {}),
    });
  }

  /** PUT /keys/{name}/rotationpolicy. */
  async updateRotationPolicy(name: string, rawBody: unknown): Promise<StoredKey> {
    const parsed = parseRotationPolicy(requireObjectBody(rawBody));
    const key = this.getLiveKey(name, true);
    const now = nowInSeconds();
    const rotationPolicy = { ...parsed, created: key.rotationPolicy?.created ?? now, updated: now };
    return this.commit({ op: "set", name: key.name, fields: { rotationPolicy } });
  }

  /** A version ready for a cryptographic operation: enabled, within nbf/exp, permitting `operation`. */
  versionForOperation(
    name: string,
    versionId: string | undefined,
    operation: KeyOperation,
  ): { key: StoredKey; version: StoredKeyVersion } {
    const found = this.getVersion(name, versionId);
    const { attributes, keyOps } = found.version;
    const now = nowInSeconds();
    if (!attributes.enabled) throw forbidden(`Operation ${operation} is not allowed on a disabled key.`);
    if (attributes.nbf !== undefined && attributes.nbf > now)
      throw forbidden(`Operation ${operation} is not allowed before the key's activation date (nbf).`);
    if (attributes.exp !== undefined && attributes.exp <= now)
      throw forbidden(`Operation ${operation} is not allowed on an expired key.`);
    if (!keyOps.includes(operation)) throw forbidden(`Operation ${operation} is not permitted on this key.`);
    return found;
  }

  /** The deleted key a recover or purge works on: 409 while its deletion is in progress, 404 when there is none. */
  private deletedKeyToChange(name: string): StoredKey {
    const key = this.store.latest(name);
    if (key?.deletedDate !== undefined && this.transitions.isDeleting(key.name)) throw deletionInProgress(key.name);
    if (!this.isRecoverable(key)) throw deletedKeyNotFound(name);
    return key;
  }

  private assertNameUsable(name: string): void {
    if (this.transitions.isDeleting(name)) throw beingDeleted(name);
    if (this.transitions.isRecovering(name)) throw beingRecovered(name);
    const existing = this.current(name);
    if (existing?.deletedDate !== undefined) throw deletedButRecoverable(existing.name);
  }

  /** Commits a change that leaves a key, and resolves with it once it is durable. */
  private async commit(change: KeyChange): Promise<StoredKey> {
    const key = await this.store.commit(change);
    if (!key) throw new Error(`the change ${change.op} left no key`);
    return key;
  }

  private async addVersion(name: string, input: NewVersion): Promise<{ key: StoredKey; version: StoredKeyVersion }> {
    const now = nowInSeconds();
    const version: StoredKeyVersion = {
      version: randomBytes(16).toString("hex"),
      sequence: this.store.nextSequence(),
      kty: input.kty,
      keyOps: input.keyOps,
      material: input.material,
      attributes: { enabled: true, created: now, updated: now, exportable: input.attributes?.exportable ?? false },
    };
    if (input.exp !== undefined) version.attributes.exp = input.exp;
    if (input.attributes) applyAttributes(version, input.attributes);
    if (input.tags) version.tags = input.tags;
    if (input.releasePolicy) version.releasePolicy = input.releasePolicy;
    const existing = this.current(name);
    const change: KeyChange = existing
      ? { op: "version", name: existing.name, version }
      : { op: "put", key: { name, versions: [version] } }; // replaces a deleted key past its purge date
    return { key: await this.commit(change), version };
  }
}

function applyAttributes(version: StoredKeyVersion, attributes: AttributesInput): void {
  if (attributes.enabled !== undefined) version.attributes.enabled = attributes.enabled;
  if (attributes.exportable !== undefined) version.attributes.exportable = attributes.exportable;
  for (const field of ["nbf", "exp"] as const) {
    const value = attributes[field];
    if (value === null) version.attributes = withoutField(version.attributes, field);
    else if (value !== undefined) version.attributes[field] = value;
  }
}

function checkExportable(exportable: boolean, releasePolicy: StoredReleasePolicy | undefined): void {
  if (exportable && !releasePolicy)
    throw badParameter("An exportable key must have a release policy ('release_policy').");
  if (!exportable && releasePolicy)
    throw badParameter("A release policy can only be set on an exportable key (attributes.exportable = true).");
}

/** The items of `items` that `accept` keeps, read lazily (a page reads only as far as it goes). */
function* filtered<T>(items: Iterable<T>, accept: (item: T) => boolean): Generator<T> {
  for (const item of items) if (accept(item)) yield item;
}

/** A copy of `record` without `field` (a PATCH with `null` clears an attribute). */
function withoutField<T extends object>(record: T, field: keyof T): T {
  const copy = { ...record };
  Reflect.deleteProperty(copy, field);
  return copy;
}
