/**
 * Long fuzz run of the emulator: `npx tsx scripts/emulator-fuzz.ts [--requests N] [--seed S]`
 * (default 100,000 requests, seed 1). Exits 1 and prints the failing requests when a check fails.
 * The test suite runs the same fuzzer with 3,000 requests (test/emulator/fuzz.test.ts).
 */
import { runFuzz } from "./emulator-fuzz-runner.js";

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number`);
  return value;
}

const requests = argument("--requests", 100_000);
const seed = argument("--seed", 1);
const started = Date.now();
const report = await runFuzz({
  seed,
  requests,
  onProgress: (done, current) => {
    if (done % 10_000 === 0)
      process.stdout.write(
        `${done} requests, ${current.failures.length} failures, ${Math.round((Date.now() - started) / 1000)} s\n`,
      );
  },
});
const { failures, ...figures } = report;
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
if (failures.length > 0) {
  process.stdout.write(`${failures.length} failed checks; the first ones:\n${failures.slice(0, 50).join("\n")}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write("every check passed\n");
}
