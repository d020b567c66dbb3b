/**
 * Differential tests of the list methods: ours vs the official @azure/keyvault-keys 4.10.2 against one
 * fake vault that answers three pages (2 items, an empty page with a nextLink, 1 item with
 * `"nextLink": null`). Requests (first page with api-version and maxresults, then the nextLinks as
 * given) and the whole items and pages, in order, compared by expectSameRun. Named differences: list
 * items keep `exportable`; each page from byPage() has a `continuationToken`; pages after the first carry
 * the caller's headers (and abort signal).
 */
import { describe, expect, it } from "vitest";
import { collect } from "../helpers/collect.js";
import { differentialVault, expectSameRun, resolved, runBoth } from "../helpers/differential/clients.js";

const t = differentialVault();

async function pages<T>(iterable: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of iterable) out.push(page);
  return out;
}

/** The nextLinks the fake wrote, taken from the requests after the first (ours' continuation tokens). */
function nextLinks(run: { ourRequests: { path: string; rawQuery: string }[] }): string[] {
  return run.ourRequests.slice(1).map((r) => `${t.vault.url}${r.path}?${r.rawQuery}`);
}

/** Named difference: the official list mapper drops `attributes.exportable` (go-7.5 items: absent, false, true). */
const exportableOfKeyItems = (prefix: (i: number) => string) => ({
  [`${prefix(1)}.exportable`]: false,
  [`${prefix(2)}.exportable`]: true,
});

/** Named difference: only ours' pages have a continuationToken (the nextLink; none on the last page). */
function continuationTokens(links: string[]): Record<string, string> {
  return Object.fromEntries(links.map((link, i) => [`outcome.resolved[${i}].continuationToken`, link]));
}

describe("listPropertiesOfKeys", () => {
  it("iterating items: same three requests across the empty middle page, same items", async () => {
    const run = await runBoth(
      t.vault,
      () => collect(t.official.listPropertiesOfKeys()),
      () => collect(t.ours.listPropertiesOfKeys()),
    );
    expectSameRun(
      run,
      exportableOfKeyItems((i) => `outcome.resolved[${i}]`),
    );
    expect(run.ourRequests.map((r) => r.query)).toEqual([
      { "api-version": "2025-07-01" },
      expect.objectContaining({ "api-version": "2025-07-01" }),
      expect.objectContaining({ "api-version": "2025-07-01" }),
    ]);
    expect(resolved(run.ours)[0]).toMatchObject({ name: "2455761926", managed: true, enabled: false });
  });

  it("byPage({ maxPageSize }): maxresults on the first request and kept in the nextLinks; the same pages", async () => {
    const run = await runBoth(
      t.vault,
      () => pages(t.official.listPropertiesOfKeys().byPage({ maxPageSize: 2 })),
      () => pages(t.ours.listPropertiesOfKeys().byPage({ maxPageSize: 2 })),
    );
    expect(run.ourRequests.map((r) => r.query["maxresults"])).toEqual(["2", "2", "2"]);
    expectSameRun(run, {
      ...continuationTokens(nextLinks(run)),
      "outcome.resolved[0][1].exportable": false,
      "outcome.resolved[2][0].exportable": true,
    });
    expect(resolved(run.ours).map((p) => p.length)).toEqual([2, 0, 1]);
  });

  it("byPage({ continuationToken }) from ours' first page: both continue from that link, the same pages", async () => {
    const first = await pages(t.ours.listPropertiesOfKeys().byPage({ maxPageSize: 2 }));
    const token = (first[0] as { continuationToken?: string }).continuationToken!;
    expect(token).toContain("$skiptoken=");
    const run = await runBoth(
      t.vault,
      () => pages(t.official.listPropertiesOfKeys().byPage({ continuationToken: token })),
      () => pages(t.ours.listPropertiesOfKeys().byPage({ continuationToken: token })),
    );
    expect(run.ourRequests).toHaveLength(2);
    expectSameRun(run, { ...continuationTokens(nextLinks(run)), "outcome.resolved[1][0].exportable": true });
  });

  it("next() one item at a time: the same sequence of results and the same done flag", async () => {
    const take = async (iterator: { next(): Promise<IteratorResult<unknown>> }) => {
      const results: IteratorResult<unknown>[] = [];
      for (let i = 0; i < 4; i++) results.push(await iterator.next());
      return results;
    };
    const run = await runBoth(
      t.vault,
      () => take(t.official.listPropertiesOfKeys()),
      () => take(t.ours.listPropertiesOfKeys()),
    );
    expectSameRun(
      run,
      exportableOfKeyItems((i) => `outcome.resolved[${i}].value`),
    );
    expect(resolved(run.ours).map((r) => r.done)).toEqual([false, false, false, true]);
  });

  it("requestOptions.headers: on every page of ours; named difference, the official sends them on the first page only", async () => {
    const options = { requestOptions: { headers: { "x-ms-differential": "pages" } } };
    const run = await runBoth(
      t.vault,
      () => collect(t.official.listPropertiesOfKeys(options)),
      () => collect(t.ours.listPropertiesOfKeys(options)),
    );
    expect(run.officialRequests.map((r) => r.headers["x-ms-differential"])).toEqual(["pages", undefined, undefined]);
    expectSameRun(run, {
      ...exportableOfKeyItems((i) => `outcome.resolved[${i}]`),
      "requests[1].headers.x-ms-differential": "pages",
      "requests[2].headers.x-ms-differential": "pages",
    });
  });
});

