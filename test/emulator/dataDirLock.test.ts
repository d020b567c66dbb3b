/**
 * The exclusive lock of a data folder: a second emulator on it (in this process or another) refuses
 * to start and names the holder's pid, so the first one's acknowledged writes and tokens stay good; a
 * lock left by a killed emulator, a damaged one, or one of an earlier process that had this pid is
 * taken over; of several emulators starting at once over a stale lock exactly one wins; the lock is
 * released on close and after a failed start.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { startEmulatorProcess } from "../../scripts/emulator-crash-lib.js";
import { startEmulator } from "../../src/emulator/index.js";
import { EmulatorTestClient } from "../helpers/emulatorTestClient.js";
import { temporaryFolders } from "../helpers/temporaryFolders.js";

const repoRoot = path.resolve(__dirname, "../..");
const newFolder = temporaryFolders("kv-emulator-lock");

const lockOf = (folder: string): { pid: number } =>
  JSON.parse(readFileSync(path.join(folder, "emulator.lock"), "utf8")) as { pid: number };

interface CliRun {
  /** Resolves once the CLI exited (it refused) or printed its token. */
  settled: Promise<void>;
  /** Stops the CLI (if it runs) and resolves with how it ended. */
  stop(): Promise<{ code: number | null; output: string; pid: number; started: boolean }>;
}

/** Runs the CLI on `folder`. */
function runCli(folder: string): CliRun {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/emulator/cli.ts", "--port", "0", "--http", "--data-dir", folder],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  let started = false;
  let settle = (): void => undefined;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    if (/KEYVAULT_EMULATOR_TOKEN=\S+\n/.test(output)) {
      started = true;
      settle();
    }
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  void exited.then(settle);
  return {
    settled,
    stop: async () => {
      child.kill("SIGTERM");
      return { code: await exited, output, pid: child.pid ?? 0, started };
    },
  };
}

/** The pid of a process that existed and is gone now. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  child.kill("SIGKILL");
  await exited;
  return child.pid ?? 0;
}

describe("one emulator per data folder", () => {
  it("refuses a second emulator in this process, naming the holder; the first one's writes and token stay good", async () => {
    const dataDir = newFolder();
    const first = await startEmulator({ dataDir, https: false });
    const token = first.createToken();
    const client = new EmulatorTestClient(first);
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.createKey(`first-${i}`, { kty: "EC" })));
    await expect(startEmulator({ dataDir, https: false })).rejects.toThrow(
      `The data folder ${dataDir} is in use by another emulator (pid ${process.pid})`,
    );
    expect(lockOf(dataDir).pid).toBe(process.pid);
    await first.close();
    expect(existsSync(path.join(dataDir, "emulator.lock"))).toBe(false); // released on close

    const second = await startEmulator({ dataDir, https: false });
    try {
      const listed = await new EmulatorTestClient(second).get("/keys?maxresults=25", { token });
      expect(listed.status).toBe(200);
      expect(listed.body.value).toHaveLength(20);
    } finally {
      await second.close();
    }
  });

  it("refuses a second CLI with exit code 1 and the pid of the first, which goes on serving", async () => {
    const dataDir = newFolder();
    const first = await startEmulatorProcess(dataDir);
    try {
      await first.client.ok("POST", "/keys/served/create", { kty: "EC" });
      const run = runCli(dataDir);
      await run.settled;
      const second = await run.stop();
      expect(second.started).toBe(false);
      expect(second.code).toBe(1);
      expect(second.output).toContain(`is in use by another emulator (pid ${first.process.pid ?? 0})`);
      expect((await first.client.request("GET", "/keys/served")).status).toBe(200);
    } finally {
      first.client.close();
      first.process.kill("SIGTERM");
      await first.exited;
    }
  });

  it("takes over the lock of an emulator that was killed (SIGKILL), with every acknowledged write", async () => {
    const dataDir = newFolder();
    const killed = await startEmulatorProcess(dataDir);
    await killed.client.ok("POST", "/keys/survivor/create", { kty: "EC" });
    killed.client.close();
    killed.process.kill("SIGKILL");
    await killed.exited;
    expect(lockOf(dataDir).pid).toBe(killed.process.pid);

    const next = await startEmulator({ dataDir, https: false });
    try {
      expect(lockOf(dataDir).pid).toBe(process.pid);
      expect((await new EmulatorTestClient(next).get("/keys/survivor")).status).toBe(200);
    } finally {
      await next.close();
    }
  });

  it("takes over a damaged lock, and one written by an earlier process with this pid (a restarted container)", async () => {
    for (const content of ["", "{half", JSON.stringify({ pid: process.pid, processStart: 1, nonce: "earlier" })]) {
      const dataDir = newFolder();
      writeFileSync(path.join(dataDir, "emulator.lock"), content);
      const emulator = await startEmulator({ dataDir, https: false });
      expect(lockOf(dataDir).pid).toBe(process.pid);
      await emulator.close();
    }
  });

  it("lets exactly one of several emulators starting at once over a stale lock through", async () => {
    const dataDir = newFolder();
    const stale = await deadPid();
    writeFileSync(path.join(dataDir, "emulator.lock"), JSON.stringify({ pid: stale, processStart: 1, nonce: "gone" }));
    const clis = Array.from({ length: 4 }, () => runCli(dataDir));
    await Promise.all(clis.map((cli) => cli.settled)); // the one that starts runs until all are settled
    const runs = await Promise.all(clis.map((cli) => cli.stop()));
    const started = runs.filter((run) => run.started);
    expect(started).toHaveLength(1);
    const winner = started[0]?.pid ?? 0;
    for (const run of runs.filter((candidate) => candidate !== started[0])) {
      expect(run.code).toBe(1);
      expect(run.output).toContain(`in use by another emulator (pid ${winner})`);
    }
    expect(existsSync(path.join(dataDir, "emulator.lock"))).toBe(false); // the winner released it on SIGTERM
  }, 60_000);

  it("releases the lock when the start fails after taking it (port in use)", async () => {
    const dataDir = newFolder();
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const { port } = busy.address() as net.AddressInfo;
    try {
      await expect(startEmulator({ dataDir, https: false, port })).rejects.toMatchObject({ code: "EADDRINUSE" });
    } finally {
      busy.close();
    }
    const emulator = await startEmulator({ dataDir, https: false });
    await emulator.close();
  });
});
