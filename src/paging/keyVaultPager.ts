import type { PageSettings, PagedAsyncIterableIterator } from "@azure/core-paging";
import { RestError } from "@azure/core-rest-pipeline";
import type { OperationOptions } from "../models/operationOptions.js";
import type { KeyVaultRestClient, RestCallOptions } from "../rest/keyVaultRestClient.js";
import { malformed } from "../transformations.js";
import { toCallOptions } from "../rest/callOptions.js";

export type { PageSettings, PagedAsyncIterableIterator } from "@azure/core-paging";

/** One page as the service sends it. @internal */
interface WirePage {
  value?: unknown[];
  nextLink?: string | null;
}

/** A page of items, with the link to the next one. */
export type KeyVaultPage<T> = T[] & { continuationToken?: string };

/** @internal */
export interface PagerInit<T> {
  client: KeyVaultRestClient;
  operationId: string;
  /** Sends the first request; `maxresults` is the caller's `maxPageSize`. */
  firstPage(maxresults: number | undefined, options: RestCallOptions): Promise<unknown>;
  mapItem(item: unknown): T;
  options: OperationOptions;
}

/**
 * The pager of every list method, written once: no request until the first `next()`; items one by
 * one when iterated; `byPage({ maxPageSize, continuationToken })` gives arrays that carry the
 * service's `nextLink` as `continuationToken`. Empty pages with a `nextLink` are followed; a page
 * that links to itself is an error rather than an endless loop. Every page request carries the
 * caller's abort signal, headers and tracing options. Nothing holds a page once it is yielded.
 * @internal
 */
export function createKeyVaultPager<T>(init: PagerInit<T>): PagedAsyncIterableIterator<T, KeyVaultPage<T>, PageSettings> {
  const { client, operationId, options } = init;
  const callOptions = toCallOptions(options);

  async function* pages(settings: PageSettings = {}): AsyncIterableIterator<KeyVaultPage<T>> {
    if (settings.maxPageSize !== undefined && (!Number.isInteger(settings.maxPageSize) || settings.maxPageSize < 1)) {
      throw new RangeError(`maxPageSize must be a positive integer; got ${String(settings.maxPageSize)}.`);
    }
    let link: string | undefined = settings.continuationToken;
    let first = link === undefined;
    while (first || link !== undefined) {
      const wire: unknown = first
        ? await init.firstPage(settings.maxPageSize, callOptions)
        : await client.getPage<unknown>(link!, operationId, callOptions);
      first = false;
      const { value, nextLink } = readPage(wire, operationId);
      if (nextLink !== undefined && nextLink === link) {
        throw new RestError(`${operationId}: the service returned a page whose nextLink points to itself; stopping.`, {
          code: "InvalidNextLink",
        });
      }
      link = nextLink;
      const page = value.map(init.mapItem) as KeyVaultPage<T>;
      if (link !== undefined) page.continuationToken = link;
      yield page;
    }
  }

  async function* items(): AsyncIterableIterator<T> {
    for await (const page of pages()) yield* page;
  }

  const iterator = items();
  return {
    next: () => iterator.next(),
    [Symbol.asyncIterator]() {
      return this;
    },
    byPage: (settings?: PageSettings) => pages(settings),
  };
}

function readPage(wire: unknown, operationId: string): { value: unknown[]; nextLink: string | undefined } {
  if (typeof wire !== "object" || wire === null || Array.isArray(wire)) throw malformed(`${operationId} page`, "an object");
  const page = wire as WirePage;
  if (page.value !== undefined && page.value !== null && !Array.isArray(page.value)) {
    throw malformed(`${operationId} page.value`, "an array");
  }
  if (page.nextLink !== undefined && page.nextLink !== null && typeof page.nextLink !== "string") {
    throw malformed(`${operationId} page.nextLink`, "a string or null");
  }
  return { value: page.value ?? [], nextLink: page.nextLink || undefined };
}
