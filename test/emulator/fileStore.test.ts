/**
 * The durable store alone: a change is applied only once durable (a failed write changes nothing,
 * and rejects the changes queued behind it), concurrent changes of one name all land, a torn journal
 * tail is dropped at load (never a failed load) while damage before good records fails the load by
 * name, compaction keeps one snapshot and one journal, and every state a kill can leave during a
 * compaction loads to the same keys. Whole-emulator cases: dataDir.test.ts, and the kills of
 * test/emulator/crash.test.ts.
 */
import { appendFileSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FileKeyStore } from "../../src/emulator/store/fileStore.js";
import type { KeyChange, StoredKey, StoredKeyVersion } from "../../src/emulator/store/keyStore.js";
import { encodeRecord } from "../../src/emulator/store/journal.js";
import { JournalFile } from "../../src/emulator/store/journalFile.js";
import { temporaryFolders } from "../helpers/temporaryFolders.js";

const newFolder = temporaryFolders("kv-emulator-store");
afterEach(() => {
  vi.restoreAllMocks();
});

let versionCounter = 0;
function version(sequence: number, tag = ""): StoredKeyVersion {
  versionCounter++;
  return {
    version: `v${String(versionCounter).padStart(31, "0")}`,
    sequence,
    kty: "oct",
    keyOps: ["encrypt"],
    material: { kty: "oct", k: "AAAA" },
    attributes: { enabled: true, created: 1, updated: 1, exportable: false },
    ...(tag ? { tags: { t: tag } } : {}),
  };
}

const put = (name: string, sequence = 1): KeyChange => ({ op: "put", key: { name, versions: [version(sequence)] } });
const names = (keys: StoredKey[]): string[] => keys.map((key) => key.name).sort();
const journals = (folder: string): string[] => readdirSync(folder).filter((name) => name.endsWith(".journal"));

async function reopenedNames(folder: string): Promise<string[]> {
  const store = await FileKeyStore.open(folder);
  try {
    return names(store.snapshot().keys);
  } finally {
    await store.close();
  }
}

function noSpace(): NodeJS.ErrnoException {
  return Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
}

describe("a change is applied only once durable", () => {
  it("keeps a change out of reads until it is on disk, while later changes are computed on it", async () => {
    const store = await FileKeyStore.open(newFolder());
    const committed = store.commit(put("pending"));
    expect(store.get("pending")).toBeUndefined(); // reads: durable state only
    expect(store.latest("PENDING")?.name).toBe("pending"); // what the next change is computed against
    expect((await committed)?.name).toBe("pending");
    expect(store.get("pending")?.name).toBe("pending");
    await store.close();
  });

  it("rejects a failed write and every change queued behind it, leaving memory and disk as they were", async () => {
    const folder = newFolder();
    const store = await FileKeyStore.open(folder);
    await store.commit(put("before"));
    const append = vi.spyOn(JournalFile.prototype, "append").mockRejectedValueOnce(noSpace());
    const failed = store.commit(put("failed"));
    const behind = store.commit({ op: "version", name: "failed", version: version(store.nextSequence()) });
    const removal = store.commit({ op: "remove", name: "before" });
    await expect(failed).rejects.toMatchObject({ code: "ENOSPC" });
    await expect(behind).rejects.toMatchObject({ code: "ENOSPC" });
    await expect(removal).rejects.toMatchObject({ code: "ENOSPC" });
    expect(store.get("failed")).toBeUndefined();
    expect(store.latest("failed")).toBeUndefined();
    expect(store.get("before")?.name).toBe("before");
    expect(store.latest("before")?.name).toBe("before");
    append.mockRestore();
    await store.commit(put("after"));
    expect(store.stats().failedWrites).toBe(1);
    await store.close();
    expect(await reopenedNames(folder)).toEqual(["after", "before"]);
  });

  it("lands 200 concurrent version changes of one name, each once, in sequence order, also after a reopen", async () => {
    const folder = newFolder();
    const store = await FileKeyStore.open(folder);
    await store.commit(put("hot", store.nextSequence()));
    const ids = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const added = version(store.nextSequence());
        await store.commit({ op: "version", name: "hot", version: added });
        return added.version;
      }),
    );
    const sequences = (key: StoredKey | undefined): number[] => key?.versions.map((v) => v.sequence) ?? [];
    expect(store.get("hot")?.versions).toHaveLength(201);
    expect(sequences(store.get("hot"))).toEqual([...sequences(store.get("hot"))].sort((a, b) => a - b));
    await store.close();
    const reopened = await FileKeyStore.open(folder);
    const versions = reopened.get("hot")?.versions.map((v) => v.version) ?? [];
    expect(new Set(versions).size).toBe(201);
    for (const id of ids) expect(versions).toContain(id);
    await reopened.close();
  });

  it("refuses commits once closed", async () => {
    const store = await FileKeyStore.open(newFolder());
    await store.close();
    await expect(store.commit(put("late"))).rejects.toThrow(/closed/);
  });
});

