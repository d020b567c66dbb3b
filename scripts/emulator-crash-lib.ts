/**
 * Crash test of the emulator's dataDir: runs the CLI as a child process, sends concurrent writes
 * (creates, tag updates, deletes), records those acknowledged, SIGKILLs the process at a random
 * moment, restarts it on the same folder (taking over the lock the killed one left) and checks that
 * the store loads and holds every acknowledged write. It also notes what each kill left on disk: a
 * torn journal tail, or a compaction cut short (two journal generations). Used by
 * test/emulator/crash.test.ts (8 kills) and scripts/emulator-crash.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Random } from "./emulator-fuzz-values.js";
import { JsonClient, listVersionItems, versionOf } from "./emulator-load-lib.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** A running CLI child. */
export interface Child {
  process: ChildProcess;
  client: JsonClient;
  exited: Promise<number | null>;
}

/** Settings of a crash run. */
export interface CrashOptions {
  dataDir: string;
  kills: number;
  seed: number;
  /** Concurrent writer loops (default 8). */
  writers?: number;
  /** Kill between 0 and this many ms after the writes start (default 400). */
  maxKillDelayInMs?: number;
  onRound?: (round: number, report: CrashReport) => void;
}

/** What a crash run saw. */
export interface CrashReport {
  kills: number;
  restarts: number;
  acknowledgedCreates: number;
  acknowledgedUpdates: number;
  acknowledgedDeletes: number;
  /** Writes that got no answer because of the kill (they may or may not have landed). */
  unanswered: number;
  /** Kills that left a journal ending in the middle of a line. */
  tornTails: number;
  /** Kills that left two journal generations: a compaction not finished. */
  killsDuringCompaction: number;
  /** The snapshot generation at the end: how many compactions happened in all. */
  generation: number;
  problems: string[];
}

/** What a kill left in the data folder. */
function inspectDataDir(dataDir: string): { journals: number; torn: boolean; generation: number } {
  const journals = readdirSync(dataDir).filter((name) => /^keys-\d+\.journal$/.test(name));
  const torn = journals.some((name) => {
    const content = readFileSync(path.join(dataDir, name));
    return content.length > 0 && content[content.length - 1] !== 0x0a;
  });
  let generation = 0;
  try {
    generation =
      (JSON.parse(readFileSync(path.join(dataDir, "keys.json"), "utf8")) as { generation?: number }).generation ?? 0;
  } catch {
    // no snapshot yet
  }
  return { journals: journals.length, torn, generation };
}

/** What the vault must hold: per name, per version, the tags it may have. */
interface Expected {
  /** name -> version -> tag values acceptable for `u` (last acknowledged, or the one in flight at the kill). */
  versions: Map<string, Map<string, Set<string>>>;
  deleted: Set<string>;
}

/** Starts the CLI on `dataDir` (plain HTTP, any port) and resolves once it prints its token. */
export async function startEmulatorProcess(dataDir: string): Promise<Child> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/emulator/cli.ts", "--port", "0", "--http", "--data-dir", dataDir],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/KEYVAULT_EMULATOR_TOKEN=\S+\n/.test(output)) resolve(output);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) =>
      reject(new Error(`the emulator exited (${String(code)}) before it was ready:\n${output}`)),
    );
  });
  const url = /listening at (http:\/\/\S+)/.exec(ready)?.[1] ?? "";
  const token = /KEYVAULT_EMULATOR_TOKEN=(\S+)/.exec(ready)?.[1] ?? "";
  return { process: child, client: new JsonClient(url, token), exited };
}

/** Checks that the vault holds everything expected. */
async function verify(client: JsonClient, expected: Expected): Promise<string[]> {
  const problems: string[] = [];
  for (const [name, versions] of expected.versions) {
    if (versions.size === 0) continue; // killed before its first write was answered: nothing to find
    const listed = await listVersionsWithTags(client, name);
    const seen = new Map<string, number>();
    for (const { version } of listed) seen.set(version, (seen.get(version) ?? 0) + 1);
    for (const [version, count] of seen) if (count > 1) problems.push(`${name}/${version} listed ${count} times`);
    for (const [version, acceptable] of versions) {
      const item = listed.find((entry) => entry.version === version);
      if (!item) problems.push(`acknowledged ${name}/${version} is missing`);
      else if (acceptable.size > 0 && !acceptable.has(item.update))
        problems.push(`${name}/${version} has update "${item.update}", expected one of ${[...acceptable].join(", ")}`);
    }
  }
  for (const name of expected.deleted) {
    const answer = await client.request("GET", `/deletedkeys/${name}`);
    if (answer.status !== 200) problems.push(`acknowledged delete of ${name} is missing (${answer.status})`);
  }
  return problems;
}

