import { Poller, type PollOperation, type PollOperationState } from "@azure/core-lro";
import { delay } from "@azure/core-util";
import type { AbortSignalLike } from "../util/abortSignalLike.js";
import { toRestError } from "../http/pendingRestError.js";

/** The poller surface of the official package: core-lro's `PollerLike`. */
export type { PollerLike, PollOperationState } from "@azure/core-lro";

/**
 * One long-running Key Vault operation as a state machine: `check` asks the service once and says
 * whether it is done. Everything else (state, progress events, serialization) is shared.
 * @internal
 */
export interface KeyVaultPollStep<TResult> {
  /** Asks the service once; resolves to the result when the operation is done, `undefined` otherwise. */
  check(abortSignal: AbortSignalLike | undefined): Promise<{ done: boolean; result?: TResult }>;
  /** What `toString()` writes (the caller's resume data). */
  serialize(state: PollOperationState<TResult>): string;
}

/** @internal */
export interface KeyVaultPollerInit<TResult> {
  step: KeyVaultPollStep<TResult>;
  state: PollOperationState<TResult>;
  intervalInMs: number;
  abortSignal?: AbortSignalLike | undefined;
}

class KeyVaultPollOperation<TResult> implements PollOperation<PollOperationState<TResult>, TResult> {
  constructor(
    public state: PollOperationState<TResult>,
    private readonly step: KeyVaultPollStep<TResult>,
    private readonly defaultSignal: AbortSignalLike | undefined,
  ) {}

  async update(
    options: {
      abortSignal?: AbortSignalLike;
      fireProgress?: (state: PollOperationState<TResult>) => void;
    } = {},
  ): Promise<this> {
    // The one state object, updated in place as the official client's pollers update theirs.
    if (!this.state.isCompleted) {
      let checked: { done: boolean; result?: TResult };
      try {
        checked = await this.step.check(options.abortSignal ?? this.defaultSignal);
      } catch (caught) {
        // The poller's own async boundary: a mapper's pending error becomes the RestError here.
        const error = (await toRestError(caught)) as Error;
        this.state.error = error;
        this.state.isCompleted = true;
        throw error;
      }
      this.state.isStarted = true;
      if (checked.result !== undefined) this.state.result = checked.result;
      if (checked.done) this.state.isCompleted = true;
    }
    options.fireProgress?.(this.state);
    return this;
  }

  cancel(): Promise<this> {
    return Promise.reject(new Error("Key Vault delete and recover operations cannot be cancelled."));
  }

  toString(): string {
    return this.step.serialize(this.state);
  }
}

/**
 * The delete and recover pollers: core-lro's `Poller` driven by a {@link KeyVaultPollStep}. The wait
 * between polls honours the abort signal of `pollUntilDone`, or the one the operation began with.
 * @internal
 */
export class KeyVaultPoller<TResult> extends Poller<PollOperationState<TResult>, TResult> {
  private readonly intervalInMs: number;
  private readonly defaultSignal: AbortSignalLike | undefined;
  private currentSignal: AbortSignalLike | undefined;

  constructor(init: KeyVaultPollerInit<TResult>) {
    super(new KeyVaultPollOperation(init.state, init.step, init.abortSignal));
    this.intervalInMs = init.intervalInMs;
    this.defaultSignal = init.abortSignal;
    this.currentSignal = init.abortSignal;
  }

  override pollUntilDone(options: { abortSignal?: AbortSignalLike } = {}): Promise<TResult> {
    this.currentSignal = options.abortSignal ?? this.defaultSignal;
    return super.pollUntilDone({ abortSignal: this.currentSignal });
  }

  protected async delay(): Promise<void> {
    if (this.isDone()) return;
    await delay(
      this.intervalInMs,
      this.currentSignal
        ? { abortSignal: this.currentSignal, abortErrorMsg: "The poller was aborted while waiting between polls." }
        : {},
    );
  }
}