describe("a torn journal tail is dropped at load, never a failed load", () => {
  async function folderWithTwoKeys(): Promise<{ folder: string; journal: string; goodBytes: number }> {
    const folder = newFolder();
    const store = await FileKeyStore.open(folder);
    await store.commit(put("one"));
    await store.commit(put("two"));
    await store.close();
    const journal = path.join(folder, journals(folder)[0] ?? "");
    return { folder, journal, goodBytes: statSync(journal).size };
  }

  const tails: Array<[string, (line: string) => Buffer]> = [
    ["half a line", (line) => Buffer.from(line.slice(0, line.length / 2))],
    ["a whole line with a bad checksum", (line) => Buffer.from(`0000000000000000${line.slice(16)}`)],
    ["a line cut before its newline", (line) => Buffer.from(line.slice(0, -1))],
    ["zeros (pages not written before a power loss)", () => Buffer.alloc(4096)],
    ["bytes that are not UTF-8", () => Buffer.from([0xff, 0xfe, 0x0a, 0xc3])],
  ];

  for (const [label, tail] of tails) {
    it(`drops ${label}, cuts the file back, and appends after the good records`, async () => {
      const { folder, journal, goodBytes } = await folderWithTwoKeys();
      appendFileSync(journal, tail(encodeRecord({ s: 9, c: put("torn") })));
      const store = await FileKeyStore.open(folder);
      expect(names(store.snapshot().keys)).toEqual(["one", "two"]);
      expect(statSync(journal).size).toBe(goodBytes);
      await store.commit(put("three"));
      await store.close();
      expect(await reopenedNames(folder)).toEqual(["one", "three", "two"]);
    });
  }

  it("fails the load naming the file and line when a bad line is followed by good ones (damage, not a tear)", async () => {
    const { folder, journal } = await folderWithTwoKeys();
    const lines = readFileSync(journal, "utf8").split("\n");
    writeFileSync(journal, [lines[0], `x${lines[1] ?? ""}`, encodeRecord({ s: 3, c: put("after") })].join("\n"));
    await expect(FileKeyStore.open(folder)).rejects.toThrow(/keys-0\.journal is damaged at line 2/);
    // The failed open released the lock: after a repair the folder opens.
    writeFileSync(journal, `${lines[0] ?? ""}\n`);
    expect(await reopenedNames(folder)).toEqual(["one"]);
  });
});

describe("compaction", () => {
  it("folds the journal into the snapshot once it outgrows it, keeping one snapshot and one journal", async () => {
    const folder = newFolder();
    const store = await FileKeyStore.open(folder, { minimumCompactionBytes: 4096 });
    for (let i = 0; i < 300; i++) {
      const name = `k${i % 40}`;
      if (i % 7 === 6) await store.commit({ op: "remove", name });
      else await store.commit({ op: "version", name, version: version(store.nextSequence(), String(i)) });
    }
    const before = JSON.stringify(store.snapshot().keys.sort((a, b) => (a.name < b.name ? -1 : 1)));
    await store.close();
    expect(store.stats().compactions).toBeGreaterThan(2);
    expect(journals(folder)).toHaveLength(1);
    const snapshot = JSON.parse(readFileSync(path.join(folder, "keys.json"), "utf8")) as { generation: number };
    expect(journals(folder)[0]).toBe(`keys-${snapshot.generation}.journal`);
    const reopened = await FileKeyStore.open(folder);
    expect(JSON.stringify(reopened.snapshot().keys.sort((a, b) => (a.name < b.name ? -1 : 1)))).toBe(before);
    await reopened.close();
  });

  it("loads a kill during a compaction: the snapshot, then every journal from its generation on, in order", async () => {
    const folder = newFolder();
    const line = (change: KeyChange): string => encodeRecord({ s: 7, c: change });
    const snapshotKeys: StoredKey[] = [{ name: "a", versions: [version(1)] }];
    writeFileSync(
      path.join(folder, "keys.json"),
      JSON.stringify({ format: "keyvault-keys-emulator/2", generation: 4, sequence: 3, keys: snapshotKeys }),
    );
    writeFileSync(path.join(folder, "keys-3.journal"), line(put("obsolete"))); // covered by the snapshot
    writeFileSync(path.join(folder, "keys-4.journal"), line(put("b")) + line({ op: "remove", name: "a" }));
    writeFileSync(path.join(folder, "keys-5.journal"), line({ op: "version", name: "b", version: version(8) }));
    writeFileSync(path.join(folder, ".keys.json.0123456789ab.tmp"), '{"format":"keyvault-keys-emulator/2","gen');
    const store = await FileKeyStore.open(folder);
    expect(names(store.snapshot().keys)).toEqual(["b"]);
    expect(store.get("b")?.versions).toHaveLength(2);
    expect(store.nextSequence()).toBe(8); // the highest sequence of the records replayed, plus one
    await store.close();
    // It started from one snapshot and one journal of a new generation.
    expect(readdirSync(folder).sort()).toEqual(["keys-6.journal", "keys.json"]);
    expect(await reopenedNames(folder)).toEqual(["b"]);
  });

  it("reads a data folder of the format before the journal, and rewrites it so older versions refuse it", async () => {
    const folder = newFolder();
    const keys: StoredKey[] = [
      { name: "Old", versions: [version(2), version(1)], deletedDate: 5, scheduledPurgeDate: 6 },
    ];
    writeFileSync(
      path.join(folder, "keys.json"),
      JSON.stringify({ format: "keyvault-keys-emulator/1", sequence: 2, keys }),
    );
    const store = await FileKeyStore.open(folder);
    expect(store.get("old")?.versions.map((v) => v.sequence)).toEqual([1, 2]);
    expect([...store.keysAfter("deleted", undefined)].map((key) => key.name)).toEqual(["Old"]);
    await store.close();
    const rewritten = JSON.parse(readFileSync(path.join(folder, "keys.json"), "utf8")) as { format: string };
    expect(rewritten.format).toBe("keyvault-keys-emulator/2");
    expect(await reopenedNames(folder)).toEqual(["Old"]);
  });

  it("refuses a snapshot that is not the emulator's", async () => {
    const folder = newFolder();
    writeFileSync(path.join(folder, "keys.json"), JSON.stringify({ format: "something-else", keys: [] }));
    await expect(FileKeyStore.open(folder)).rejects.toThrow(/is not a keyvault-keys emulator data file/);
  });
});
