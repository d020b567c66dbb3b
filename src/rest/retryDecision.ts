import type { PipelineResponse } from "@azure/core-rest-pipeline";

/*
 * The retry decision of core-rest-pipeline's defaultRetryPolicy, for the direct path: its two
 * strategies in its order, with its defaults (3 retries, 1 s doubling up to 64 s, half of it jitter).
 */

/** The bounds of the exponential strategy. @internal */
export interface RetryBounds {
  retryDelayInMs: number;
  maxRetryDelayInMs: number;
}

/** defaultRetryPolicy's defaults. @internal */
export const defaultRetryBounds = { maxRetries: 3, retryDelayInMs: 1000, maxRetryDelayInMs: 64_000 } as const;

const systemErrorCodes = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "ECONNREFUSED", "ECONNRESET", "ENOENT", "ENOTFOUND"]);

/**
 * What to do after attempt `retryCount` (0 for the first): the milliseconds to wait before the next
 * attempt, `"throw"` to throw the attempt's error, or `undefined` when no strategy applies (return the
 * response, or throw the error).
 * @internal
 */
export function retryDelayInMs(
  retryCount: number,
  response: PipelineResponse | undefined,
  responseError: { code?: string } | undefined,
  bounds: RetryBounds,
): number | "throw" | undefined {
  // throttlingRetryStrategy: 429 and 503 with a Retry-After (or retry-after-ms) header.
  const throttled = retryAfterInMs(response);
  if (throttled !== undefined && Number.isFinite(throttled)) return throttled;
  // exponentialRetryStrategy: 408 and 5xx but 501 and 505, and system errors.
  const systemError =
    responseError !== undefined && responseError.code !== undefined && systemErrorCodes.has(responseError.code);
  const status = response?.status;
  const exponential = status !== undefined && (status >= 500 || status === 408) && status !== 501 && status !== 505;
  if (response && !exponential) return undefined;
  if (responseError && !systemError && !exponential) return "throw";
  const clamped = Math.min(bounds.maxRetryDelayInMs, bounds.retryDelayInMs * Math.pow(2, retryCount));
  return clamped / 2 + randomIntegerInclusive(0, clamped / 2);
}

/** Retry-After of a 429 or 503: `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After` in seconds or as a date. */
function retryAfterInMs(response: PipelineResponse | undefined): number | undefined {
  if (!response || (response.status !== 429 && response.status !== 503)) return undefined;
  for (const header of ["retry-after-ms", "x-ms-retry-after-ms", "Retry-After"]) {
    const text = response.headers.get(header);
    if (!text) continue;
    const value = Number(text);
    if (Number.isNaN(value)) continue;
    if (value === 0 || value) return header === "Retry-After" ? value * 1000 : value;
  }
  const retryAfter = response.headers.get("Retry-After");
  if (!retryAfter) return undefined;
  const diff = Date.parse(retryAfter) - Date.now();
  return Number.isFinite(diff) ? Math.max(0, diff) : undefined;
}

function randomIntegerInclusive(min: number, max: number): number {
  const low = Math.ceil(min);
  const high = Math.floor(max);
  return Math.floor(Math.random() * (high - low + 1)) + low;
}
