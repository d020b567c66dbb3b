/**
 * Crash safety of dataDir: the CLI is SIGKILLed at random moments in the middle of concurrent
 * writes (3 kills here; `scripts/emulator-crash.ts` runs 100) and every acknowledged write is there
 * after each restart. Plus the store's durability contract: flush() reports failed writes, a later
 * change writes again, and temp files a kill left behind are removed at open.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCrashRounds } from "../../scripts/emulator-crash-lib.js";
import { FileKeyStore } from "../../src/emulator/fileStore.js";

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function newFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), "kv-emulator-crash-"));
  folders.push(folder);
  return folder;
}

describe("SIGKILL in the middle of writes", () => {
  it("restarts after each of 3 kills with a store that loads and every acknowledged write present", async () => {
    const report = await runCrashRounds({ dataDir: newFolder(), kills: 3, seed: 11, writers: 8 });
    expect(report.problems).toEqual([]);
    expect(report.kills).toBe(3);
    expect(report.restarts).toBe(3);
    expect(report.acknowledgedCreates).toBeGreaterThan(0);
  }, 120_000);
});

describe("FileKeyStore durability contract", () => {
  const key = (name: string) => ({ name, versions: [] });

  it("rejects flush() when the write fails, and writes again on the next change", async () => {
    const folder = newFolder();
    const store = await FileKeyStore.open(folder);
    store.put(key("first"));
    await store.flush();
    rmSync(folder, { recursive: true, force: true });
    store.put(key("second"));
    await expect(store.flush()).rejects.toMatchObject({ code: "ENOENT" });
    mkdirSync(folder);
    store.put(key("third"));
    await store.flush();
    const reopened = await FileKeyStore.open(folder);
    expect(reopened.list().map((k) => k.name)).toEqual(["first", "second", "third"]);
    await store.close();
  });

  it("resolves each flush() only once a write covering its change is on disk (group commit)", async () => {
    const folder = newFolder();
    const store = await FileKeyStore.open(folder);
    const flushes = Array.from({ length: 50 }, (_, i) => {
      store.put(key(`k${String(i).padStart(2, "0")}`));
      return store.flush();
    });
    await Promise.all(flushes);
    expect((await FileKeyStore.open(folder)).list()).toHaveLength(50);
  });

  it("removes temp files a killed process left behind", async () => {
    const folder = newFolder();
    writeFileSync(path.join(folder, ".keys.json.0123456789ab.tmp"), "{half a write");
    writeFileSync(path.join(folder, "unrelated.tmp"), "kept");
    await FileKeyStore.open(folder);
    expect(readdirSync(folder).sort()).toEqual(["unrelated.tmp"]);
  });
});
