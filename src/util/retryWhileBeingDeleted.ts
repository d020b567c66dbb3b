import type { AbortSignalLike } from "./abortSignalLike.js";

/** Options of {@link retryWhileBeingDeleted}. */
export interface RetryWhileBeingDeletedOptions {
  /** Stops the waiting (and is handed to each attempt): the promise rejects with an `AbortError`. */
  abortSignal?: AbortSignalLike;
  /** Milliseconds between attempts; default 2000. */
  intervalInMs?: number;
  /** Attempts in all, the first included; default 10. The last 409 is thrown when they run out. */
  maxAttempts?: number;
}

/**
 * Whether an error is the service's 409 for a name whose deletion is still in progress
 * (`details.error.innerError.code` `ObjectIsBeingDeleted`: "currently being deleted and cannot be re-created; retry
 * later").
 */
export function isObjectBeingDeletedError(error: unknown): boolean {
  // A RestError by name, as core-rest-pipeline's isRestError: this module does not load core-rest-pipeline.
  if (!(error instanceof Error) || error.name !== "RestError" || (error as { statusCode?: unknown }).statusCode !== 409)
    return false;
  const details = (error as { details?: unknown }).details as
    { error?: { innerError?: { code?: unknown } } } | undefined;
  return details?.error?.innerError?.code === "ObjectIsBeingDeleted";
}

/**
 * Runs `operation` again while the vault answers 409 `ObjectIsBeingDeleted`, which it does for a
 * while after `beginDeleteKey` (and after a purge) when a key of the same name is created, imported
 * or restored. Any other outcome, success or error, is returned or thrown at once.
 *
 * @example
 * ```ts
 * const poller = await client.beginDeleteKey("my-key");
 * await poller.pollUntilDone();
 * await client.purgeDeletedKey("my-key");
 * const key = await retryWhileBeingDeleted(({ abortSignal }) => client.createRsaKey("my-key", { abortSignal }));
 * ```
 */
export async function retryWhileBeingDeleted<T>(
  operation: (options: { abortSignal?: AbortSignalLike }) => Promise<T>,
  options: RetryWhileBeingDeletedOptions = {},
): Promise<T> {
  const { abortSignal, intervalInMs = 2000, maxAttempts = 10 } = options;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError(`Invalid maxAttempts ${String(maxAttempts)}: expected a positive integer.`);
  if (!Number.isFinite(intervalInMs) || intervalInMs < 0)
    throw new RangeError(`Invalid intervalInMs ${String(intervalInMs)}: expected 0 or more.`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(abortSignal ? { abortSignal } : {});
    } catch (error) {
      if (attempt >= maxAttempts || !isObjectBeingDeletedError(error)) throw error;
    }
    // @azure/core-util (its delay, and its AbortError) loads on the first wait, not with the package.
    const { delay } = await import("@azure/core-util");
    await delay(intervalInMs, {
      ...(abortSignal ? { abortSignal } : {}),
      abortErrorMsg: "retryWhileBeingDeleted was aborted while waiting for the deletion to finish.",
    });
  }
}
