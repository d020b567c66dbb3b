/**
 * Differential tests of the list methods: ours vs the official @azure/keyvault-keys 4.10.2 against one
 * fake vault that answers three pages (2 items, an empty page with a nextLink, 1 item with
 * `"nextLink": null`). Same requests (first page with api-version and maxresults, then the nextLinks
 * as given), same items; the documented differences (`exportable` on list items, `continuationToken`
 * on pages, top-level deletion fields on deleted keys) are asserted explicitly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETED_KEY_EXTRAS, expectSameItems, expectSameRequests } from "../helpers/differentialAssertions.js";
import { collect, collectPages, createClients, runBoth, type ClientPair } from "../helpers/differentialClients.js";
import { startFakeVault, type FakeVault } from "../helpers/differentialServer.js";

let vault: FakeVault;
let ours: ClientPair["ours"];
let official: ClientPair["official"];

beforeAll(async () => {
  vault = await startFakeVault();
  ({ ours, official } = createClients(vault));
  await official.getKey("warm-up");
  await ours.getKey("warm-up");
});

afterAll(async () => {
  await vault.close();
});

/** `exportable` as each /keys item on the wire has it (go-7.5 items: absent, false, true). */
const exportableOnWire = [undefined, false, true];
/**
 * Documented difference: the official list mapper drops `attributes.exportable`; ours keeps it. So
 * ours = official + `exportable` on exactly the items whose wire attributes carry it.
 */
const keyItemExtras = (i: number) => (exportableOnWire[i] === undefined ? [] : ["exportable"]);

/** The pages' nextLinks, as the fake writes them, taken from the requests after the first. */
function nextLinksOf(run: { ourRaw: { path: string; rawQuery: string; authenticated: boolean }[] }): string[] {
  return run.ourRaw
    .filter((r) => r.authenticated)
    .slice(1)
    .map((r) => `${vault.url}${r.path}?${r.rawQuery}`);
}

describe("listPropertiesOfKeys", () => {
  it("iterating items: same three requests across the empty middle page; same items except the official dropping exportable", async () => {
    const run = await runBoth(
      vault,
      () => collect(official.listPropertiesOfKeys()),
      () => collect(ours.listPropertiesOfKeys()),
    );
    expectSameRequests(run);
    expect(run.ourRequests).toHaveLength(3);
    expect(run.ourRequests[0]).toMatchObject({ method: "GET", path: "/keys", query: { "api-version": "2025-07-01" } });
    expect(run.ourRequests[1]!.query).toMatchObject({ "api-version": "2025-07-01" });
    expect(run.ourRequests[1]!.query).not.toHaveProperty("maxresults");
    expect(run.ours).toHaveLength(3);
    expect(run.official.map((p) => p.exportable)).toEqual([undefined, undefined, undefined]);
    expect(run.ours.map((p) => p.exportable)).toEqual(exportableOnWire);
    expectSameItems(run.official, run.ours, keyItemExtras);
    expect(run.ours[0]).toMatchObject({ name: "2455761926", managed: true, enabled: false });
  });

  it("byPage({ maxPageSize }): maxresults on the first request and kept in the nextLinks; same pages; documented difference, only ours has continuationToken", async () => {
    const run = await runBoth(
      vault,
      () => collectPages(official.listPropertiesOfKeys().byPage({ maxPageSize: 2 })),
      () => collectPages(ours.listPropertiesOfKeys().byPage({ maxPageSize: 2 })),
    );
    expectSameRequests(run);
    expect(run.ourRequests.map((r) => r.query["maxresults"])).toEqual(["2", "2", "2"]);
    expect(run.ours.map((p) => p.items.length)).toEqual([2, 0, 1]);
    expect(run.official.map((p) => p.items.length)).toEqual([2, 0, 1]);
    expect(run.official.map((p) => p.continuationToken)).toEqual([undefined, undefined, undefined]);
    expect(run.ours.map((p) => p.continuationToken)).toEqual([...nextLinksOf(run), undefined]);
    expectSameItems(
      run.official.flatMap((p) => p.items),
      run.ours.flatMap((p) => p.items),
      keyItemExtras,
    );
  });

  it("byPage({ continuationToken }) from ours' first page: both continue from that link with the same requests and items", async () => {
    const first = await collectPages(ours.listPropertiesOfKeys().byPage({ maxPageSize: 2 }));
    const token = first[0]!.continuationToken!;
    expect(token).toContain("$skiptoken=");
    const run = await runBoth(
      vault,
      () => collectPages(official.listPropertiesOfKeys().byPage({ continuationToken: token })),
      () => collectPages(ours.listPropertiesOfKeys().byPage({ continuationToken: token })),
    );
    expectSameRequests(run);
    expect(run.ourRequests).toHaveLength(2);
    expect(run.ours.map((p) => p.items.length)).toEqual([0, 1]);
    expectSameItems(
      run.official.flatMap((p) => p.items),
      run.ours.flatMap((p) => p.items),
      () => ["exportable"],
    );
  });
});

