/**
 * What the differential tests compare of a request: method, raw path, decoded query (the official
 * client writes `api%2Dversion`, ours `api-version`: the same parameter), the body (parsed JSON; the raw
 * text when it is not JSON) and every header, normalized only where a value cannot be the same twice:
 * - `x-ms-client-request-id`: a fresh UUID per request in both, checked to be one;
 * - `content-length`: checked to be the body's length (the body itself is compared);
 * - `user-agent`: the one named difference of headers. Each package names itself (the official
 *   `azsdk-js-keyvault-keys/4.10.2 azsdk-js-client azsdk-js-api azsdk-js-keyvault-keys/4.10.2`, ours
 *   `azsdk-js-keyvault-keys/<our version>`); that part is checked on each side and replaced by
 *   `<sdk>`, and everything else (the caller's prefix, core-rest-pipeline, Node, OS) must be equal.
 * - `host` and `connection` are those of one server and one Node, so they are the same by construction.
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { RecordedRequest } from "./recordedRequest.js";

const ourVersion = (
  JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
const officialSdk = "azsdk-js-keyvault-keys/4.10.2 azsdk-js-client azsdk-js-api azsdk-js-keyvault-keys/4.10.2";
const ourSdk = new RegExp(`(^| )azsdk-js-keyvault-keys/${ourVersion.replace(/\./g, "\\.")}( |$)`);
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A request, as compared. */
export interface WireRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: Record<string, string>;
}

function userAgent(value: string, side: "official" | "ours"): string {
  if (side === "official") {
    expect(value, "the official user agent").toContain(officialSdk);
    return value.replace(officialSdk, "<sdk>");
  }
  expect(value, `our user agent names this package at version ${ourVersion}`).toMatch(ourSdk);
  return value.replace(ourSdk, "$1<sdk>$2");
}

/** The fake vault's mark for a body that is not JSON. */
const isRaw = (body: unknown): boolean => typeof body === "object" && body !== null && "__raw__" in body;

/** The comparable form of one recorded request. */
export function wireRequest(r: RecordedRequest, side: "official" | "ours"): WireRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.headers)) {
    if (name === "host" || name === "connection") continue;
    if (name === "x-ms-client-request-id") {
      expect(value, `${side} x-ms-client-request-id`).toMatch(uuid);
      headers[name] = "<uuid>";
    } else if (name === "content-length") {
      expect(Number(value), `${side} content-length`).toBe(Buffer.byteLength(r.rawBody));
    } else if (name === "user-agent") {
      headers[name] = userAgent(value, side);
    } else headers[name] = value;
  }
  return {
    method: r.method,
    path: r.path,
    query: { ...r.query },
    body: r.rawBody === "" ? undefined : isRaw(r.body) ? r.rawBody : r.body,
    headers,
  };
}

/**
 * The keys both bodies have are written in the same order, at every depth (JSON on the wire is text:
 * a caller's proxy or log sees the order). Keys only one side has are named differences of the body.
 */
export function expectSameKeyOrder(official: unknown, ours: unknown, path = "body"): void {
  if (typeof official !== "object" || official === null || typeof ours !== "object" || ours === null) return;
  const shared = (a: object, b: object) => Object.keys(a).filter((k) => k in b);
  expect(shared(ours, official), `key order of ${path}`).toEqual(shared(official, ours));
  for (const key of shared(official, ours)) {
    expectSameKeyOrder(
      (official as Record<string, unknown>)[key],
      (ours as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
  }
}
