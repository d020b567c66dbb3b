/**
 * Crash safety of dataDir: the CLI is SIGKILLed at random moments in the middle of concurrent
 * writes (8 kills here; `scripts/emulator-crash.ts` runs 100) and every acknowledged write is there
 * after each restart (the lock a killed emulator leaves is taken over each time); the store alone is
 * killed 20 times more while it compacts every few KiB. Plus the store's group commit, and the
 * clean-up of temp files a kill left behind. Failed writes, torn tails and compaction states:
 * test/emulator/fileStore.test.ts.
 */
import { readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runCrashRounds } from "../../scripts/emulator-crash-lib.js";
import { runStoreCrashRounds } from "../../scripts/emulator-crash-store-lib.js";
import { FileKeyStore } from "../../src/emulator/store/fileStore.js";
import type { KeyChange } from "../../src/emulator/store/keyStore.js";
import { temporaryFolders } from "../helpers/temporaryFolders.js";

const newFolder = temporaryFolders("kv-emulator-crash");

describe("SIGKILL in the middle of writes", () => {
  it("restarts after each of 8 kills of the CLI with a store that loads and every acknowledged write present", async () => {
    const report = await runCrashRounds({ dataDir: newFolder(), kills: 8, seed: 11, writers: 8 });
    expect(report.problems).toEqual([]);
    expect(report.kills).toBe(8);
    expect(report.restarts).toBe(8);
    expect(report.acknowledgedCreates).toBeGreaterThan(0);
    expect(report.generation).toBeGreaterThan(0); // compactions happened between the kills
  }, 180_000);

  it("reopens the store after each of 20 kills with compactions under way, every key as acknowledged", async () => {
    const report = await runStoreCrashRounds({ dataDir: newFolder(), kills: 20, seed: 5 });
    expect(report.problems).toEqual([]);
    expect(report.kills).toBe(20);
    expect(report.acknowledged).toBeGreaterThan(1000);
  }, 180_000);
});

describe("FileKeyStore durability contract", () => {
  const put = (name: string): KeyChange => ({ op: "put", key: { name, versions: [] } });

  it("resolves each commit only once it is on disk, many at once in one write (group commit)", async () => {
    const folder = newFolder();
    const store = await FileKeyStore.open(folder);
    const commits = Array.from({ length: 50 }, (_, i) => store.commit(put(`k${String(i).padStart(2, "0")}`)));
    await Promise.all(commits);
    expect(store.stats().journalBytesWritten).toBeGreaterThan(0);
    await store.close();
    const reopened = await FileKeyStore.open(folder);
    expect(reopened.snapshot().keys).toHaveLength(50);
    await reopened.close();
  });

  it("removes temp files a killed process left behind", async () => {
    const folder = newFolder();
    writeFileSync(path.join(folder, ".keys.json.0123456789ab.tmp"), "{half a write");
    writeFileSync(path.join(folder, "unrelated.tmp"), "kept");
    await (await FileKeyStore.open(folder)).close();
    expect(readdirSync(folder).sort()).toEqual(["keys-0.journal", "unrelated.tmp"]);
  });
});
