/**
 * The default, in-memory store: a change is applied at once (there is nothing to make durable).
 * @internal
 */
import type { KeyChange, KeyIndex, KeyStore, StoreSnapshot, StoredKey } from "./keyStore.js";
import { KeyState } from "./keyState.js";

/** Keeps keys in memory; nothing survives the process. @internal */
export class MemoryKeyStore implements KeyStore {
  private readonly state: KeyState;
  private sequence: number;

  constructor(snapshot?: StoreSnapshot) {
    this.state = new KeyState(snapshot);
    this.sequence = this.state.sequence;
  }

  get(name: string): StoredKey | undefined {
    return this.state.get(name);
  }

  latest(name: string): StoredKey | undefined {
    return this.state.get(name);
  }

  keysAfter(index: KeyIndex, after: string | undefined): Iterable<StoredKey> {
    return this.state.keysAfter(index, after);
  }

  commit(change: KeyChange): Promise<StoredKey | undefined> {
    return Promise.resolve(this.state.apply(change, this.sequence));
  }

  nextSequence(): number {
    this.sequence += 1;
    return this.sequence;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  snapshot(): StoreSnapshot {
    return { format: "keyvault-keys-emulator/2", sequence: this.state.sequence, keys: this.state.allKeys() };
  }
}
