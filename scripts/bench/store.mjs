// `npm run bench:store`: how the emulator's dataDir store scales. For each size (default 1,000 and
// 10,000 EC keys) a fresh folder is filled over HTTP, one emulator each in one process; then sequential
// creates, reads, deletes and getDeletedKey calls are timed and the whole list is paged through (25 a
// page), alternating between the sizes operation by operation; then fresh processes, alternated too,
// time startEmulator() on each filled folder (the load). Prints the figures and the ratios of the
// largest size to the smallest, with the targets of issue 14 beside them. See README.md.
//
//   node scripts/bench/store.mjs [--sizes 1000,10000] [--creates 300] [--loads 3] [--json] [--no-build]
//                                [--keep] [--dir PARENT]
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildUnlessTold, commandLine, progressLog } from "./commandLine.mjs";
import { median } from "./processes.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const cli = commandLine(process.argv.slice(2));
const { flag, option } = cli;
const json = flag("json");
const sizes = option("sizes", "1000,10000").split(",").map(Number);
const loads = Number(option("loads", 3));
const settings = {
  fillConcurrency: 32,
  creates: Number(option("creates", 300)),
  reads: 300,
  deletes: 50,
  listings: 3,
};
const log = progressLog(json);

buildUnlessTold(root, cli, log);

function runChild(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", join(here, "store-child.mjs"), ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`store-child.mjs ${args[0]} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split("\n").pop()));
    });
  });
}

function folderBytes(folder) {
  let total = 0;
  for (const name of readdirSync(folder)) {
    const stats = statSync(join(folder, name));
    total += stats.isDirectory() ? folderBytes(join(folder, name)) : stats.size;
  }
  return total;
}

const parent = option("dir", os.tmpdir());
const targets = sizes.map((keys) => ({ keys, dataDir: mkdtempSync(join(parent, `kv-bench-store-${keys}-`)) }));
let results;
try {
  log(`filling ${targets.map(({ keys, dataDir }) => `${keys} keys in ${dataDir}`).join(", ")} ...`);
  const measured = await runChild(["measure", JSON.stringify(targets), JSON.stringify(settings)]);
  const loadRuns = targets.map(() => []);
  for (let i = 0; i < loads; i++) {
    for (const [index, { dataDir }] of targets.entries())
      loadRuns[index].push((await runChild(["load", dataDir])).loadMs);
  }
  results = measured.map((result, index) => ({
    ...result,
    loadMs: median(loadRuns[index]),
    loadRunsMs: loadRuns[index],
    dataDirBytes: folderBytes(targets[index].dataDir),
  }));
  for (const result of results) log(`${result.keys} keys: filled in ${(result.fillMs / 1000).toFixed(1)} s`);
} finally {
  if (!flag("keep")) for (const { dataDir } of targets) rmSync(dataDir, { recursive: true, force: true });
}

const smallest = results[0];
const largest = results[results.length - 1];
const ratios = {
  createP50: largest.createP50Ms / smallest.createP50Ms,
  listPerItem: largest.listPerItemUs / smallest.listPerItemUs,
  getDeletedP50: largest.getDeletedP50Ms / smallest.getDeletedP50Ms,
};
const report = { node: process.version, settings, results, ratios };

if (json) {
  process.stdout.write(JSON.stringify(report, null, 2) + "\n");
} else {
  const row = (label, field, digits, unit = "") =>
    `${label.padEnd(28)}${results.map((r) => `${r[field].toFixed(digits)}${unit}`.padStart(14)).join("")}`;
  console.log(`\n${"".padEnd(28)}${results.map((r) => `${r.keys} keys`.padStart(14)).join("")}`);
  console.log(row("create p50", "createP50Ms", 2, " ms"));
  console.log(row("create p90", "createP90Ms", 2, " ms"));
  console.log(row("get p50", "getP50Ms", 2, " ms"));
  console.log(row("delete p50", "deleteP50Ms", 2, " ms"));
  console.log(row("getDeletedKey p50", "getDeletedP50Ms", 2, " ms"));
  console.log(row("full listing", "listMs", 0, " ms"));
  console.log(row("list, per item", "listPerItemUs", 1, " us"));
  console.log(row("load (startEmulator)", "loadMs", 0, " ms"));
  console.log(row("dataDir size", "dataDirBytes", 0, " B"));
  const at = `${largest.keys} / ${smallest.keys}`;
  console.log(`\ncreate p50, ${at}:      ${ratios.createP50.toFixed(2)}x (target: within 2x)`);
  console.log(`list per item, ${at}:   ${ratios.listPerItem.toFixed(2)}x (target: within 2x)`);
  console.log(`getDeletedKey p50, ${at}: ${ratios.getDeletedP50.toFixed(2)}x`);
  console.log(`load of ${largest.keys} keys:         ${largest.loadMs.toFixed(0)} ms (target: under 1000 ms)`);
}
