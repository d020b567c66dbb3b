/**
 * Deletion and recovery take a while on the service, and so they do here: after a delete (or a
 * purge) the name is "being deleted" for a window, and after a recover the key is "being recovered".
 *
 * The default windows are short so that samples and tests stay quick, yet every client sees them: a
 * window lasts at least {@link serviceWindow}`.minimumInMs` and, beyond that, until a request about
 * the name has been answered with the transient state (the first poll of a poller gets its 404, a
 * purge or create its 409), but never longer than `maximumInMs`. So the first poll always sees the
 * deletion in progress, as on the service, and code that purges without waiting for the delete poller
 * fails here as it would in production. `instant` turns the windows off; the fault settings
 * (`deleteDurationInMs`, `recoverDurationInMs`) set windows of a fixed length instead. Kept in memory
 * only: a restart finishes every transition at once.
 * @internal
 */
import { nameKey } from "../store/keyStore.js";

/** How long one transition lasts: at least the minimum, at most the maximum, ended by being seen. @internal */
export interface TransitionWindow {
  readonly minimumInMs: number;
  readonly maximumInMs: number;
}

/** The windows, read at each transition so that they can change at run time. @internal */
export interface TransitionDurations {
  readonly deletion: TransitionWindow;
  readonly recovery: TransitionWindow;
}

/** The window an emulator has unless told otherwise. @internal */
export const serviceWindow: TransitionWindow = { minimumInMs: 100, maximumInMs: 2000 };

/** A window of exactly `ms` (0: none), whether or not anyone sees it. @internal */
export function fixedWindow(ms: number): TransitionWindow {
  return { minimumInMs: ms, maximumInMs: ms };
}

/** Durations set by fault injection; an unset one falls back to the default window. @internal */
export interface ConfiguredDurations {
  readonly deleteDurationInMs: number | undefined;
  readonly recoverDurationInMs: number | undefined;
}

/**
 * The windows in force: fixed ones where the faults set a duration, else the service-like window, or
 * none when `instant`. `configured` is read at each call, so `setFaults` applies to the next transition.
 * @internal
 */
export function transitionDurations(configured: ConfiguredDurations, instant: boolean): () => TransitionDurations {
  const fallback = instant ? fixedWindow(0) : serviceWindow;
  const windowOf = (ms: number | undefined): TransitionWindow => (ms === undefined ? fallback : fixedWindow(ms));
  return () => ({
    deletion: windowOf(configured.deleteDurationInMs),
    recovery: windowOf(configured.recoverDurationInMs),
  });
}

interface Pending {
  minimumUntil: number;
  maximumUntil: number;
  /** A request has been answered with this transition's 404 or 409. */
  seen: boolean;
}

/** The names in transition. @internal */
export class Transitions {
  private readonly deleting = new Map<string, Pending>();
  private readonly recovering = new Map<string, Pending>();

  constructor(
    private readonly durations: () => TransitionDurations,
    private readonly now: () => number = Date.now,
  ) {}

  /** The name was deleted or purged now. */
  startDeleting(name: string): void {
    const key = nameKey(name);
    this.recovering.delete(key);
    this.start(this.deleting, key, this.durations().deletion);
  }

  /** The key was recovered now. */
  startRecovering(name: string): void {
    const key = nameKey(name);
    this.deleting.delete(key);
    this.start(this.recovering, key, this.durations().recovery);
  }

  /**
   * Whether the name's deletion is in progress. `answered` (the default) says that the caller tells
   * the client so (a 404 or 409 about this name), which lets a default window end; a list that merely
   * leaves the name out passes false.
   */
  isDeleting(name: string, answered = true): boolean {
    return this.pending(this.deleting, name, answered);
  }

  /** Whether the key's recovery is in progress; `answered` as for {@link isDeleting}. */
  isRecovering(name: string, answered = true): boolean {
    return this.pending(this.recovering, name, answered);
  }

  private start(map: Map<string, Pending>, key: string, window: TransitionWindow): void {
    if (window.maximumInMs <= 0) {
      map.delete(key);
      return;
    }
    const now = this.now();
    map.set(key, { minimumUntil: now + window.minimumInMs, maximumUntil: now + window.maximumInMs, seen: false });
  }

  private pending(map: Map<string, Pending>, name: string, answered: boolean): boolean {
    if (map.size === 0) return false;
    const key = nameKey(name);
    const entry = map.get(key);
    if (entry === undefined) return false;
    const now = this.now();
    if (now >= entry.maximumUntil || (entry.seen && now >= entry.minimumUntil)) {
      map.delete(key);
      return false;
    }
    if (answered) entry.seen = true;
    return true;
  }
}
