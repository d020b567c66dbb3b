// `npm run bench`: this package (built dist/) against @azure/keyvault-keys 4.10.2 and a bare
// node:https floor, on a fixed-answer Key Vault endpoint in its own process. See README.md here.
//
//   node scripts/bench/run.mjs [--quick] [--json] [--rounds N] [--no-build] [--clients ours,official,floor]
//                              [--only network,memory,cold,first,size,crypto] [--extra] [--before <checkout>]
//
// --before: a checkout of another commit with its dist/ built (npm run build there); the crypto part
// then measures it too, interleaved, in a "before" column (local cryptography and the emulator).
//
// Every figure is the median over rounds; the clients run interleaved (A B C A B C ...), each round
// in a fresh child process, and CPU is that process's own (process.cpuUsage, user + system).
// Each section (what it measures, how it prints) is a file of sections/; report.mjs puts them together.
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeCertificate } from "./cert.mjs";
import { buildUnlessTold, commandLine, progressLog } from "./commandLine.mjs";
import { childEnvironment } from "./processes.mjs";
import { emptyReport, printReport, sections } from "./report.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const args = commandLine(process.argv.slice(2));
const { flag, option } = args;
const quick = flag("quick");
const json = flag("json");
const rounds = Number(option("rounds", quick ? 3 : 7));
const extra = flag("extra");
const context = {
  here,
  root,
  quick,
  rounds,
  coldRuns: Number(option("cold-runs", quick ? 9 : 15)),
  cryptoRounds: Math.max(3, Math.ceil(rounds / 2)),
  clients: option("clients", extra ? "ours,official,floor,corehttp,corepipeline" : "ours,official,floor").split(","),
  before: option("before", undefined),
  settings: quick
    ? { warmup: 300, listWarmup: 2000, getKey: 1000, getKeyConcurrent: 2000, createRsaKey: 500 }
    : { warmup: 500, listWarmup: 3000, getKey: 2000, getKeyConcurrent: 4000, createRsaKey: 1000 },
  log: progressLog(json),
};
const only = new Set(option("only", "network,memory,cold,first,size,crypto").split(","));

buildUnlessTold(root, args, context.log);

context.cert = makeCertificate();
context.env = childEnvironment(context.cert);

const report = emptyReport(context);
for (const section of sections) if (only.has(section.only)) await section.measure(context, report);

rmSync(context.cert.dir, { recursive: true, force: true });

if (json) {
  process.stdout.write(JSON.stringify(report, null, 2) + "\n");
} else {
  printReport(report, context);
}
