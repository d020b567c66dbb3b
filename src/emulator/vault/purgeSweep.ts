/**
 * Deleted keys past their purge date: gone for every read and write at once (see {@link isExpired}),
 * and removed from the store by a sweep of the deleted-keys index, at most once a minute, when
 * deleted keys are looked at. A failed removal changes nothing and is tried again at the next sweep.
 * @internal
 */
import { nowInSeconds } from "./durations.js";
import type { KeyStore, StoredKey } from "../store/keyStore.js";

/** True for a deleted key past its scheduled purge date. @internal */
export function isExpired(key: StoredKey): boolean {
  return key.scheduledPurgeDate !== undefined && key.scheduledPurgeDate <= nowInSeconds();
}

/** Removes expired deleted keys from a store, at most once per interval. @internal */
export class PurgeSweep {
  /** When the last sweep ran (epoch seconds). */
  private last = 0;

  constructor(
    private readonly store: KeyStore,
    private readonly intervalSeconds = 60,
  ) {}

  /** Sweeps, unless the last sweep is more recent than the interval. Never waits, never throws. */
  run(): void {
    const now = nowInSeconds();
    if (now - this.last < this.intervalSeconds) return;
    this.last = now;
    const expired: string[] = [];
    for (const key of this.store.keysAfter("deleted", undefined)) if (isExpired(key)) expired.push(key.name);
    for (const name of expired) {
      const latest = this.store.latest(name); // a change queued meanwhile (a re-create) wins
      if (latest && isExpired(latest)) this.store.commit({ op: "remove", name }).catch(() => undefined);
    }
  }
}
