/**
 * What the emulator keeps, and the small interface its stores implement. Reads are synchronous
 * (everything lives in memory); mutations are applied in memory at once and `flush()` makes them
 * durable, in order, for stores that persist.
 * @internal
 */
import type { JsonWebKey, LifetimeActions } from "../generated/models.js";

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

/** The store interface. @internal */
export interface KeyStore {
  /** The key of that name (any case), live or deleted. */
  get(name: string): StoredKey | undefined;
  /** Inserts or replaces the key of that name. */
  put(key: StoredKey): void;
  /** Forgets the key of that name entirely. */
  remove(name: string): void;
  /** Every key, sorted by lower-cased name. */
  list(): StoredKey[];
  /** The next value of the emulator-wide sequence. */
  nextSequence(): number;
  /** Resolves once every mutation made so far is durable. */
  flush(): Promise<void>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
  /** The whole state (shared objects, not copies). */
  snapshot(): StoreSnapshot;
}

/** The serialised form of a store. @internal */
export interface StoreSnapshot {
  format: "keyvault-keys-emulator/1";
  sequence: number;
  keys: StoredKey[];
}

/** The lookup key of a name. @internal */
export function nameKey(name: string): string {
  return name.toLowerCase();
}
