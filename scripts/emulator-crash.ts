/**
 * Long crash run of the emulator's dataDir: `npx tsx scripts/emulator-crash.ts [--kills N] [--seed S]
 * [--writers W] [--data-dir DIR]` (default 100 kills, seed 1, 8 writers, a fresh temp folder). Each
 * round writes concurrently, SIGKILLs the CLI at a random moment, restarts it on the same folder and
 * checks every acknowledged write. Exits 1 on the first round that loses one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCrashRounds } from "./emulator-crash-lib.js";

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number`);
  return value;
}

const dirIndex = process.argv.indexOf("--data-dir");
const given = dirIndex >= 0 ? process.argv[dirIndex + 1] : undefined;
const dataDir = given ? path.resolve(given) : mkdtempSync(path.join(os.tmpdir(), "kv-emulator-crash-"));
const started = Date.now();
try {
  const report = await runCrashRounds({
    dataDir,
    kills: argument("--kills", 100),
    seed: argument("--seed", 1),
    writers: argument("--writers", 8),
    onRound: (round, current) => {
      if (round % 10 === 0)
        process.stdout.write(
          `${round} kills survived, ${current.acknowledgedCreates + current.acknowledgedUpdates + current.acknowledgedDeletes} acknowledged writes, ${Math.round((Date.now() - started) / 1000)} s\n`,
        );
    },
  });
  const { problems, ...figures } = report;
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  if (problems.length > 0) {
    process.stdout.write(`${problems.length} problems:\n${problems.slice(0, 50).join("\n")}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write("every acknowledged write survived every kill\n");
  }
} finally {
  if (!given) rmSync(dataDir, { recursive: true, force: true });
}
