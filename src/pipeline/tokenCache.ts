import type { AccessToken, TokenCredential } from "@azure/core-auth";
import type { OperationTracingOptions } from "@azure/core-tracing";
import { AbortError } from "@azure/abort-controller";
import type { AbortSignalLike } from "../util/abortSignalLike.js";
import { logger } from "../util/logger.js";

/** What a token is for: the scope and tenant a Key Vault challenge names. @internal */
export interface TokenTarget {
  scope: string;
  tenantId?: string;
}

/** Ask for a new token this long before the current one's refresh time (when the credential names none). */
const refreshWindowInMs = 2 * 60 * 1000;
/** Never send a token that expires within this margin: wait for a new one instead. */
const expiryMarginInMs = 30 * 1000;
/** After a failed background refresh, wait this long before the next one (the current token still serves). */
const refreshRetryIntervalInMs = 3000;

interface CachedToken {
  token: AccessToken;
  /** From here on a new token is fetched in the background while this one still serves. */
  refreshAt: number;
  /** From here on this token is not sent: requests wait for a new one. */
  usableUntil: number;
  /** No background refresh before this time (set after one failed). */
  nextRefreshAttempt: number;
}

/**
 * The tokens of one client, shared by all its requests: one per scope and tenant, and at most one
 * `getToken` in flight per scope, tenant and claims, whatever the number of concurrent requests. A
 * token in its refresh window keeps serving while one request's worth of refresh runs in the
 * background; only a token about to expire makes requests wait (for that one shared call).
 *
 * The shared call does not carry any one request's abort signal, so that one caller's abort cannot
 * fail the others; each caller stops waiting when its own signal aborts.
 * @internal
 */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<AccessToken>>();
  /** The key of the target asked for last: a client asks for one target, request after request. */
  private lastTarget?: TokenTarget;
  private lastKey = "";

  constructor(private readonly credential: TokenCredential) {}

  /** A token for `target` that can be sent now, without waiting; undefined when a request must wait for one. */
  peek(target: TokenTarget): string | undefined {
    if (target !== this.lastTarget) {
      this.lastTarget = target;
      this.lastKey = keyOf(target);
    }
    const key = this.lastKey;
    const cached = this.tokens.get(key);
    if (cached === undefined) return undefined;
    const now = Date.now();
    if (now >= cached.usableUntil) return undefined;
    if (now >= cached.refreshAt && now >= cached.nextRefreshAttempt && !this.inFlight.has(key)) {
      this.fetch(target, undefined, undefined).catch((error: unknown) => {
        cached.nextRefreshAttempt = Date.now() + refreshRetryIntervalInMs;
        logger.warning(
          `Refreshing the token for ${target.scope} failed; the current one serves until it expires: ${String(error)}`,
        );
      });
    }
    return cached.token.token;
  }

  /**
   * A token for `target`: the cached one when it can be sent, else the result of the one shared
   * `getToken` call. With `claims` (a CAE challenge) always a new token, which then serves later
   * requests too.
   */
  async get(
    target: TokenTarget,
    options: { claims?: string; abortSignal?: AbortSignalLike; tracingOptions?: OperationTracingOptions } = {},
  ): Promise<string> {
    if (options.claims === undefined) {
      const token = this.peek(target);
      if (token !== undefined) return token;
    }
    const key = keyOf(target, options.claims);
    const shared = this.inFlight.get(key) ?? this.fetch(target, options.claims, options.tracingOptions);
    return (await untilAborted(shared, options.abortSignal)).token;
  }

  /** Forgets the cached token for `target` if it is `token` (one the vault refused), so the next request gets a new one. */
  discard(target: TokenTarget, token: string): void {
    const key = keyOf(target);
    if (this.tokens.get(key)?.token.token === token) this.tokens.delete(key);
  }

  private fetch(
    target: TokenTarget,
    claims: string | undefined,
    tracingOptions: OperationTracingOptions | undefined,
  ): Promise<AccessToken> {
    const key = keyOf(target, claims);
    const call = Promise.resolve()
      .then(() =>
        this.credential.getToken(target.scope, {
          enableCae: true,
          ...(target.tenantId !== undefined ? { tenantId: target.tenantId } : {}),
          ...(claims !== undefined ? { claims } : {}),
          ...(tracingOptions !== undefined ? { tracingOptions } : {}),
        }),
      )
      .then((token) => {
        if (!token) throw new Error(`The credential returned no token for scope ${target.scope}.`);
        this.tokens.set(keyOf(target), {
          token,
          refreshAt: token.refreshAfterTimestamp ?? token.expiresOnTimestamp - refreshWindowInMs,
          usableUntil: token.expiresOnTimestamp - expiryMarginInMs,
          nextRefreshAttempt: 0,
        });
        return token;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }
}

function keyOf(target: TokenTarget, claims?: string): string {
  return `${target.scope}|${target.tenantId ?? ""}${claims === undefined ? "" : `|${claims}`}`;
}

/** `promise`, or an AbortError as soon as `signal` aborts (the promise itself goes on for its other waiters). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignalLike | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(new AbortError("The operation was aborted."));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortError("The operation was aborted."));
    signal.addEventListener("abort", onAbort);
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
