/*
 * Whether a request the client sent is the recorded one: host, method, path, query (modulo
 * api-version, which is compared on its own, and order) and, when the recorder kept bodies, the body.
 * The differences are named in words, for the replay's list of mismatches.
 */
import { expect } from "vitest";
import { isChallenge, type RecordedEntry } from "./recording.js";

/** A request as nock handed it to the replay server. */
export interface SentRequest {
  origin: string;
  method: string;
  /** Path and query. */
  uri: string;
  body: unknown;
}

export interface MatchOptions {
  /** Compare the body too (when the recorder kept bodies). */
  compareBody: boolean;
  /**
   * A recover poll, where the client polls `/keys/{name}/{version}` and the recorder polled
   * `/keys/{name}`: one more path segment is accepted.
   */
  versionedPoll: boolean;
}

/** Collapses repeated slashes and drops a trailing one. */
function normalizePath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, "/");
  return collapsed.length > 1 ? collapsed.replace(/\/+$/, "") : collapsed;
}

function queryWithoutApiVersion(search: URLSearchParams): string[] {
  return [...search.entries()]
    .filter(([k]) => k !== "api-version")
    .map(([k, v]) => `${k}=${v}`)
    .sort();
}

/** How `sent` differs from the recorded `entry`, each difference prefixed with `where`; empty when it does not. */
export function requestMismatches(
  where: string,
  entry: RecordedEntry,
  sent: SentRequest,
  options: MatchOptions,
): string[] {
  const mismatches: string[] = [];
  const ours = new URL(sent.uri, sent.origin);
  const recorded = new URL(entry.url);
  if (ours.origin !== recorded.origin) mismatches.push(`${where}: host ${ours.origin} != recorded ${recorded.origin}`);
  if (sent.method !== entry.method) mismatches.push(`${where}: method ${sent.method} != recorded ${entry.method}`);
  const ourPath = normalizePath(ours.pathname);
  const recordedPath = normalizePath(recorded.pathname);
  const samePath =
    ourPath === recordedPath ||
    (options.versionedPoll &&
      ourPath.startsWith(`${recordedPath}/`) &&
      ourPath.split("/").length === recordedPath.split("/").length + 1);
  if (!samePath) mismatches.push(`${where}: path ${ours.pathname} != recorded ${recorded.pathname}`);
  if (ours.searchParams.get("api-version") !== recorded.searchParams.get("api-version")) {
    mismatches.push(
      `${where}: api-version ${ours.searchParams.get("api-version")} != recorded ${recorded.searchParams.get("api-version")}`,
    );
  }
  const ourQuery = queryWithoutApiVersion(ours.searchParams);
  const recordedQuery = queryWithoutApiVersion(recorded.searchParams);
  if (JSON.stringify(ourQuery) !== JSON.stringify(recordedQuery))
    mismatches.push(`${where}: query ${ourQuery.join("&")} != recorded ${recordedQuery.join("&")}`);
  const { body } = sent;
  const text = typeof body === "string" ? body : body === undefined || body === null ? "" : JSON.stringify(body);
  if (isChallenge(entry) || !options.compareBody) {
    if (isChallenge(entry) && text.length > 0) mismatches.push(`${where}: the challenge request carried a body`);
    return mismatches;
  }
  const parsed = text.length > 0 ? (JSON.parse(text) as unknown) : null;
  try {
    expect(parsed).toEqual(entry.requestBody ?? null);
  } catch {
    mismatches.push(`${where}: body ${text} != recorded ${JSON.stringify(entry.requestBody)}`);
  }
  return mismatches;
}
