/**
 * The keys a store holds in memory, with the indexes paging needs: live names and deleted names,
 * each in lower-cased name order. Versions are kept oldest first (their creation sequence), which is
 * the order of `/versions`. Shared by the memory store and the durable store.
 * @internal
 */
import { nameKey, changedName, type KeyChange, type KeyIndex, type StoreSnapshot, type StoredKey } from "./keyStore.js";
import { applyChange } from "./keyChanges.js";
import { SortedNames } from "./sortedNames.js";

/** Keys by lower-cased name, and the name indexes. @internal */
export class KeyState {
  private readonly keys = new Map<string, StoredKey>();
  private readonly indexes: Record<KeyIndex, SortedNames> = { live: new SortedNames(), deleted: new SortedNames() };
  /** The highest sequence any change applied so far was made under. */
  sequence = 0;

  constructor(snapshot?: Pick<StoreSnapshot, "sequence" | "keys">) {
    if (!snapshot) return;
    this.sequence = snapshot.sequence;
    for (const key of snapshot.keys) this.set(nameKey(key.name), ordered(key));
  }

  get size(): number {
    return this.keys.size;
  }

  get(name: string): StoredKey | undefined {
    return this.keys.get(nameKey(name));
  }

  /** Applies a change made when the sequence was `sequence`; returns the key as it leaves it. */
  apply(change: KeyChange, sequence: number): StoredKey | undefined {
    const key = nameKey(changedName(change));
    const next = applyChange(this.keys.get(key), change);
    this.set(key, next);
    if (sequence > this.sequence) this.sequence = sequence;
    return next;
  }

  /** Keys of one index after `after` (a lower-cased name), in order; consume it before the next change. */
  *keysAfter(index: KeyIndex, after: string | undefined): Generator<StoredKey> {
    for (const name of this.indexes[index].after(after)) {
      const key = this.keys.get(name);
      if (key) yield key;
    }
  }

  /** Every key (shared objects), in no particular order. */
  allKeys(): StoredKey[] {
    return [...this.keys.values()];
  }

  private set(name: string, key: StoredKey | undefined): void {
    const before = this.keys.get(name);
    const from = before && indexOf(before);
    const to = key && indexOf(key);
    if (from !== to) {
      if (from) this.indexes[from].delete(name);
      if (to) this.indexes[to].add(name);
    }
    if (key) this.keys.set(name, key);
    else this.keys.delete(name);
  }
}

function indexOf(key: StoredKey): KeyIndex {
  return key.deletedDate === undefined ? "live" : "deleted";
}

/** The key with its versions in sequence order (files written by hand or by old versions may not be). */
function ordered(key: StoredKey): StoredKey {
  let previous = -Infinity;
  const sorted = key.versions.every((version) => {
    const inOrder = previous < version.sequence;
    previous = version.sequence;
    return inOrder;
  });
  return sorted ? key : { ...key, versions: [...key.versions].sort((a, b) => a.sequence - b.sequence) };
}
