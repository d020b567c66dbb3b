/**
 * The default, in-memory store.
 * @internal
 */
import { nameKey, type KeyStore, type StoreSnapshot, type StoredKey } from "./store.js";

/** Keeps keys in a Map; nothing survives the process. @internal */
export class MemoryKeyStore implements KeyStore {
  protected readonly keys = new Map<string, StoredKey>();
  protected sequence = 0;

  constructor(snapshot?: StoreSnapshot) {
    if (snapshot) {
      this.sequence = snapshot.sequence;
      for (const key of snapshot.keys) this.keys.set(nameKey(key.name), key);
    }
  }

  get(name: string): StoredKey | undefined {
    return this.keys.get(nameKey(name));
  }

  put(key: StoredKey): void {
    this.keys.set(nameKey(key.name), key);
    this.changed();
  }

  remove(name: string): void {
    this.keys.delete(nameKey(name));
    this.changed();
  }

  list(): StoredKey[] {
    return [...this.keys.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, key]) => key);
  }

  nextSequence(): number {
    this.sequence += 1;
    return this.sequence;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return this.flush();
  }

  /** The whole state, for persistence. */
  snapshot(): StoreSnapshot {
    return { format: "keyvault-keys-emulator/1", sequence: this.sequence, keys: [...this.keys.values()] };
  }

  /** Hook for subclasses that persist. */
  protected changed(): void {}
}
