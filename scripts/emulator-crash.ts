/**
 * Long crash run of the emulator's dataDir: `npx tsx scripts/emulator-crash.ts [--kills N]
 * [--store-kills M] [--seed S] [--writers W] [--data-dir DIR]` (default 100 kills of the CLI, then 200
 * of the store alone, seed 1, 8 writers, fresh temp folders). CLI rounds write concurrently over
 * HTTP, SIGKILL the CLI at a random moment, restart it on the same folder and check every
 * acknowledged write; store rounds kill a store that compacts every few KiB and reopen it. Exits 1
 * on the first round that loses a write.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCrashRounds } from "./emulator-crash-lib.js";
import { runStoreCrashRounds } from "./emulator-crash-store-lib.js";

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number`);
  return value;
}

function report(label: string, figures: object, problems: string[]): void {
  process.stdout.write(`${label}: ${JSON.stringify(figures, null, 2)}\n`);
  if (problems.length > 0) {
    process.stdout.write(`${problems.length} problems:\n${problems.slice(0, 50).join("\n")}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`${label}: every acknowledged write survived every kill\n`);
  }
}

const dirIndex = process.argv.indexOf("--data-dir");
const given = dirIndex >= 0 ? process.argv[dirIndex + 1] : undefined;
const folder = (name: string): string =>
  given ? path.resolve(given, name) : mkdtempSync(path.join(os.tmpdir(), `kv-emulator-crash-${name}-`));
const seed = argument("--seed", 1);
const started = Date.now();
const seconds = (): number => Math.round((Date.now() - started) / 1000);
const cliDir = folder("cli");
const storeDir = folder("store");
try {
  const cli = await runCrashRounds({
    dataDir: cliDir,
    kills: argument("--kills", 100),
    seed,
    writers: argument("--writers", 8),
    onRound: (round, current) => {
      if (round % 10 === 0)
        process.stdout.write(
          `CLI: ${round} kills survived, ${current.acknowledgedCreates + current.acknowledgedUpdates + current.acknowledgedDeletes} acknowledged writes, ${seconds()} s\n`,
        );
    },
  });
  const { problems: cliProblems, ...cliFigures } = cli;
  report("CLI", cliFigures, cliProblems);
  if (cliProblems.length === 0) {
    const store = await runStoreCrashRounds({
      dataDir: storeDir,
      kills: argument("--store-kills", 200),
      seed,
      onRound: (round, current) => {
        if (round % 20 === 0)
          process.stdout.write(
            `store: ${round} kills survived, ${current.acknowledged} acknowledged, ${seconds()} s\n`,
          );
      },
    });
    const { problems: storeProblems, ...storeFigures } = store;
    report("store", storeFigures, storeProblems);
  }
} finally {
  if (!given) for (const dir of [cliDir, storeDir]) rmSync(dir, { recursive: true, force: true });
}
