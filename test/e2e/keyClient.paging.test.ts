/**
 * End to end through OUR KeyClient: the three list operations across several pages, with no duplicates
 * and no gaps, and resuming from a page's continuationToken. A vault of its own, so that the lists hold
 * exactly what this file made.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeletedKey, KeyClient, KeyProperties } from "../../src/index.js";
import { collect, expectUnique, startE2EKeyClient, type E2EVault } from "../helpers/e2eVault.js";

let vault: E2EVault;
let client: KeyClient;
const poll = { intervalInMs: 10 };
const liveNames: string[] = [];
const deletedNames: string[] = [];
const versioned = "versioned";
const versionIds: string[] = [];

beforeAll(async () => {
  ({ vault, client } = await startE2EKeyClient());
  // 30 live keys (more than one default page of 25), one of them with 6 versions, and 7 deleted keys.
  for (let i = 0; i < 29; i++) liveNames.push(`live-${String(i).padStart(2, "0")}`);
  for (let i = 0; i < 7; i++) deletedNames.push(`gone-${i}`);
  await Promise.all([...liveNames, ...deletedNames].map((name) => client.createOctKey(name)));
  liveNames.push(versioned);
  for (let i = 0; i < 6; i++) versionIds.push((await client.createEcKey(versioned, { tags: { i: String(i) } })).id!);
  for (const name of deletedNames) await (await client.beginDeleteKey(name, poll)).pollUntilDone();
});
afterAll(async () => {
  await vault?.close();
});

async function pagesOf<T>(
  list: {
    byPage(settings?: {
      maxPageSize?: number;
      continuationToken?: string;
    }): AsyncIterableIterator<T[] & { continuationToken?: string }>;
  },
  settings: { maxPageSize?: number; continuationToken?: string },
): Promise<Array<T[] & { continuationToken?: string }>> {
  return collect(list.byPage(settings));
}

function expectWellCut(
  pages: Array<unknown[] & { continuationToken?: string }>,
  maxPageSize: number,
  total: number,
): void {
  expect(pages.length).toBe(Math.ceil(total / maxPageSize));
  pages.forEach((page, index) => {
    const last = index === pages.length - 1;
    expect(page.length).toBe(last ? total - maxPageSize * (pages.length - 1) : maxPageSize);
    if (last) expect(page.continuationToken).toBeUndefined();
    else expect(page.continuationToken).toEqual(expect.any(String));
  });
}

describe("listPropertiesOfKeys", () => {
  it("iterates every key once, across the default pages of 25", async () => {
    const items = await collect(client.listPropertiesOfKeys());
    expect(items.every((item) => item instanceof KeyProperties)).toBe(true);
    const names = items.map((item) => item.name);
    expectUnique(names);
    expect([...names].sort()).toEqual([...liveNames].sort());
    const pages = await pagesOf(client.listPropertiesOfKeys(), {});
    expectWellCut(pages, 25, liveNames.length);
    // Items carry properties, not key material; the versioned key lists its latest version's tags.
    const latest = items.find((item) => item.name === versioned)!;
    expect(latest.tags).toEqual({ i: "5" });
    expect(latest.id).toBe(`${vault.emulator.url}/keys/${versioned}`);
    expect(latest.enabled).toBe(true);
  });

  it.each([2, 3])(
    "byPage({ maxPageSize: %i }) cuts pages of that size with no duplicates and no gaps",
    async (maxPageSize) => {
      const pages = await pagesOf(client.listPropertiesOfKeys(), { maxPageSize });
      expectWellCut(pages, maxPageSize, liveNames.length);
      const names = pages.flat().map((item) => item.name);
      expectUnique(names);
      expect(names).toEqual([...liveNames].sort());
    },
  );

  it("resumes from any page's continuationToken with the rest of the list", async () => {
    const pages = await pagesOf(client.listPropertiesOfKeys(), { maxPageSize: 3 });
    const all = pages.flat().map((item) => item.name);
    for (const index of [0, 4, pages.length - 2]) {
      const token = pages[index]!.continuationToken!;
      const rest = (await pagesOf(client.listPropertiesOfKeys(), { maxPageSize: 3, continuationToken: token }))
        .flat()
        .map((i) => i.name);
      expect(rest).toEqual(all.slice((index + 1) * 3));
    }
  });

  it("a key inserted between pages neither repeats nor hides the keys that existed throughout", async () => {
    const iterator = client.listPropertiesOfKeys().byPage({ maxPageSize: 2 });
    const seen: string[] = [];
    const first = await iterator.next();
    seen.push(...(first.value as KeyProperties[]).map((item) => item.name));
    await client.createOctKey("aaa-inserted-before"); // sorts before the pages already read
    await client.createOctKey("zzz-inserted-after"); // sorts after
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      seen.push(...next.value.map((item) => item.name));
    expectUnique(seen);
    expect(seen).toEqual([...liveNames, "zzz-inserted-after"].sort());
    for (const name of ["aaa-inserted-before", "zzz-inserted-after"]) {
      await (await client.beginDeleteKey(name, poll)).pollUntilDone();
      await client.purgeDeletedKey(name);
    }
  });
});

describe("listPropertiesOfKeyVersions", () => {
  it("lists every version once, in pages of 2, and resumes", async () => {
    const all = await collect(client.listPropertiesOfKeyVersions(versioned));
    expect(all.map((item) => item.id).sort()).toEqual([...versionIds].sort());
    const pages = await pagesOf(client.listPropertiesOfKeyVersions(versioned), { maxPageSize: 2 });
    expectWellCut(pages, 2, 6);
    const ids = pages.flat().map((item) => item.id!);
    expectUnique(ids);
    expect([...ids].sort()).toEqual([...versionIds].sort());
    for (const item of pages.flat()) {
      expect(item.name).toBe(versioned);
      expect(item.version).toMatch(/^[0-9a-f]{32}$/);
    }
    const rest = (
      await pagesOf(client.listPropertiesOfKeyVersions(versioned), {
        maxPageSize: 2,
        continuationToken: pages[0]!.continuationToken!,
      })
    )
      .flat()
      .map((item) => item.id);
    expect(rest).toEqual(ids.slice(2));
  });
});

describe("listDeletedKeys", () => {
  it("lists every deleted key once, in pages of 3, and resumes", async () => {
    const all = await collect(client.listDeletedKeys());
    expect(all.every((item) => item instanceof DeletedKey)).toBe(true);
    expect(all.map((item) => item.name).sort()).toEqual([...deletedNames].sort());
    for (const item of all) {
      expect(item.properties.recoveryId).toBe(`${vault.emulator.url}/deletedkeys/${item.name}`);
      expect(item.properties.deletedOn).toBeInstanceOf(Date);
      expect(item.properties.scheduledPurgeDate).toBeInstanceOf(Date);
    }
    const pages = await pagesOf(client.listDeletedKeys(), { maxPageSize: 3 });
    expectWellCut(pages, 3, deletedNames.length);
    const names = pages.flat().map((item) => item.name);
    expectUnique(names);
    expect(names).toEqual([...deletedNames].sort());
    const rest = (
      await pagesOf(client.listDeletedKeys(), { maxPageSize: 3, continuationToken: pages[1]!.continuationToken! })
    ).flat();
    expect(rest.map((item) => item.name)).toEqual(names.slice(6));
  });

  it("deleted keys are not in listPropertiesOfKeys, live keys are not in listDeletedKeys", async () => {
    const live = new Set((await collect(client.listPropertiesOfKeys())).map((item) => item.name));
    for (const name of deletedNames) expect(live.has(name)).toBe(false);
    const deleted = new Set((await collect(client.listDeletedKeys())).map((item) => item.name));
    for (const name of liveNames) expect(deleted.has(name)).toBe(false);
  });
});
