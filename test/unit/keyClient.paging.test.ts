import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DeletedKey, KeyClient, KeyProperties } from "../../src/index.js";
import type { AbortSignalLike } from "../../src/index.js";
import { apiVersion, createTestClient, mockVault, resetNock, restoreNock, VAULT_URL } from "../helpers/mockVault.js";
import { deletedKeyItem, keyItem } from "../helpers/wire.js";
import { expectDeletedKeyMatchesWire, expectPropertiesMatchWire } from "../helpers/wireAssertions.js";

beforeEach(resetNock);
afterEach(restoreNock);

type Item = KeyProperties | DeletedKey;

interface ListCase {
  name: string;
  path: string;
  item(i: number): Record<string, unknown>;
  list(
    client: KeyClient,
    options?: Parameters<KeyClient["listPropertiesOfKeys"]>[0],
  ): ReturnType<KeyClient["listPropertiesOfKeys"]> | ReturnType<KeyClient["listDeletedKeys"]>;
  check(actual: Item, wire: Record<string, unknown>): void;
}

const cases: ListCase[] = [
  {
    name: "listPropertiesOfKeys",
    path: "/keys",
    item: (i) => keyItem(`key-${i}`),
    list: (client, options) => client.listPropertiesOfKeys(options),
    check: (actual, wire) => expectPropertiesMatchWire(actual as KeyProperties, wire, wire["kid"] as string),
  },
  {
    name: "listPropertiesOfKeyVersions",
    path: "/keys/k/versions",
    item: (i) => keyItem("k", `version${i}`, { exportable: i % 2 === 0 }),
    list: (client, options) => client.listPropertiesOfKeyVersions("k", options),
    check: (actual, wire) => expectPropertiesMatchWire(actual as KeyProperties, wire, wire["kid"] as string),
  },
  {
    name: "listDeletedKeys",
    path: "/deletedkeys",
    item: (i) => deletedKeyItem(`gone-${i}`),
    list: (client, options) => client.listDeletedKeys(options),
    check: (actual, wire) => expectDeletedKeyMatchesWire(actual as DeletedKey, wire),
  },
];

/** nextLinks as the service writes them: explicit :443, same api-version, opaque $skiptoken, maxresults echoed. */
const nextLink = (path: string, token: string, maxresults?: number): string =>
  `${VAULT_URL}:443${path}?api-version=2025-07-01&$skiptoken=${token}${maxresults ? `&maxresults=${maxresults}` : ""}`;

/** Four pages: [item0, item1], [] (empty, with a nextLink), [item2, item3], [item4] (nextLink null). */
function serveFourPages(
  vault: ReturnType<typeof mockVault>,
  c: ListCase,
  maxresults?: number,
): Record<string, unknown>[] {
  const items = [0, 1, 2, 3, 4].map(c.item);
  const max = maxresults ? { maxresults: String(maxresults) } : {};
  vault.scope
    .get(c.path)
    .query({ ...apiVersion(), ...max })
    .reply(200, { value: items.slice(0, 2), nextLink: nextLink(c.path, "page2", maxresults) });
  vault.scope
    .get(c.path)
    .query({ ...apiVersion(), $skiptoken: "page2", ...max })
    .reply(200, { value: [], nextLink: nextLink(c.path, "page3", maxresults) });
  vault.scope
    .get(c.path)
    .query({ ...apiVersion(), $skiptoken: "page3", ...max })
    .reply(200, { value: items.slice(2, 4), nextLink: nextLink(c.path, "page4", maxresults) });
  vault.scope
    .get(c.path)
    .query({ ...apiVersion(), $skiptoken: "page4", ...max })
    .reply(200, { value: items.slice(4), nextLink: null });
  return items;
}

/** A policy that records the abort signal of every request. */
function signalRecorder(): { policy: PipelinePolicy; signals: Array<AbortSignalLike | undefined> } {
  const signals: Array<AbortSignalLike | undefined> = [];
  return {
    signals,
    policy: {
      name: "signalRecorder",
      sendRequest(request, next) {
        signals.push(request.abortSignal);
        return next(request);
      },
    },
  };
}