describe("listPropertiesOfKeyVersions", () => {
  it("iterating items: same requests, same items (version items carry no exportable)", async () => {
    const run = await runBoth(
      vault,
      () => collect(official.listPropertiesOfKeyVersions("versioned")),
      () => collect(ours.listPropertiesOfKeyVersions("versioned")),
    );
    expectSameRequests(run);
    expect(run.ourRequests.map((r) => r.path)).toEqual([
      "/keys/versioned/versions",
      "/keys/versioned/versions",
      "/keys/versioned/versions",
    ]);
    expect(run.ours.map((p) => p.version)).toEqual([
      "03e03c00c1bd46fa808c1befaed14a36",
      "043fd11b031c4f38a0c447b11a9ba5d5",
      "0adae59dd92f42b4903abc9071354447",
    ]);
    expectSameItems(run.official, run.ours);
  });

  it("byPage({ maxPageSize: 1 }): same requests with maxresults, same pages; only ours has continuationToken", async () => {
    const run = await runBoth(
      vault,
      () => collectPages(official.listPropertiesOfKeyVersions("versioned").byPage({ maxPageSize: 1 })),
      () => collectPages(ours.listPropertiesOfKeyVersions("versioned").byPage({ maxPageSize: 1 })),
    );
    expectSameRequests(run);
    expect(run.ourRequests[0]!.query).toEqual({ "api-version": "2025-07-01", maxresults: "1" });
    expect(run.official.map((p) => p.continuationToken)).toEqual([undefined, undefined, undefined]);
    expect(run.ours.map((p) => p.continuationToken)).toEqual([...nextLinksOf(run), undefined]);
    expect(run.ours.map((p) => p.items.length)).toEqual(run.official.map((p) => p.items.length));
    expectSameItems(
      run.official.flatMap((p) => p.items),
      run.ours.flatMap((p) => p.items),
    );
  });
});

describe("listDeletedKeys", () => {
  it("iterating items: same requests; ours = official + top-level deletedDate/scheduledPurgeDate/recoveryId (key.kid in both)", async () => {
    const run = await runBoth(
      vault,
      () => collect(official.listDeletedKeys()),
      () => collect(ours.listDeletedKeys()),
    );
    expectSameRequests(run);
    expect(run.ourRequests.map((r) => r.path)).toEqual(["/deletedkeys", "/deletedkeys", "/deletedkeys"]);
    expect(run.ours).toHaveLength(3);
    expectSameItems(run.official, run.ours, DELETED_KEY_EXTRAS);
    // Both expose the item's kid as key.kid (no key material in a list item).
    expect(run.ours.map((d) => d.key?.kid)).toEqual(run.official.map((d) => d.key?.kid));
    expect(run.ours[1]!.properties.tags).toEqual({ purpose: "differential" });
  });

  it("byPage({ maxPageSize: 2 }): three pages (2, empty, 1), same requests; only ours has continuationToken", async () => {
    const run = await runBoth(
      vault,
      () => collectPages(official.listDeletedKeys().byPage({ maxPageSize: 2 })),
      () => collectPages(ours.listDeletedKeys().byPage({ maxPageSize: 2 })),
    );
    expectSameRequests(run);
    expect(run.ourRequests.map((r) => r.query["maxresults"])).toEqual(["2", "2", "2"]);
    expect(run.ours.map((p) => p.items.length)).toEqual([2, 0, 1]);
    expect(run.official.map((p) => p.items.length)).toEqual([2, 0, 1]);
    expect(run.official.map((p) => p.continuationToken)).toEqual([undefined, undefined, undefined]);
    expect(run.ours.map((p) => p.continuationToken)).toEqual([...nextLinksOf(run), undefined]);
    expectSameItems(
      run.official.flatMap((p) => p.items),
      run.ours.flatMap((p) => p.items),
      DELETED_KEY_EXTRAS,
    );
  });

  it("next() one item at a time gives the same sequence and done flag", async () => {
    const take = async (iterator: { next(): Promise<IteratorResult<unknown>> }) => {
      const results: IteratorResult<unknown>[] = [];
      for (let i = 0; i < 4; i++) results.push(await iterator.next());
      return results;
    };
    const run = await runBoth(
      vault,
      () => take(official.listDeletedKeys()),
      () => take(ours.listDeletedKeys()),
    );
    expectSameRequests(run);
    expect(run.ours.map((r) => r.done)).toEqual([false, false, false, true]);
    expect(run.official.map((r) => r.done)).toEqual([false, false, false, true]);
    expectSameItems(
      run.official.slice(0, 3).map((r) => r.value),
      run.ours.slice(0, 3).map((r) => r.value),
      DELETED_KEY_EXTRAS,
    );
  });
});
