/**
 * Slow deletion and recovery (fault injection): names that are "being deleted" or "being recovered"
 * until a deadline. Kept in memory only; a restart finishes every transition at once.
 * @internal
 */
import { nameKey } from "./store.js";

/** The durations, read at each transition so that they can change at run time. @internal */
export interface TransitionDurations {
  deleteDurationInMs: number;
  recoverDurationInMs: number;
}

/** Deadlines of the names in transition. @internal */
export class Transitions {
  private readonly deleting = new Map<string, number>();
  private readonly recovering = new Map<string, number>();

  constructor(
    private readonly durations: () => TransitionDurations,
    private readonly now: () => number = Date.now,
  ) {}

  /** The name was deleted or purged now. */
  startDeleting(name: string): void {
    const key = nameKey(name);
    this.recovering.delete(key);
    const duration = this.durations().deleteDurationInMs;
    if (duration > 0) this.deleting.set(key, this.now() + duration);
  }

  /** The key was recovered now. */
  startRecovering(name: string): void {
    const key = nameKey(name);
    this.deleting.delete(key);
    const duration = this.durations().recoverDurationInMs;
    if (duration > 0) this.recovering.set(key, this.now() + duration);
  }

  isDeleting(name: string): boolean {
    return this.pending(this.deleting, name);
  }

  isRecovering(name: string): boolean {
    return this.pending(this.recovering, name);
  }

  private pending(map: Map<string, number>, name: string): boolean {
    if (map.size === 0) return false;
    const key = nameKey(name);
    const until = map.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    map.delete(key);
    return false;
  }
}
