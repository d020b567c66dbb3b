/**
 * A data folder that fails: a full disk (a real ENOSPC on a small tmpfs when the test runs as root,
 * as in CI; an injected one otherwise) answers 500 in the service's error shape and changes nothing,
 * in memory or on disk, and writes work again once there is room; a read-only folder holding data
 * (a tmpfs remounted read-only as root; a folder without write permission otherwise) and a path that
 * cannot be a folder fail at start with a clear message, in process and from the CLI.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { chmodSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { decodeJournal } from "../../src/emulator/store/journal.js";
import { JournalFile } from "../../src/emulator/store/journalFile.js";
import { mountTmpfs, type Tmpfs } from "../helpers/tmpfs.js";
import { EmulatorTestClient } from "../helpers/emulatorTestClient.js";

const repoRoot = path.resolve(__dirname, "../..");
const cleanups: Array<() => void> = [];
afterAll(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
});

function tmpfsOrReason(size: string): Tmpfs | string {
  const mounted = mountTmpfs(size);
  if (typeof mounted !== "string") cleanups.push(() => mounted.unmount());
  return mounted;
}

function newFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), "kv-emulator-fail-"));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** Fills the file system of `dir` until a write fails with ENOSPC; returns the filler file. */
function fillDisk(dir: string): string {
  const filler = path.join(dir, "filler");
  const fd = openSync(filler, "w");
  try {
    for (const size of [1024 * 1024, 64 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size, 1);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOSPC") break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return filler;
}

function expectInternalError(response: { status: number; body: unknown }): void {
  expect(response.status).toBe(500);
  expect(response.body).toEqual({
    error: { code: "InternalError", message: expect.stringMatching(/could not persist the change: .*ENOSPC/) },
  });
}

describe("a full disk", () => {
  const mounted = tmpfsOrReason("1m");
  const real = typeof mounted !== "string";

  it(`answers 500 and changes nothing, in memory or on disk (${real ? "real ENOSPC on a 1 MiB tmpfs" : `injected ENOSPC: ${mounted}`})`, async () => {
    const dataDir = real ? path.join(mounted.dir, "data") : newFolder();
    const start = (): Promise<RunningEmulator> => startEmulator({ dataDir, https: false });
    let emulator = await start();
    let client = new EmulatorTestClient(emulator);
    await client.createKey("kept", { kty: "EC", tags: { a: "1" } });
    for (let i = 0; i < 40; i++) await client.createKey(`victim-${i}`, { kty: "EC" });

    let free: () => void;
    if (real) {
      const filler = fillDisk(mounted.dir);
      free = () => rmSync(filler);
    } else {
      const failure = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      const append = vi.spyOn(JournalFile.prototype, "append").mockRejectedValue(failure);
      free = () => append.mockRestore();
    }

    // Creates until one fails (a real disk may still have room in the journal's last page).
    const created: string[] = [];
    let failedCreate: string | undefined;
    for (let i = 0; i < 40 && failedCreate === undefined; i++) {
      const response = await client.post(`/keys/full-${i}/create`, { kty: "EC" });
      if (response.status === 200) created.push(`full-${i}`);
      else {
        expectInternalError(response);
        failedCreate = `full-${i}`;
      }
    }
    expect(failedCreate).toBeDefined();
    expect((await client.get(`/keys/${failedCreate ?? ""}`)).status).toBe(404); // not served after its 500

    // Deletes (smaller records) until one fails: that key is still live, and not in /deletedkeys.
    const deleted: string[] = [];
    let failedDelete: string | undefined;
    for (let i = 0; i < 40 && failedDelete === undefined; i++) {
      const response = await client.request("DELETE", `/keys/victim-${i}`);
      if (response.status === 200) deleted.push(`victim-${i}`);
      else {
        expectInternalError(response);
        failedDelete = `victim-${i}`;
      }
    }
    expect(failedDelete).toBeDefined();
    expect((await client.get(`/keys/${failedDelete ?? ""}`)).status).toBe(200);
    expect((await client.get(`/deletedkeys/${failedDelete ?? ""}`)).status).toBe(404);
    const update = await client.request("PATCH", "/keys/kept", { tags: { a: "2" } });
    expectInternalError(update);
    expect((await client.get("/keys/kept")).body.tags).toEqual({ a: "1" });

    if (real) {
      // The failed appends were cut back: the journal holds whole records only.
      for (const name of readdirSync(dataDir).filter((file) => file.endsWith(".journal"))) {
        const file = path.join(dataDir, name);
        expect(decodeJournal(readFileSync(file), file).tornBytes).toBe(0);
      }
    }

    free();
    await client.createKey("after", { kty: "EC" }); // writes work again without a restart
    await emulator.close();

    emulator = await start();
    client = new EmulatorTestClient(emulator);
    try {
      expect((await client.get(`/keys/${failedCreate ?? ""}`)).status).toBe(404);
      expect((await client.get(`/keys/${failedDelete ?? ""}`)).status).toBe(200);
      expect((await client.get("/keys/kept")).body.tags).toEqual({ a: "1" });
      for (const name of [...created, "after"]) expect((await client.get(`/keys/${name}`)).status).toBe(200);
      for (const name of deleted) expect((await client.get(`/deletedkeys/${name}`)).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });
});

/** Runs the CLI on `dataDir` and resolves with its exit code and output (it is expected to refuse). */
function runCli(dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/emulator/cli.ts", "--port", "0", "--http", "--data-dir", dataDir],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

describe("a data folder that cannot be written", () => {
  const mounted = tmpfsOrReason("4m");
  const root = process.getuid?.() === 0;
  const how = typeof mounted !== "string" ? "a tmpfs remounted read-only" : "a folder without write permission";

  it.skipIf(typeof mounted === "string" && root)(
    `fails at start with a clear message when the folder holds data but is read-only (${how})`,
    async () => {
      const dataDir = typeof mounted !== "string" ? path.join(mounted.dir, "data") : newFolder();
      const first = await startEmulator({ dataDir, https: false });
      await new EmulatorTestClient(first).createKey("kept", { kty: "EC" });
      await first.close();
      const makeReadOnly = typeof mounted !== "string" ? mounted.readOnly : () => chmodSync(dataDir, 0o555);
      const makeWritable = typeof mounted !== "string" ? mounted.writable : () => chmodSync(dataDir, 0o755);
      makeReadOnly();
      try {
        const message = new RegExp(
          `Cannot use the data folder ${dataDir}: it must be a folder the emulator can create and write files in \\(E(ROFS|ACCES)`,
        );
        await expect(startEmulator({ dataDir, https: false })).rejects.toThrow(message);
        const cli = await runCli(dataDir);
        expect(cli.code).toBe(1);
        expect(cli.output).toMatch(message);
        expect(cli.output).not.toContain("listening at");
      } finally {
        makeWritable();
      }
      const again = await startEmulator({ dataDir, https: false });
      try {
        expect((await new EmulatorTestClient(again).get("/keys/kept")).status).toBe(200);
      } finally {
        await again.close();
      }
    },
  );

  it("fails at start with a clear message when the path cannot be a folder", async () => {
    const file = path.join(newFolder(), "a-file");
    writeFileSync(file, "not a folder");
    const dataDir = path.join(file, "data");
    await expect(startEmulator({ dataDir })).rejects.toThrow(
      new RegExp(`Cannot use the data folder ${dataDir}: .*ENOTDIR`),
    );
    const cli = await runCli(dataDir);
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(`keyvault-keys-emulator: Cannot use the data folder ${dataDir}`);
  });
});
