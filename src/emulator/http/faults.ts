/**
 * Fault injection: latency, throttling (429 + Retry-After), unavailability (503), connection resets,
 * and slow deletion and recovery, drawn from a seeded PRNG so a run can be repeated. Faults are
 * decided before a request is routed, so a faulted request never changes the vault. Requests without
 * a valid token are never faulted: the 401 challenge always answers at once.
 * @internal
 */
import type { IncomingMessage } from "node:http";
import { EmulatorError } from "../vault/errors.js";

/** Fault injection settings of {@link startEmulator}; every field is optional and off by default. */
export interface EmulatorFaults {
  /** Delay before each authenticated answer: a fixed number of ms, or `[min, max]` drawn uniformly. */
  latencyInMs?: number | readonly [number, number];
  /** Share (0..1) of authenticated requests answered 429 `Throttled` with a `Retry-After` header. */
  throttleRate?: number;
  /** Seconds in the `Retry-After` header of the 429 answers (integer, default 1; 0 = retry at once). */
  throttleRetryAfterSeconds?: number;
  /** Share (0..1) of authenticated requests answered 503 `ServiceUnavailable` (no `Retry-After`). */
  unavailableRate?: number;
  /** Share (0..1) of authenticated requests whose connection is reset (TCP RST) without an answer. */
  resetRate?: number;
  /**
   * For this many ms after a DELETE (or a purge), the name is "being deleted": `GET /deletedkeys/{name}`
   * answers 404, the key is in neither list, and a recover, purge, create, import or restore of the name
   * answers 409 Conflict (`innererror.code` `ObjectIsBeingDeleted`). Default: the emulator's short
   * service-like window (500 ms), or 0 with `instant`.
   */
  deleteDurationInMs?: number;
  /**
   * For this many ms after a recover, the key is "being recovered": every read of it (`GET
   * /keys/{name}/{version}`, operations, lists) answers 404 and a create or import of the name 409
   * Conflict (`innererror.code` `ObjectIsBeingRecovered`). Default: 500 ms, or 0 with `instant`.
   */
  recoverDurationInMs?: number;
  /** Seed of the PRNG that draws latency and failures (default 1). */
  seed?: number;
}

/** How many requests the faults touched since start. */
export interface FaultCounts {
  /** Authenticated requests that went through the fault injector. */
  requests: number;
  /** Requests delayed by `latencyInMs` (with a delay above 0). */
  delayed: number;
  /** Requests answered 429. */
  throttled: number;
  /** Requests answered 503. */
  unavailable: number;
  /** Connections reset. */
  reset: number;
}

/** What the injector decided for one request. @internal */
export interface FaultDecision {
  latencyInMs: number;
  failure: "throttle" | "unavailable" | "reset" | undefined;
}

/** A small seeded PRNG (mulberry32): uniform numbers in [0, 1). @internal */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkRate(value: number | undefined, field: string): number {
  if (value === undefined) return 0;
  if (typeof value !== "number" || !(value >= 0 && value <= 1))
    throw new RangeError(`faults.${field} must be a number from 0 to 1; got ${String(value)}`);
  return value;
}

function checkDuration(value: number | undefined, field: string): number {
  return checkOptionalDuration(value, field) ?? 0;
}

function checkOptionalDuration(value: number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    throw new RangeError(`faults.${field} must be a number of ms, 0 or more; got ${String(value)}`);
  return value;
}

/** Validated settings. @internal */
export interface CheckedFaults {
  latency: readonly [number, number];
  throttleRate: number;
  throttleRetryAfterSeconds: number;
  unavailableRate: number;
  resetRate: number;
  /** Undefined when not set: the emulator's default window applies. */
  deleteDurationInMs: number | undefined;
  /** Undefined when not set: the emulator's default window applies. */
  recoverDurationInMs: number | undefined;
  seed: number;
}

