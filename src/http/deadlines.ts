/** One exchange's deadline, as {@link Deadlines} keeps it. @internal */
export interface Deadline {
  /** `Date.now()` at which the exchange is out of time. */
  readonly at: number;
  readonly onExpired: () => void;
}

/** The finest and the coarsest check interval, in ms. */
const finestTickInMs = 5;
const coarsestTickInMs = 1000;

/**
 * The deadlines of one HTTP client's exchanges, watched by one interval timer rather than a timer
 * armed and disarmed for every request. The timer ticks at an eighth of the shortest timeout it watches (5 ms to 1 s),
 * so an exchange ends between its timeout and an eighth more; it is unreferenced, and stops once a
 * whole tick passes with nothing to watch.
 * @internal
 */
export class Deadlines {
  private readonly pending = new Set<Deadline>();
  private timer?: ReturnType<typeof setInterval>;
  private tickInMs = coarsestTickInMs;

  /** Calls `onExpired` once `timeoutInMs` have passed, unless {@link Deadlines.cancel} comes first. */
  watch(timeoutInMs: number, onExpired: () => void): Deadline {
    const deadline: Deadline = { at: Date.now() + timeoutInMs, onExpired };
    this.pending.add(deadline);
    const tick = Math.min(coarsestTickInMs, Math.max(finestTickInMs, Math.floor(timeoutInMs / 8)));
    if (this.timer === undefined || tick < this.tickInMs) this.start(tick);
    return deadline;
  }

  cancel(deadline: Deadline): void {
    this.pending.delete(deadline);
  }

  private start(tickInMs: number): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.tickInMs = tickInMs;
    this.timer = setInterval(() => this.check(), tickInMs);
    this.timer.unref();
  }

  private check(): void {
    if (this.pending.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const now = Date.now();
    for (const deadline of this.pending) {
      if (now >= deadline.at) {
        this.pending.delete(deadline);
        deadline.onExpired();
      }
    }
  }
}
