/*
 * A Key Vault mocked with nock for the unit tests: the 401 challenge answered for every method, every
 * request recorded, and a KeyClient with fast retries to send them.
 */
import nock from "nock";
import { KeyClient } from "../../src/index.js";
import type { KeyClientOptions } from "../../src/index.js";
import { FakeCredential } from "./fakeCredential.js";
import { challengeHeader, TENANT_ID, UNAUTHORIZED_BODY, VAULT_URL } from "./wire.js";

export { TENANT_ID, UNAUTHORIZED_BODY, VAULT_URL };
export const API_VERSION = "2025-07-01";
/** The challenge the real service sends (see the conformance README). */
export const VAULT_CHALLENGE = challengeHeader();
/** Retry settings that keep the tests fast. */
export const FAST_RETRY = { retryDelayInMs: 1, maxRetryDelayInMs: 5 };

/** The methods of the Key Vault keys API, for interceptors that answer any request. */
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** A request as nock saw it. */
export interface SeenRequest {
  method: string;
  /** The path without the query. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The body parsed as JSON; `undefined` when there was none. */
  body: unknown;
  rawBody: string;
}

function headerRecord(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw && typeof raw === "object") {
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    }
  }
  return out;
}

/** Records every request nock intercepts for `scope`. */
export function recordRequests(scope: nock.Scope, into: SeenRequest[]): void {
  scope.on(
    "request",
    (
      req: { method?: string; path?: string; headers?: unknown; getHeaders?: () => unknown },
      _interceptor: unknown,
      body: unknown,
    ) => {
      const url = new URL(req.path ?? "/", "https://placeholder");
      const rawBody = typeof body === "string" ? body : body === undefined || body === null ? "" : JSON.stringify(body);
      let parsed: unknown;
      if (rawBody.length > 0) {
        try {
          parsed = JSON.parse(rawBody);
        } catch {
          parsed = rawBody;
        }
      }
      into.push({
        method: (req.method ?? "").toUpperCase(),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: headerRecord(req.headers ?? req.getHeaders?.()),
        body: parsed,
        rawBody,
      });
    },
  );
}

export interface MockVault {
  /** Where to register the test's answers (`scope.get(...).query(...).reply(...)`). */
  scope: nock.Scope;
  /** Every request that reached the vault, challenge requests included, in order. */
  requests: SeenRequest[];
  /** The requests that carried a token (everything but the challenge requests). */
  authorized(): SeenRequest[];
  /** The last authorized request. */
  last(): SeenRequest;
}

/**
 * Mocks a vault with nock. Unless `challenge: false`, every request without an `authorization` header
 * gets the service's 401 challenge, as the real service does; tests then only describe the answers to
 * authorized requests.
 */
export function mockVault(options: { url?: string; challenge?: string | false } = {}): MockVault {
  const url = options.url ?? VAULT_URL;
  const requests: SeenRequest[] = [];
  if (options.challenge !== false) {
    const challengeScope = nock(url, { badheaders: ["authorization"] }).persist();
    for (const method of HTTP_METHODS) {
      challengeScope
        .intercept(() => true, method)
        .query(true)
        .reply(401, UNAUTHORIZED_BODY, {
          "www-authenticate": options.challenge ?? VAULT_CHALLENGE,
          "content-type": "application/json; charset=utf-8",
        });
    }
    recordRequests(challengeScope, requests);
  }
  const scope = nock(url);
  recordRequests(scope, requests);
  const authorized = () => requests.filter((r) => r.headers["authorization"] !== undefined);
  return {
    scope,
    requests,
    authorized,
    last() {
      const all = authorized();
      const last = all[all.length - 1];
      if (!last) throw new Error("no authorized request was sent");
      return last;
    },
  };
}

/** A KeyClient for {@link VAULT_URL} with a recording credential and fast retries. */
export function createTestClient(
  options: KeyClientOptions = {},
  url = VAULT_URL,
): { client: KeyClient; credential: FakeCredential } {
  const credential = new FakeCredential();
  const client = new KeyClient(url, credential, { retryOptions: FAST_RETRY, ...options });
  return { client, credential };
}

/** `{ "api-version": version }`, for `.query(...)`. */
export const apiVersion = (version = API_VERSION): Record<string, string> => ({ "api-version": version });

/** Call in `beforeEach`/`afterEach` of every nock test file. */
export function resetNock(): void {
  nock.cleanAll();
  nock.disableNetConnect();
}

export function restoreNock(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}
