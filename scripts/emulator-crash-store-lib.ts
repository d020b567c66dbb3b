/**
 * Crash test of the store alone, where compactions happen every few KiB: a child process
 * (emulator-crash-store-child.ts) commits changes until it is SIGKILLed at a random moment; then this
 * process opens the same folder (taking over the lock the child left, dropping a torn tail, finishing
 * an interrupted compaction) and checks that every key is as the acknowledged changes made it (or,
 * for the one change per key in flight at the kill, as it would be with that change too), and that
 * nothing unknown appeared. Used by test/emulator/crash.test.ts and scripts/emulator-crash.ts.
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { FileKeyStore } from "../src/emulator/store/fileStore.js";
import { applyChange } from "../src/emulator/store/keyChanges.js";
import { changedName, nameKey, type KeyChange, type StoredKey } from "../src/emulator/store/keyStore.js";
import { Random } from "./emulator-fuzz-values.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** What a store crash run saw. */
export interface StoreCrashReport {
  kills: number;
  acknowledged: number;
  inFlightAtKill: number;
  /** Kills that left two journal generations: a compaction not finished. */
  killsDuringCompaction: number;
  problems: string[];
}

/** Per name: the key as known for sure, and the change in flight at the kill (one at most per name). */
interface Expected {
  key: StoredKey | undefined;
  inFlight: KeyChange | undefined;
}

/** JSON with sorted object members, so that two equal keys print the same. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1)))
      : item,
  );
}

/** Runs the child until `delayInMs` after it is ready, kills it, and returns the lines it printed. */
async function runChildUntilKilled(dataDir: string, seed: number, round: number, delayInMs: number): Promise<string[]> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/emulator-crash-store-child.ts", dataDir, String(seed), "4", String(round)],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  let errors = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (output.startsWith("ready\n")) {
        clearInterval(check);
        resolve();
      }
    }, 5);
    void exited.then(() => {
      clearInterval(check);
      reject(new Error(`the store child exited before it was ready:\n${output}${errors}`));
    });
  });
  await new Promise((resolve) => setTimeout(resolve, delayInMs));
  child.kill("SIGKILL");
  await exited;
  return output.split("\n").slice(1, -1); // the last piece has no newline yet: not a whole line
}

/** Runs `kills` rounds of commit, SIGKILL, reopen and check on `dataDir`. */
export async function runStoreCrashRounds(options: {
  dataDir: string;
  kills: number;
  seed: number;
  onRound?: (round: number, report: StoreCrashReport) => void;
}): Promise<StoreCrashReport> {
  const random = new Random(options.seed);
  const expected = new Map<string, Expected>();
  const report: StoreCrashReport = {
    kills: 0,
    acknowledged: 0,
    inFlightAtKill: 0,
    killsDuringCompaction: 0,
    problems: [],
  };
  for (let round = 1; round <= options.kills && report.problems.length === 0; round++) {
    const lines = await runChildUntilKilled(options.dataDir, random.int(0, 2 ** 31), round, random.int(10, 400));
    report.kills++;
    const journals = readdirSync(options.dataDir).filter((name) => name.endsWith(".journal")).length;
    if (journals > 1) report.killsDuringCompaction++;
    for (const line of lines) {
      const change = JSON.parse(line.slice(2)) as KeyChange;
      const name = nameKey(changedName(change));
      const entry = expected.get(name) ?? { key: undefined, inFlight: undefined };
      if (line.startsWith("S ")) entry.inFlight = change;
      else {
        entry.key = applyChange(entry.key, change);
        entry.inFlight = undefined;
        report.acknowledged++;
      }
      expected.set(name, entry);
    }
    const store = await FileKeyStore.open(options.dataDir);
    try {
      const found = new Map(store.snapshot().keys.map((key) => [nameKey(key.name), key]));
      for (const [name, entry] of expected) {
        const actual = canonical(found.get(name));
        const sure = canonical(entry.key);
        const withInFlight = entry.inFlight ? canonical(applyChange(entry.key, entry.inFlight)) : sure;
        if (entry.inFlight) report.inFlightAtKill++;
        if (actual !== sure && actual !== withInFlight)
          report.problems.push(`after kill ${round}: ${name} is ${actual}, expected ${sure} or ${withInFlight}`);
        expected.set(name, { key: found.get(name), inFlight: undefined });
        found.delete(name);
      }
      for (const name of found.keys()) report.problems.push(`after kill ${round}: ${name} was never written`);
    } finally {
      await store.close();
    }
    options.onRound?.(round, report);
  }
  return report;
}
