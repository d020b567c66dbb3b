import type { PageSettings, PagedAsyncIterableIterator } from "@azure/core-paging";
import type { OperationOptions } from "../models/operationOptions.js";
import type { KeyVaultRestClient, RestCallOptions } from "../http/keyVaultRestClient.js";
import { malformed } from "../util/wireReaders.js";
import { toCallOptions } from "../http/callOptions.js";
import { PendingRestError, toRestError } from "../http/pendingRestError.js";

export type { PageSettings, PagedAsyncIterableIterator } from "@azure/core-paging";

/** A page of items, with the link to the next one. */
export type KeyVaultPage<T> = T[] & { continuationToken?: string };

/** @internal */
export interface PagerInit<T> {
  client: KeyVaultRestClient;
  operationId: string;
  /** Sends the first request; `maxresults` is the caller's `maxPageSize`. */
  firstPage(maxresults: number | undefined, options: RestCallOptions): Promise<unknown>;
  mapItem: (item: unknown) => T;
  options: OperationOptions;
  /** Whether page requests should get their HTTP tracing span (the list's operation span records). */
  tracingActive?: () => boolean;
  /** The most pages one iteration follows (default {@link defaultMaxPages}); a guard against a service that never stops. */
  maxPages?: number;
}

/**
 * The most pages one list follows before it fails: 100000, far more than any vault needs (at the
 * default 25 items a page, 2.5 million keys), but a bound on a service whose `nextLink`s never end.
 * @internal
 */
export const defaultMaxPages = 100_000;

/**
 * The pager of every list method, written once: no request until the first `next()`; items one by
 * one when iterated; `byPage({ maxPageSize, continuationToken })` gives arrays that carry the
 * service's `nextLink` as `continuationToken`. Empty pages with a `nextLink` are followed; a
 * `nextLink` to a page already read (itself, or a loop A -> B -> A), or more than `maxPages` pages,
 * is an error rather than an endless loop. Every page request carries the
 * caller's abort signal, headers and tracing options. Nothing holds a page once it is yielded.
 * @internal
 */
export function createKeyVaultPager<T>(init: PagerInit<T>): PagedAsyncIterableIterator<T, KeyVaultPage<T>> {
  const { client, operationId, options } = init;
  const callOptions = toCallOptions(options);

  async function* pages(settings: PageSettings = {}): AsyncIterableIterator<KeyVaultPage<T>> {
    try {
      yield* pagesOrPending(settings);
    } catch (error) {
      // Errors of the pager and the mappers surface as RestErrors, made here, on the error path only.
      throw await toRestError(error);
    }
  }

  async function* pagesOrPending(settings: PageSettings): AsyncIterableIterator<KeyVaultPage<T>> {
    if (settings.maxPageSize !== undefined && (!Number.isInteger(settings.maxPageSize) || settings.maxPageSize < 1)) {
      throw new RangeError(`maxPageSize must be a positive integer; got ${String(settings.maxPageSize)}.`);
    }
    let link: string | undefined = settings.continuationToken;
    let first = link === undefined;
    // Every link followed so far: a link seen before (A -> A, or A -> B -> A) would loop forever.
    const followed = new Set<string>();
    if (link !== undefined) followed.add(link);
    const maxPages = init.maxPages ?? defaultMaxPages;
    let pageCount = 0;
    while (first || link !== undefined) {
      if (++pageCount > maxPages) {
        throw new PendingRestError(`${operationId}: the service returned more than ${maxPages} pages; stopping.`, {
          code: "TooManyPages",
        });
      }
      // Only the first page of a fresh list has no link (and its operation's span sets tracingActive).
      if (link !== undefined && init.tracingActive) callOptions.tracingActive = init.tracingActive();
      const wire: unknown =
        link === undefined
          ? await init.firstPage(settings.maxPageSize, callOptions)
          : await client.getPage<unknown>(link, operationId, callOptions);
      first = false;
      const { value, nextLink } = readPage(wire, operationId);
      if (nextLink !== undefined && followed.has(nextLink)) {
        throw new PendingRestError(
          `${operationId}: the service returned a nextLink to a page already read (${nextLink === link ? "itself" : "a loop"}); stopping.`,
          { code: "InvalidNextLink" },
        );
      }
      if (nextLink !== undefined) followed.add(nextLink);
      link = nextLink;
      const page = value.map(init.mapItem) as KeyVaultPage<T>;
      if (link !== undefined) page.continuationToken = link;
      yield page;
    }
  }

  return {
    ...itemsOf(pages),
    [Symbol.asyncIterator]() {
      return this;
    },
    byPage: (settings?: PageSettings) => pages(settings),
  };
}

/**
 * The items of the pages, one by one, without an async generator per item: an item of a page already
 * read is handed out at once, and each slot is cleared as it goes, so nothing keeps an item the caller
 * has had. Calls that overlap wait for the one before (as a generator would).
 */
function itemsOf<T>(pages: () => AsyncIterableIterator<KeyVaultPage<T>>): { next(): Promise<IteratorResult<T>> } {
  let source: AsyncIterableIterator<KeyVaultPage<T>> | undefined;
  let page: Array<T | undefined> = [];
  let index = 0;
  let done = false;
  let pending: Promise<IteratorResult<T>> | undefined;

  async function nextPage(): Promise<IteratorResult<T>> {
    source ??= pages();
    for (;;) {
      let result: IteratorResult<KeyVaultPage<T>>;
      try {
        result = await source.next();
      } catch (error) {
        done = true;
        throw error;
      }
      if (result.done) {
        done = true;
        return { value: undefined, done: true };
      }
      if (result.value.length > 0) {
        page = result.value;
        index = 1;
        const value = page[0] as T;
        page[0] = undefined;
        return { value, done: false };
      }
    }
  }

  function next(): Promise<IteratorResult<T>> {
    if (pending) return pending.then(next, next);
    if (index < page.length) {
      const value = page[index] as T;
      page[index++] = undefined;
      return Promise.resolve({ value, done: false });
    }
    if (done) return Promise.resolve({ value: undefined, done: true });
    const promise = nextPage();
    pending = promise;
    const clear = (): void => {
      if (pending === promise) pending = undefined;
    };
    promise.then(clear, clear);
    return promise;
  }

  return { next };
}

function readPage(wire: unknown, operationId: string): { value: unknown[]; nextLink: string | undefined } {
  if (typeof wire !== "object" || wire === null || Array.isArray(wire))
    throw malformed(`${operationId} page`, "an object");
  // One page as the service sends it, checked: `value` an array, `nextLink` a string or null.
  const { value, nextLink } = wire as { value?: unknown; nextLink?: unknown };
  if (value !== undefined && value !== null && !Array.isArray(value)) {
    throw malformed(`${operationId} page.value`, "an array");
  }
  if (nextLink !== undefined && nextLink !== null && typeof nextLink !== "string") {
    throw malformed(`${operationId} page.nextLink`, "a string or null");
  }
  return {
    value: (value ?? []) as unknown[],
    nextLink: typeof nextLink === "string" && nextLink !== "" ? nextLink : undefined,
  };
}
