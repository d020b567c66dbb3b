/**
 * What the emulator keeps, and the small interface its stores implement. Reads are synchronous
 * (everything lives in memory) and see only durable state; a mutation is one {@link KeyChange},
 * committed: a persisting store writes it durably first and applies it to memory only then.
 * @internal
 */
import type { JsonWebKey, LifetimeActions } from "../../generated/models.js";

/** Attributes of one key version, epoch seconds. @internal */
export interface StoredAttributes {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  exportable: boolean;
}

/** A key release policy as stored (data is base64url). @internal */
export interface StoredReleasePolicy {
  contentType: string;
  data: string;
  immutable: boolean;
}

/** One version of a key, with its private material. @internal */
export interface StoredKeyVersion {
  version: string;
  /** Emulator-wide creation sequence; orders versions stably. */
  sequence: number;
  /** The kty the key was created or imported with, answered as is ("RSA-HSM", "oct", ...). */
  kty: string;
  keyOps: string[];
  /** Wire-format JWK with private parts (d, p, q, dp, dq, qi or k); never answered. */
  material: JsonWebKey;
  attributes: StoredAttributes;
  tags?: Record<string, string>;
  releasePolicy?: StoredReleasePolicy;
}

/** A rotation policy as stored. @internal */
export interface StoredRotationPolicy {
  lifetimeActions: LifetimeActions[];
  expiryTime?: string;
  created: number;
  updated: number;
}

/** A key: every version, its rotation policy and, when soft-deleted, when. @internal */
export interface StoredKey {
  /** The name as first given (lookups ignore case, as the service does). */
  name: string;
  /** Oldest first; the last one is the current version. */
  versions: StoredKeyVersion[];
  rotationPolicy?: StoredRotationPolicy;
  deletedDate?: number;
  scheduledPurgeDate?: number;
}

/** The current version of a key (the last one). @internal */
export function latestVersion(key: StoredKey): StoredKeyVersion {
  const latest = key.versions[key.versions.length - 1];
  if (!latest) throw new Error(`key ${key.name} has no versions`);
  return latest;
}

/** Key-level fields a {@link KeyChange} of kind "set" changes; null clears a field. @internal */
export interface KeyFields {
  deletedDate?: number | null;
  scheduledPurgeDate?: number | null;
  rotationPolicy?: StoredRotationPolicy | null;
}

/**
 * One change of one key, as committed and as written to a journal. The same function applies it to
 * memory and replays it from disk (`store/keyChanges.ts`), so the two cannot disagree.
 * - `put`: the whole key, replacing any key of that name (a new name, a restore).
 * - `version`: adds the version to the key, or replaces the version with its id (an update).
 * - `set`: key-level fields (soft delete, recovery, rotation policy).
 * - `remove`: forgets the key (purge, delete without soft delete).
 * @internal
 */
export type KeyChange =
  | { op: "put"; key: StoredKey }
  | { op: "version"; name: string; version: StoredKeyVersion }
  | { op: "set"; name: string; fields: KeyFields }
  | { op: "remove"; name: string };

/** The two name-ordered indexes of a store. @internal */
export type KeyIndex = "live" | "deleted";

/**
 * The store interface. Stored objects are never mutated: a change makes new objects, so a reader may
 * hold a key while later changes land.
 * @internal
 */
export interface KeyStore {
  /** The durable key of that name (any case), live or deleted: what reads answer. */
  get(name: string): StoredKey | undefined;
  /**
   * The key of that name as it will be once every change committed so far is durable: what a new
   * change must be computed against (two concurrent changes of one name then both land).
   */
  latest(name: string): StoredKey | undefined;
  /** Durable keys in lower-cased name order, after `after` (a lower-cased name) or from the start. */
  keysAfter(index: KeyIndex, after: string | undefined): Iterable<StoredKey>;
  /**
   * Commits one change and resolves with the key as the change leaves it (undefined once removed),
   * after the change is durable and applied; rejects, leaving the state as it was, when it cannot
   * be made durable.
   */
  commit(change: KeyChange): Promise<StoredKey | undefined>;
  /** The next value of the emulator-wide sequence. */
  nextSequence(): number;
  /** Resolves once every commit made so far has settled. */
  flush(): Promise<void>;
  /** Flushes and releases resources (files, the data folder lock). */
  close(): Promise<void>;
  /** The whole durable state (shared objects, not copies). */
  snapshot(): StoreSnapshot;
}

/** The serialised form of a store. @internal */
export interface StoreSnapshot {
  format: "keyvault-keys-emulator/1" | "keyvault-keys-emulator/2";
  sequence: number;
  keys: StoredKey[];
}

/** The lookup key of a name. @internal */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

/** The name a change is about. @internal */
export function changedName(change: KeyChange): string {
  return change.op === "put" ? change.key.name : change.name;
}
