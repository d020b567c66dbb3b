/**
 * Long load run of the emulator: `npx tsx scripts/emulator-load.ts [--writers N] [--operations N]
 * [--rounds N] [--seed S] [--sockets N]` (default 2,000 concurrent writers on one name, then 10,000
 * concurrent mixed operations, 3 rounds, in memory and with a dataDir; the operations are all in flight
 * at once over at most 1,000 connections, past which the kernel's accept queue, not the emulator, is
 * what gets measured). Exits 1 when a version is lost or duplicated.
 * The test suite runs 200 writers and 1,000 operations (test/emulator/load.test.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../src/emulator/index.js";
import { JsonClient, concurrentWriters, listVersions, mixedLoad, versionProblems } from "./emulator-load-lib.js";

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a whole number above 0`);
  return value;
}

const writers = argument("--writers", 2000);
const operations = argument("--operations", 10_000);
const rounds = argument("--rounds", 3);
const seed = argument("--seed", 1);
const sockets = argument("--sockets", 1000);
let failed = false;
for (const persisted of [false, true]) {
  const dataDir = persisted ? mkdtempSync(path.join(os.tmpdir(), "kv-emulator-load-")) : undefined;
  const emulator = await startEmulator({ https: false, ...(dataDir ? { dataDir } : {}) });
  const client = new JsonClient(emulator.url, emulator.createToken(), sockets);
  try {
    for (let round = 1; round <= rounds; round++) {
      const started = Date.now();
      const name = `hot-${round}`;
      const acknowledged = await concurrentWriters(client, name, writers);
      const hot = versionProblems(name, await listVersions(client, name), acknowledged, true);
      const mixed = await mixedLoad(client, { operations, names: 50, seed: seed + round, prefix: `mix-r${round}` });
      const problems = [...hot, ...mixed.problems];
      failed ||= problems.length > 0;
      process.stdout.write(
        `${persisted ? "dataDir" : "memory"} round ${round}: ${writers} writers on one name, ${operations} mixed operations ` +
          `(max ${mixed.maxInFlight} in flight, ${mixed.acknowledgedVersions} versions acknowledged): ${problems.length} problems, ${Math.round((Date.now() - started) / 1000)} s\n`,
      );
      for (const problem of problems.slice(0, 20)) process.stdout.write(`  ${problem}\n`);
    }
  } finally {
    client.close();
    await emulator.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
process.stdout.write(failed ? "FAILED: versions lost or duplicated\n" : "no version lost or duplicated\n");
process.exitCode = failed ? 1 : 0;
