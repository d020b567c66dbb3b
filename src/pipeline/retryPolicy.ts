import {
  type PipelinePolicy,
  type PipelineResponse,
  type PipelineRetryOptions,
  type RestError,
  type RetryStrategy,
  retryPolicy,
} from "@azure/core-rest-pipeline";
import { calculateRetryDelay } from "@azure/core-util";
import { logger } from "../util/logger.js";
import { requestTimeoutCode } from "../http/requestTimeout.js";

/** core-rest-pipeline's defaults: 3 retries, 1 s doubling up to 64 s. @internal */
export const defaultRetryOptions = { maxRetries: 3, retryDelayInMs: 1000, maxRetryDelayInMs: 64_000 } as const;

/** Errors worth another attempt: the connection failed or the exchange timed out. */
const transientErrorCodes = new Set([
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOENT",
  "ENOTFOUND",
  requestTimeoutCode,
]);

/**
 * The client's retries: core-rest-pipeline's `retryPolicy` (its loop, its abortable wait, its logs) with
 * the two strategies of its `defaultRetryPolicy`, written here because core's keep no bound on a
 * throttled answer's `Retry-After`: a service (or a proxy) that says `Retry-After: 100000` would hold
 * the call for 28 hours. Here every wait is at most `maxRetryDelayInMs` (64 s by default). A timed-out
 * exchange (`REQUEST_TIMEOUT`) is retried as a connection failure is.
 * @internal
 */
export function keyVaultRetryPolicy(options: PipelineRetryOptions = {}): PipelinePolicy {
  const retryDelayInMs = options.retryDelayInMs ?? defaultRetryOptions.retryDelayInMs;
  const maxRetryDelayInMs = options.maxRetryDelayInMs ?? defaultRetryOptions.maxRetryDelayInMs;
  return retryPolicy([throttlingStrategy(maxRetryDelayInMs), backoffStrategy(retryDelayInMs, maxRetryDelayInMs)], {
    maxRetries: options.maxRetries ?? defaultRetryOptions.maxRetries,
    logger,
  });
}

/** 429 and 503 with a `Retry-After` (or `retry-after-ms`, `x-ms-retry-after-ms`): wait that long, at most the cap. */
function throttlingStrategy(maxRetryDelayInMs: number): RetryStrategy {
  return {
    name: "throttlingRetryStrategy",
    retry({ response }) {
      const retryAfter = retryAfterInMs(response);
      if (retryAfter === undefined) return { skipStrategy: true };
      return { retryAfterInMs: Math.min(retryAfter, maxRetryDelayInMs) };
    },
  };
}

/** 408 and 5xx (but 501 and 505), and transient errors: exponential backoff with jitter. Other errors are thrown. */
function backoffStrategy(retryDelayInMs: number, maxRetryDelayInMs: number): RetryStrategy {
  return {
    name: "exponentialRetryStrategy",
    retry({ retryCount, response, responseError }) {
      const retriableStatus = response !== undefined && isRetriableStatus(response.status);
      if (response !== undefined && (!retriableStatus || retryAfterInMs(response) !== undefined)) {
        return { skipStrategy: true };
      }
      if (responseError !== undefined && !retriableStatus && !isTransient(responseError)) {
        return { errorToThrow: responseError };
      }
      return calculateRetryDelay(retryCount, { retryDelayInMs, maxRetryDelayInMs });
    },
  };
}

function isRetriableStatus(status: number): boolean {
  return status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

function isTransient(error: RestError): boolean {
  return error.code !== undefined && transientErrorCodes.has(error.code);
}

/** The wait a throttled answer asks for, in ms; undefined when it is not throttled or names no (valid) wait. */
function retryAfterInMs(response: PipelineResponse | undefined): number | undefined {
  if (response === undefined || (response.status !== 429 && response.status !== 503)) return undefined;
  for (const [header, factor] of [
    ["retry-after-ms", 1],
    ["x-ms-retry-after-ms", 1],
    ["retry-after", 1000],
  ] as const) {
    const text = response.headers.get(header);
    if (text === undefined) continue;
    const value = Number(text);
    if (text.trim() !== "" && Number.isFinite(value) && value >= 0) return value * factor;
  }
  const date = response.headers.get("retry-after");
  if (date === undefined) return undefined;
  const wait = Date.parse(date) - Date.now();
  return Number.isFinite(wait) ? Math.max(0, wait) : undefined;
}