describe.each(cases)("$name", (c) => {
  it("iterates items across four pages, following an empty page that has a nextLink", async () => {
    const vault = mockVault();
    const wires = serveFourPages(vault, c);
    const { client } = createTestClient();
    const iterator = c.list(client);
    expect(vault.requests).toHaveLength(0); // no I/O before the first next()
    const items: Item[] = [];
    for await (const item of iterator) items.push(item);
    expect(items).toHaveLength(5);
    items.forEach((item, i) => c.check(item, wires[i]!));
    expect(vault.authorized().map((r) => r.path)).toEqual([c.path, c.path, c.path, c.path]);
    expect(vault.scope.isDone()).toBe(true);
  });

  it("byPage: maxPageSize becomes maxresults, each page carries its continuationToken, and a token resumes", async () => {
    const vault = mockVault();
    serveFourPages(vault, c, 2);
    const { client } = createTestClient();
    const pages = [];
    for await (const page of c.list(client).byPage({ maxPageSize: 2 })) pages.push(page);
    expect(pages.map((p) => p.length)).toEqual([2, 0, 2, 1]);
    expect(pages.map((p) => p.continuationToken)).toEqual([
      nextLink(c.path, "page2", 2),
      nextLink(c.path, "page3", 2),
      nextLink(c.path, "page4", 2),
      undefined,
    ]);
    expect(vault.authorized()[0]!.query).toEqual({ "api-version": "2025-07-01", maxresults: "2" });

    // Resume from the second page's token: only pages 3 and 4 are fetched.
    serveFourPages(vault, c, 2);
    const before = vault.authorized().length;
    const resumed = [];
    for await (const page of c.list(client).byPage({ continuationToken: pages[1]!.continuationToken! }))
      resumed.push(page);
    expect(resumed.map((p) => p.length)).toEqual([2, 1]);
    const resumedRequests = vault.authorized().slice(before);
    expect(resumedRequests.map((r) => r.query["$skiptoken"])).toEqual(["page3", "page4"]);
  });

  it("every page request carries the caller's abort signal, headers and onResponse", async () => {
    const vault = mockVault();
    serveFourPages(vault, c);
    const recorder = signalRecorder();
    const { client } = createTestClient({ additionalPolicies: [{ policy: recorder.policy, position: "perCall" }] });
    const controller = new AbortController();
    const responses: number[] = [];
    let count = 0;
    for await (const page of c
      .list(client, {
        abortSignal: controller.signal,
        requestOptions: { headers: { "x-custom-header": "custom-value" } },
        onResponse: (response) => responses.push(response.status),
      })
      .byPage()) {
      count += page.length;
    }
    expect(count).toBe(5);
    const pageRequests = vault.authorized();
    expect(pageRequests).toHaveLength(4);
    for (const request of pageRequests) expect(request.headers["x-custom-header"]).toBe("custom-value");
    expect(responses).toEqual([200, 200, 200, 200]);
    expect(recorder.signals).toHaveLength(4);
    expect(recorder.signals.every((s) => s !== undefined && !s.aborted)).toBe(true);
    controller.abort();
    expect(recorder.signals.every((s) => s!.aborted)).toBe(true);
  });

  it("an abort after the first page stops the next page request", async () => {
    const vault = mockVault();
    serveFourPages(vault, c);
    const { client } = createTestClient();
    const controller = new AbortController();
    const pages = c.list(client, { abortSignal: controller.signal }).byPage();
    const first = await pages.next();
    expect(first.value).toHaveLength(2);
    controller.abort();
    await expect(pages.next()).rejects.toThrow(/abort/i);
    expect(vault.authorized()).toHaveLength(1);
  });

  it("refuses a nextLink to another host, before sending anything there", async () => {
    const vault = mockVault();
    const evil = mockVault({ url: "https://evil.example.com", challenge: false });
    vault.scope
      .get(c.path)
      .query(apiVersion())
      .reply(200, {
        value: [c.item(0)],
        nextLink: `https://evil.example.com${c.path}?api-version=2025-07-01&$skiptoken=x`,
      });
    const { client } = createTestClient();
    const items: Item[] = [];
    await expect(
      (async () => {
        for await (const item of c.list(client)) items.push(item);
      })(),
    ).rejects.toThrow(/nextLink/);
    expect(items).toHaveLength(1);
    expect(evil.requests).toHaveLength(0);
  });
});

describe("paging edge cases", () => {
  it("refuses a maxPageSize that is not a positive integer", async () => {
    const { client } = createTestClient();
    await expect(client.listPropertiesOfKeys().byPage({ maxPageSize: 0 }).next()).rejects.toThrow(/maxPageSize/);
  });

  it("a page without value is an empty page; a page whose nextLink points to itself is an error", async () => {
    const vault = mockVault();
    vault.scope
      .get("/keys")
      .query(apiVersion())
      .reply(200, { nextLink: nextLink("/keys", "again") });
    vault.scope
      .get("/keys")
      .query({ ...apiVersion(), $skiptoken: "again" })
      .reply(200, { value: [], nextLink: nextLink("/keys", "again") });
    const { client } = createTestClient();
    const pages = client.listPropertiesOfKeys().byPage();
    const first = await pages.next();
    expect(first.value).toHaveLength(0);
    await expect(pages.next()).rejects.toThrow(/itself/);
  });

  it("keeps exportable on list items", async () => {
    const vault = mockVault();
    vault.scope
      .get("/keys")
      .query(apiVersion())
      .reply(200, { value: [keyItem("k", undefined, { exportable: true })], nextLink: null });
    const { client } = createTestClient();
    const items: KeyProperties[] = [];
    for await (const item of client.listPropertiesOfKeys()) items.push(item);
    expect(items[0]!.exportable).toBe(true);
  });
});
