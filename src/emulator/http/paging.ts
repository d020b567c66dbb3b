/**
 * Paging of the list operations: `maxresults` (1..25, default 25), an opaque `$skiptoken` that holds
 * the sort key of the last item returned (so inserts between pages neither repeat nor skip items that
 * existed throughout), and `nextLink` (null on the last page). A page reads its items from an index
 * that starts after the token's key, so it costs what it returns, whatever the size of the list.
 * @internal
 */
import { badParameter } from "../vault/errors.js";
import { fromBase64UrlJson, isJsonObject, toBase64UrlJson } from "../vault/encoding.js";
import { firstIndexAfter } from "../store/sortedNames.js";

/** The largest and default page size, as the service. @internal */
export const maxPageSize = 25;

/** Reads `maxresults`, or the default when absent. @internal */
export function parseMaxResults(raw: string | null): number {
  if (raw === null) return maxPageSize;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > maxPageSize) {
    throw badParameter(`Invalid value for maxresults: '${raw}'. It must be an integer between 1 and ${maxPageSize}.`);
  }
  return Number(raw);
}

function encodeSkipToken(marker: string): string {
  return toBase64UrlJson({ marker, v: 1 });
}

function decodeSkipToken(token: string): string {
  try {
    const decoded = fromBase64UrlJson(token);
    if (isJsonObject(decoded) && typeof decoded["marker"] === "string") return decoded["marker"];
  } catch {
    // fall through
  }
  throw badParameter("The $skiptoken is not valid.");
}

/** One page of a list request. @internal */
export interface PageRequest {
  /** The vault URL and path of the list, e.g. "https://127.0.0.1:1234/keys". */
  listUrl: string;
  apiVersion: string;
  query: URLSearchParams;
}

/** The items of `sorted` (ascending by `sortKey`, unique) after `after`, found by binary search. @internal */
export function* sortedItemsAfter<T>(
  sorted: readonly T[],
  sortKey: (item: T) => string,
  after: string | undefined,
): Generator<T> {
  for (let index = firstIndexAfter(sorted, sortKey, after); index < sorted.length; index++) yield sorted[index] as T;
}

/**
 * Builds one page of a list request from `itemsAfter`, which gives the items (ascending by
 * `sortKey`, unique) after a sort key, or from the start; it is read only as far as the page goes.
 * @internal
 */
export function buildPage<T, W>(
  itemsAfter: (after: string | undefined) => Iterable<T>,
  sortKey: (item: T) => string,
  toWire: (item: T) => W,
  request: PageRequest,
): { value: W[]; nextLink: string | null } {
  const rawMax = request.query.get("maxresults");
  const size = parseMaxResults(rawMax);
  const token = request.query.get("$skiptoken");
  const after = token === null || token === "" ? undefined : decodeSkipToken(token);
  const pageItems: T[] = [];
  let more = false;
  for (const item of itemsAfter(after)) {
    if (pageItems.length === size) {
      more = true;
      break;
    }
    pageItems.push(item);
  }
  const last = pageItems[pageItems.length - 1];
  let nextLink: string | null = null;
  if (more && last !== undefined) {
    nextLink =
      `${request.listUrl}?api-version=${encodeURIComponent(request.apiVersion)}` +
      `&$skiptoken=${encodeSkipToken(sortKey(last))}` +
      (rawMax === null ? "" : `&maxresults=${size}`);
  }
  return { value: pageItems.map(toWire), nextLink };
}