/** Checks fault settings. @throws RangeError naming the wrong field. @internal */
export function checkFaults(faults: EmulatorFaults = {}): CheckedFaults {
  const { latencyInMs = 0, throttleRetryAfterSeconds = 1, seed = 1 } = faults;
  const latency: readonly [number, number] =
    typeof latencyInMs === "number" ? [latencyInMs, latencyInMs] : [latencyInMs[0], latencyInMs[1]];
  checkDuration(latency[0], "latencyInMs");
  checkDuration(latency[1], "latencyInMs");
  if (latency[0] > latency[1])
    throw new RangeError(`faults.latencyInMs [min, max] needs min <= max; got [${latency[0]}, ${latency[1]}]`);
  const throttleRate = checkRate(faults.throttleRate, "throttleRate");
  const unavailableRate = checkRate(faults.unavailableRate, "unavailableRate");
  const resetRate = checkRate(faults.resetRate, "resetRate");
  if (throttleRate + unavailableRate + resetRate > 1)
    throw new RangeError("faults.throttleRate + unavailableRate + resetRate must be at most 1");
  if (!Number.isInteger(throttleRetryAfterSeconds) || throttleRetryAfterSeconds < 0) {
    throw new RangeError(
      `faults.throttleRetryAfterSeconds must be a whole number, 0 or more; got ${String(throttleRetryAfterSeconds)}`,
    );
  }
  if (!Number.isInteger(seed)) throw new RangeError(`faults.seed must be an integer; got ${String(seed)}`);
  return {
    latency,
    throttleRate,
    throttleRetryAfterSeconds,
    unavailableRate,
    resetRate,
    deleteDurationInMs: checkOptionalDuration(faults.deleteDurationInMs, "deleteDurationInMs"),
    recoverDurationInMs: checkOptionalDuration(faults.recoverDurationInMs, "recoverDurationInMs"),
    seed,
  };
}

/** Draws the faults of each request and counts them. @internal */
export class FaultInjector {
  private settings: CheckedFaults;
  private random: () => number;
  private readonly tally: FaultCounts = { requests: 0, delayed: 0, throttled: 0, unavailable: 0, reset: 0 };

  constructor(faults?: EmulatorFaults) {
    this.settings = checkFaults(faults);
    this.random = createPrng(this.settings.seed);
  }

  /** Replaces the settings (and restarts the PRNG from their seed); counts are kept. */
  configure(faults?: EmulatorFaults): void {
    this.settings = checkFaults(faults);
    this.random = createPrng(this.settings.seed);
  }

  /** The deletion window the faults set, or undefined for the default. */
  get deleteDurationInMs(): number | undefined {
    return this.settings.deleteDurationInMs;
  }

  /** The recovery window the faults set, or undefined for the default. */
  get recoverDurationInMs(): number | undefined {
    return this.settings.recoverDurationInMs;
  }

  get throttleRetryAfterSeconds(): number {
    return this.settings.throttleRetryAfterSeconds;
  }

  /** The faults of the next authenticated request (two draws per request, always, to stay reproducible). */
  draw(): FaultDecision {
    const { latency, throttleRate, unavailableRate, resetRate } = this.settings;
    const latencyDraw = this.random();
    const failureDraw = this.random();
    this.tally.requests++;
    const latencyInMs = latency[0] + (latency[1] - latency[0]) * latencyDraw;
    if (latencyInMs > 0) this.tally.delayed++;
    let failure: FaultDecision["failure"];
    if (failureDraw < throttleRate) failure = "throttle";
    else if (failureDraw < throttleRate + unavailableRate) failure = "unavailable";
    else if (failureDraw < throttleRate + unavailableRate + resetRate) failure = "reset";
    if (failure === "throttle") this.tally.throttled++;
    else if (failure === "unavailable") this.tally.unavailable++;
    else if (failure === "reset") this.tally.reset++;
    return { latencyInMs, failure };
  }

  counts(): FaultCounts {
    return { ...this.tally };
  }
}

/** 429 Throttled, with its Retry-After. @internal */
export function throttled(retryAfterSeconds: number): EmulatorError {
  return new EmulatorError(
    429,
    "Throttled",
    `Request was not processed because too many requests were received. Retry after ${retryAfterSeconds} seconds.`,
    undefined,
    { "retry-after": String(retryAfterSeconds) },
  );
}

/** 503 ServiceUnavailable. @internal */
export function serviceUnavailable(): EmulatorError {
  return new EmulatorError(
    503,
    "ServiceUnavailable",
    "The service is temporarily unavailable. Retry the request later.",
  );
}

/**
 * Applies the faults drawn for an authenticated request: waits the latency, then throws the 429 or
 * 503, or resets the connection (resolving true: nothing more to answer).
 * @internal
 */
export async function applyFault(faults: FaultInjector, request: IncomingMessage): Promise<boolean> {
  const { latencyInMs, failure } = faults.draw();
  if (latencyInMs > 0) await new Promise<void>((resolve) => setTimeout(resolve, latencyInMs));
  if (failure === "throttle") throw throttled(faults.throttleRetryAfterSeconds);
  if (failure === "unavailable") throw serviceUnavailable();
  if (failure === "reset") {
    const socket = request.socket;
    try {
      socket.resetAndDestroy(); // a TCP RST, as a dropped connection looks
    } catch {
      socket.destroy(); // not a plain TCP handle (TLS): a close without an answer
    }
    return true;
  }
  return false;
}