describe("listPropertiesOfKeyVersions", () => {
  it("iterating items: same requests, same items (version items carry no exportable)", async () => {
    const run = await runBoth(
      t.vault,
      () => collect(t.official.listPropertiesOfKeyVersions("versioned")),
      () => collect(t.ours.listPropertiesOfKeyVersions("versioned")),
    );
    expectSameRun(run);
    expect(run.ourRequests.map((r) => r.path)).toEqual(Array(3).fill("/keys/versioned/versions"));
    expect(resolved(run.ours).map((p) => p.version)).toEqual([
      "03e03c00c1bd46fa808c1befaed14a36",
      "043fd11b031c4f38a0c447b11a9ba5d5",
      "0adae59dd92f42b4903abc9071354447",
    ]);
  });

  it("byPage({ maxPageSize: 1 }): same requests with maxresults, the same pages", async () => {
    const run = await runBoth(
      t.vault,
      () => pages(t.official.listPropertiesOfKeyVersions("versioned").byPage({ maxPageSize: 1 })),
      () => pages(t.ours.listPropertiesOfKeyVersions("versioned").byPage({ maxPageSize: 1 })),
    );
    expect(run.ourRequests[0]!.query).toEqual({ "api-version": "2025-07-01", maxresults: "1" });
    expectSameRun(run, continuationTokens(nextLinks(run)));
  });
});

describe("listDeletedKeys", () => {
  it("iterating items: same requests, same deleted keys (key.kid only, no key material)", async () => {
    const run = await runBoth(
      t.vault,
      () => collect(t.official.listDeletedKeys()),
      () => collect(t.ours.listDeletedKeys()),
    );
    expectSameRun(run);
    expect(run.ourRequests.map((r) => r.path)).toEqual(Array(3).fill("/deletedkeys"));
    const deleted = resolved(run.ours);
    expect(deleted[1]!.properties.tags).toEqual({ purpose: "differential" });
    // The Python names are accessors over the properties.
    expect(deleted.map((d) => d.recoveryId)).toEqual(deleted.map((d) => d.properties.recoveryId));
  });

  it("byPage({ maxPageSize: 2 }): three pages (2, empty, 1), same requests, the same pages", async () => {
    const run = await runBoth(
      t.vault,
      () => pages(t.official.listDeletedKeys().byPage({ maxPageSize: 2 })),
      () => pages(t.ours.listDeletedKeys().byPage({ maxPageSize: 2 })),
    );
    expect(run.ourRequests.map((r) => r.query["maxresults"])).toEqual(["2", "2", "2"]);
    expectSameRun(run, continuationTokens(nextLinks(run)));
  });
});
