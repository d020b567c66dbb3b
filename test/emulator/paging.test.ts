import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { startTestEmulator, type EmulatorTestClient } from "../helpers/emulatorTestClient.js";

let emulator: RunningEmulator;
let client: EmulatorTestClient;

beforeAll(async () => {
  ({ emulator, client } = await startTestEmulator());
});
afterAll(async () => {
  await emulator.close();
});

async function followAll(
  firstPath: string,
  between?: (page: number) => Promise<void>,
): Promise<{ kids: string[]; pages: number }> {
  const kids: string[] = [];
  let response = await client.get(firstPath);
  let pages = 1;
  for (;;) {
    expect(response.status).toBe(200);
    expect(response.body).toHaveProperty("nextLink");
    kids.push(...response.body.value.map((item: { kid: string }) => item.kid));
    const next: string | null = response.body.nextLink;
    if (next === null) return { kids, pages };
    expect(next.startsWith(`${emulator.url}/`)).toBe(true);
    await between?.(pages);
    response = await client.get(next);
    pages++;
  }
}

describe("paging", () => {
  it("pages /keys with maxresults, stays stable when keys are inserted between pages, and ends with nextLink null", async () => {
    for (let i = 0; i < 12; i++) await client.createKey(`page-${String(i * 2).padStart(2, "0")}`, { kty: "EC" });
    const first = await client.get("/keys?maxresults=5");
    expect(first.body.value).toHaveLength(5);
    expect(first.body.nextLink).toMatch(
      new RegExp(`^${emulator.url}/keys\\?api-version=2025-07-01&\\$skiptoken=[A-Za-z0-9_-]+&maxresults=5$`),
    );

    const inserted: string[] = [];
    const { kids, pages } = await followAll("/keys?maxresults=5", async (page) => {
      // One name sorts before the pages already read, one after: the later one must be listed, nothing repeated.
      const early = `page-00a-${page}`;
      const late = `page-99-${page}`;
      await client.createKey(early, { kty: "EC" });
      await client.createKey(late, { kty: "EC" });
      inserted.push(late);
    });
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(kids).size).toBe(kids.length);
    for (let i = 0; i < 12; i++) expect(kids).toContain(`${emulator.url}/keys/page-${String(i * 2).padStart(2, "0")}`);
    for (const name of inserted) expect(kids).toContain(`${emulator.url}/keys/${name}`);
    for (const kid of kids) expect(kid).toMatch(/\/keys\/[0-9A-Za-z-]+$/);
  });

  it("uses a default page size of 25 and omits maxresults from nextLink when not given", async () => {
    for (let i = 0; i < 30; i++) await client.createKey(`bulk-${i}`, { kty: "oct" });
    const first = await client.get("/keys");
    expect(first.body.value).toHaveLength(25);
    expect(first.body.nextLink).not.toContain("maxresults");
  });

  it("pages /versions in creation order with versioned kids, and /deletedkeys", async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await client.createKey("versioned", { kty: "EC" })).body.key.kid);
    const { kids, pages } = await followAll("/keys/versioned/versions?maxresults=3");
    expect(pages).toBe(3);
    expect(kids).toEqual(created);

    for (let i = 0; i < 4; i++) {
      await client.createKey(`gone-${i}`, { kty: "EC" });
      await client.request("DELETE", `/keys/gone-${i}`);
      await client.pollUntil(`/deletedkeys/gone-${i}`, 200);
    }
    const deleted = await followAll("/deletedkeys?maxresults=2");
    expect(deleted.pages).toBe(2);
    expect(deleted.kids).toEqual([0, 1, 2, 3].map((i) => `${emulator.url}/keys/gone-${i}`));
  });

  it("answers 400 for an invalid maxresults or skiptoken", async () => {
    for (const value of ["0", "26", "abc", "2.5", "-1"]) {
      const response = await client.get(`/keys?maxresults=${value}`);
      expect(response.status, value).toBe(400);
      expect(response.body.error.code).toBe("BadParameter");
    }
    expect((await client.get("/keys?$skiptoken=%%%")).status).toBe(400);
  });
});