async function listVersionsWithTags(
  client: JsonClient,
  name: string,
): Promise<Array<{ version: string; update: string }>> {
  return (await listVersionItems(client, name)).map(({ version, tags }) => ({ version, update: tags["u"] ?? "" }));
}

/** One writer loop until the process dies: creates, then tag updates of its own versions, some deletes. */
async function writer(
  client: JsonClient,
  name: string,
  random: Random,
  expected: Expected,
  report: CrashReport,
  alive: () => boolean,
): Promise<void> {
  const mine: string[] = [];
  expected.versions.set(name, expected.versions.get(name) ?? new Map());
  const versions = expected.versions.get(name) ?? new Map<string, Set<string>>();
  for (let step = 0; alive(); step++) {
    const roll = random.float();
    try {
      if (mine.length === 0 || roll < 0.5) {
        const bundle = await client.ok("POST", `/keys/${name}/create`, { kty: "oct", key_size: 256, tags: { u: "0" } });
        const version = versionOf(bundle);
        mine.push(version);
        versions.set(version, new Set(["0"]));
        report.acknowledgedCreates++;
      } else if (roll < 0.9) {
        const version = random.pick(mine);
        const acceptable = versions.get(version) ?? new Set<string>();
        const value = `s${step}`;
        acceptable.add(value); // in flight: the old or the new value may be on disk until the answer comes
        await client.ok("PATCH", `/keys/${name}/${version}`, { tags: { u: value } });
        versions.set(version, new Set([value])); // acknowledged: only the new value will do
        report.acknowledgedUpdates++;
      } else {
        const doomed = `${name}-d${step}`;
        await client.ok("POST", `/keys/${doomed}/create`, { kty: "oct" });
        await client.ok("DELETE", `/keys/${doomed}`);
        expected.deleted.add(doomed);
        report.acknowledgedDeletes++;
      }
    } catch (error) {
      if (alive()) report.problems.push(`write failed while the emulator was up: ${(error as Error).message}`);
      else report.unanswered++;
      return;
    }
  }
}

/** Runs `kills` rounds of write, SIGKILL, restart and verify. */
export async function runCrashRounds(options: CrashOptions): Promise<CrashReport> {
  const random = new Random(options.seed);
  const writers = options.writers ?? 8;
  const maxDelay = options.maxKillDelayInMs ?? 400;
  const expected: Expected = { versions: new Map(), deleted: new Set() };
  const report: CrashReport = {
    kills: 0,
    restarts: 0,
    acknowledgedCreates: 0,
    acknowledgedUpdates: 0,
    acknowledgedDeletes: 0,
    unanswered: 0,
    tornTails: 0,
    killsDuringCompaction: 0,
    generation: 0,
    problems: [],
  };
  let child = await startEmulatorProcess(options.dataDir);
  try {
    for (let round = 1; round <= options.kills; round++) {
      let alive = true;
      const loops = Array.from({ length: writers }, (_, w) =>
        writer(
          child.client,
          `crash-r${round}-w${w}`,
          new Random(random.int(0, 2 ** 31)),
          expected,
          report,
          () => alive,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, random.int(0, maxDelay)));
      alive = false;
      child.process.kill("SIGKILL");
      await child.exited;
      await Promise.all(loops);
      child.client.close();
      report.kills++;
      const left = inspectDataDir(options.dataDir);
      if (left.torn) report.tornTails++;
      if (left.journals > 1) report.killsDuringCompaction++;
      child = await startEmulatorProcess(options.dataDir);
      report.restarts++;
      report.problems.push(
        ...(await verify(child.client, expected)).map((problem) => `after kill ${round}: ${problem}`),
      );
      options.onRound?.(round, report);
      if (report.problems.length > 0) break;
    }
  } finally {
    child.client.close();
    child.process.kill("SIGTERM");
    await child.exited;
  }
  report.generation = inspectDataDir(options.dataDir).generation;
  return report;
}
