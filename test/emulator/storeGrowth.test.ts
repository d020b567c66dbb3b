/**
 * Growth, bounded: 10,000 EC keys in a data folder. The bytes a create writes do not grow with the
 * store (the journal takes one record; the old store rewrote every key on every change); every list
 * crosses its pages in order with no item twice, live and deleted; the folder stays one snapshot and
 * at most two journals; a restart serves the same. Timings are the benchmark's job
 * (`npm run bench:store`), not this test's.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JsonClient } from "../../scripts/emulator-load-lib.js";
import { FileKeyStore } from "../../src/emulator/store/fileStore.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { internalsOf } from "../../src/emulator/internals.js";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "kv-emulator-growth-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const nameOf = (i: number): string => `g${String(i).padStart(5, "0")}`;

async function createRange(client: JsonClient, from: number, to: number): Promise<void> {
  let next = from;
  const worker = async (): Promise<void> => {
    while (next < to) {
      const i = next++;
      await client.ok("POST", `/keys/${nameOf(i)}/create`, { kty: "EC", crv: "P-256" });
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

/** Journal bytes written by `count` sequential creates of new names. */
async function journalBytesPerCreate(
  emulator: RunningEmulator,
  client: JsonClient,
  from: number,
  count: number,
): Promise<number> {
  const { store } = internalsOf(emulator);
  if (!(store instanceof FileKeyStore)) throw new Error("the emulator has no data folder");
  const before = store.stats().journalBytesWritten;
  for (let i = from; i < from + count; i++) await client.ok("POST", `/keys/${nameOf(i)}/create`, { kty: "EC" });
  return (store.stats().journalBytesWritten - before) / count;
}

/** Every name of a list, following nextLink. */
async function listAll(client: JsonClient, first: string): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let pages = 0;
  let target: string | undefined = first;
  while (target) {
    const page = await client.ok("GET", target);
    pages++;
    for (const item of page["value"] as Array<{ kid?: string; recoveryId?: string }>)
      names.push((item.kid ?? "").split("/")[4] ?? "");
    const nextLink = page["nextLink"] as string | null;
    if (nextLink) {
      const url = new URL(nextLink);
      url.searchParams.delete("api-version"); // the client adds its own
      target = `${url.pathname}${url.search}`;
    } else {
      target = undefined;
    }
  }
  return { names, pages };
}

describe("a data folder of 10,000 EC keys", () => {
  it("writes the same per create at 10,000 keys as at 1,000, pages through all of them, and reloads them", async () => {
    // About the store's growth, not the deletion windows: deletions take effect at once.
    let emulator = await startEmulator({ dataDir, https: false, instant: true });
    let client = new JsonClient(emulator.url, emulator.createToken());
    try {
      await createRange(client, 0, 1000);
      const at1000 = await journalBytesPerCreate(emulator, client, 1000, 100);
      await createRange(client, 1100, 10_000);
      const at10000 = await journalBytesPerCreate(emulator, client, 10_000, 100);
      // One record per create, whatever the size of the store (every name here has the same length).
      expect(at10000 / at1000).toBeGreaterThan(0.95);
      expect(at10000 / at1000).toBeLessThan(1.05);
      expect(at10000).toBeLessThan(1024);

      for (let i = 0; i < 100; i++) await client.ok("DELETE", `/keys/${nameOf(i * 97)}`);
      for (let i = 0; i < 100; i++) await client.ok("GET", `/deletedkeys/${nameOf(i * 97)}`);
    } finally {
      client.close();
      await emulator.close();
    }

    const files = readdirSync(dataDir);
    expect(files.filter((file) => file.endsWith(".journal")).length).toBeLessThanOrEqual(2);
    const snapshotBytes = statSync(path.join(dataDir, "keys.json")).size;
    const journalBytes = files
      .filter((file) => file.endsWith(".journal"))
      .reduce((total, file) => total + statSync(path.join(dataDir, file)).size, 0);
    expect(journalBytes).toBeLessThanOrEqual(snapshotBytes); // compaction keeps the journal under the snapshot

    emulator = await startEmulator({ dataDir, https: false, instant: true });
    client = new JsonClient(emulator.url, emulator.createToken());
    try {
      const live = await listAll(client, "/keys?maxresults=25");
      const expected = Array.from({ length: 10_100 }, (_, i) => nameOf(i)).filter(
        (name, i) => i % 97 !== 0 || i >= 9700,
      );
      expect(live.names).toEqual(expected);
      expect(live.pages).toBe(Math.ceil(expected.length / 25));
      const deleted = await listAll(client, "/deletedkeys?maxresults=7");
      expect(deleted.names).toEqual(Array.from({ length: 100 }, (_, i) => nameOf(i * 97)));
      const versions = await client.ok("GET", `/keys/${nameOf(5)}/versions`);
      expect((versions["value"] as unknown[]).length).toBe(1);
    } finally {
      client.close();
      await emulator.close();
    }
  }, 300_000);
});
