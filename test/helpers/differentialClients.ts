/**
 * Builds our KeyClient and the official @azure/keyvault-keys KeyClient against one fake vault, runs the
 * same call through both (resetting the fake in between) and gives back both results and both request
 * logs, normalized for comparison.
 */
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { KeyClient as OfficialKeyClient } from "@azure/keyvault-keys";
import { KeyClient } from "../../src/index.js";
import type { FakeVault, RecordedRequest } from "./differentialServer.js";

export const TOKEN = "fake-differential-token";

/** A credential that always hands out the same token; records the scopes it was asked for. */
export function fakeCredential(scopes: string[][] = []): TokenCredential {
  return {
    async getToken(requested: string | string[]): Promise<AccessToken> {
      scopes.push(Array.isArray(requested) ? [...requested] : [requested]);
      return { token: TOKEN, expiresOnTimestamp: 4102444800000 };
    },
  };
}

export const clientOptions = {
  allowInsecureConnection: true,
  disableChallengeResourceVerification: true,
  retryOptions: { maxRetries: 0 },
} as const;

export interface ClientPair {
  ours: KeyClient;
  official: OfficialKeyClient;
}

export function createClients(vault: FakeVault, credential: TokenCredential = fakeCredential()): ClientPair {
  return {
    ours: new KeyClient(vault.url, credential, { ...clientOptions, retryOptions: { ...clientOptions.retryOptions } }),
    official: new OfficialKeyClient(vault.url, credential, {
      ...clientOptions,
      retryOptions: { ...clientOptions.retryOptions },
    }),
  };
}

/**
 * The part of a request that must be the same for both clients: method, raw path, decoded query (the
 * official client writes `api%2Dversion`, ours `api-version`: the same parameter), parsed JSON body, and
 * the `accept` and `content-type` headers. Other headers (user-agent, x-ms-client-request-id,
 * accept-encoding, traceparent, content-length) are not compared.
 */
export interface ComparableRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  accept: string | undefined;
  contentType: string | undefined;
}

/** Authenticated requests only (the 401 challenge round-trip happens once per client). */
export function comparable(requests: readonly RecordedRequest[]): ComparableRequest[] {
  return requests
    .filter((r) => r.authenticated)
    .map((r) => ({
      method: r.method,
      path: r.path,
      query: { ...r.query },
      body: r.body,
      accept: r.headers["accept"],
      contentType: r.headers["content-type"],
    }));
}

export interface DiffRun<O, U> {
  official: O;
  ours: U;
  officialRequests: ComparableRequest[];
  ourRequests: ComparableRequest[];
  officialRaw: RecordedRequest[];
  ourRaw: RecordedRequest[];
}

/**
 * Runs `officialCall` then `ourCall` against a freshly reset fake vault each, and returns both results
 * and both request logs. Errors propagate (both calls are expected to succeed).
 */
export async function runBoth<O, U>(
  vault: FakeVault,
  officialCall: () => Promise<O>,
  ourCall: () => Promise<U>,
): Promise<DiffRun<O, U>> {
  vault.reset();
  const official = await officialCall();
  const officialRaw = [...vault.requests];
  vault.reset();
  const ours = await ourCall();
  const ourRaw = [...vault.requests];
  vault.reset();
  return {
    official,
    ours,
    officialRequests: comparable(officialRaw),
    ourRequests: comparable(ourRaw),
    officialRaw,
    ourRaw,
  };
}

/**
 * A plain, comparable form of a result: class instances become plain objects of their own enumerable
 * fields, `Date`s ISO strings (invalid dates `"Invalid Date"`), `Uint8Array`s arrays of numbers, and
 * `undefined` members are dropped. Strings that are not dates stay strings, so a date that one client
 * returns as a string and the other as a `Date` still differs.
 */
export function normalize(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || typeof v === "function") continue;
      out[k] = normalize(v);
    }
    return out;
  }
  return value;
}

/** `normalize`, then removes the given dotted paths (e.g. `"properties.exportable"`). */
export function without(value: unknown, ...paths: string[]): unknown {
  const copy = structuredClone(normalize(value)) as Record<string, unknown>;
  for (const path of paths) {
    const parts = path.split(".");
    let target: unknown = copy;
    for (const part of parts.slice(0, -1)) target = (target as Record<string, unknown> | undefined)?.[part];
    if (target && typeof target === "object") delete (target as Record<string, unknown>)[parts[parts.length - 1]!];
  }
  return copy;
}

/** Dotted paths present in `ours` but not in `official` (both normalized); arrays compared index-wise. */
export function extraPaths(official: unknown, ours: unknown, prefix = ""): string[] {
  const o = normalize(official);
  const u = normalize(ours);
  if (u === null || typeof u !== "object") return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(u as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${k}` : k;
    const ov = o !== null && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined;
    if (ov === undefined) out.push(path);
    else if (v !== null && typeof v === "object" && !Array.isArray(v)) out.push(...extraPaths(ov, v, path));
  }
  return out;
}

/** Collects every item of a paged iterator. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Collects pages as `{ items, continuationToken }` so the token (an array property) is visible. */
export async function collectPages<T>(
  pages: AsyncIterable<T[] & { continuationToken?: string }>,
): Promise<{ items: T[]; continuationToken: string | undefined }[]> {
  const out: { items: T[]; continuationToken: string | undefined }[] = [];
  for await (const page of pages) out.push({ items: [...page], continuationToken: page.continuationToken });
  return out;
}
