/**
 * Load: 200 concurrent writers on one name and 1,000 concurrent mixed operations, in memory and with
 * a dataDir (group-committed fsyncs); no acknowledged version is lost or duplicated, and with a
 * dataDir they are all there again after a restart. `scripts/emulator-load.ts` runs bigger numbers.
 */
import { describe, expect, it } from "vitest";
import { startEmulator, type EmulatorOptions } from "../../src/emulator/index.js";
import {
  JsonClient,
  concurrentWriters,
  listVersions,
  mixedLoad,
  versionProblems,
} from "../../scripts/emulator-load-lib.js";
import { temporaryFolders } from "../helpers/temporaryFolders.js";

const newFolder = temporaryFolders("kv-emulator-load");

async function withEmulator<T>(options: EmulatorOptions, run: (client: JsonClient) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ https: false, ...options });
  const client = new JsonClient(emulator.url, emulator.createToken());
  try {
    return await run(client);
  } finally {
    client.close();
    await emulator.close();
  }
}

describe.each([
  ["in memory", false],
  ["with a dataDir", true],
])("load %s", (_label, persisted) => {
  it("200 concurrent writers on one name: 200 versions, each acknowledged one listed once", async () => {
    const dataDir = persisted ? newFolder() : undefined;
    const options: EmulatorOptions = dataDir ? { dataDir } : {};
    const acknowledged = await withEmulator(options, async (client) => {
      const versions = await concurrentWriters(client, "hot", 200);
      expect(client.maxInFlight).toBe(200);
      expect(new Set(versions).size).toBe(200);
      expect(versionProblems("hot", await listVersions(client, "hot"), versions, true)).toEqual([]);
      return versions;
    });
    if (dataDir) {
      await withEmulator({ dataDir }, async (client) => {
        expect(versionProblems("hot", await listVersions(client, "hot"), acknowledged, true)).toEqual([]);
      });
    }
  });

  it("1,000 concurrent mixed operations: every one answers 200, no version lost or duplicated", async () => {
    const dataDir = persisted ? newFolder() : undefined;
    const options: EmulatorOptions = dataDir ? { dataDir } : {};
    const report = await withEmulator(options, (client) =>
      mixedLoad(client, { operations: 1000, names: 20, seed: 7, prefix: "mix" }),
    );
    expect(report.problems).toEqual([]);
    expect(report.maxInFlight).toBe(1000);
    expect(report.byOperation["delete+recover"]).toBe(20);
    expect(report.acknowledgedVersions).toBeGreaterThan(400);
    if (dataDir) {
      await withEmulator({ dataDir }, async (client) => {
        const listed = await client.ok("GET", "/keys?maxresults=25");
        expect((listed["value"] as unknown[]).length).toBe(25);
        let versions = 0;
        for (let i = 0; i < 20; i++) versions += (await listVersions(client, `mix-${i}`)).length;
        for (let i = 49; i < 1000; i += 50) versions += (await listVersions(client, `mix-dr-${i}`)).length;
        expect(versions).toBe(report.acknowledgedVersions);
      });
    }
  });
});
