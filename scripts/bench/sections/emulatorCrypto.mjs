// The emulator's signing and verifying in-process (emulatorCrypto.mjs): requests per second with 16
// concurrent callers, CPU per request, event-loop stalls, and node:crypto in a loop for scale; a
// "before" checkout beside it with --before.
import { join } from "node:path";
import { median, runNode } from "../processes.mjs";
import { fmt, printTable, ratio } from "../table.mjs";

const operations = ["ES256 sign", "ES256 verify", "RS256 sign", "RS256 verify"];
const fields = ["perSecond", "cpuUsPerOp", "p99LoopDelayMs", "maxLoopDelayMs", "nodeCryptoPerSecond"];

export const emulatorCrypto = {
  only: "crypto",

  async measure(context, report) {
    const { here, quick, before, cryptoRounds, log } = context;
    const runs = { ours: [], ...(before ? { before: [] } : {}) };
    for (let r = 0; r < cryptoRounds; r++) {
      for (const c of Object.keys(runs)) {
        const args = [join(here, "emulatorCrypto.mjs"), quick ? "2" : "3", ...(c === "before" ? [before] : [])];
        runs[c].push((await runNode(context, args)).result);
      }
    }
    report.emulatorCrypto = {};
    for (const [c, sideRuns] of Object.entries(runs)) {
      report.emulatorCrypto[c] = {};
      for (const op of operations) {
        report.emulatorCrypto[c][op] = Object.fromEntries(
          fields.map((field) => [field, median(sideRuns.map((x) => x.ops[op][field]))]),
        );
      }
    }
    log("emulator crypto done");
  },

  print(report) {
    const e = report.emulatorCrypto;
    if (!e?.ours) return;
    const rows = operations.map((op) => {
      const ours = e.ours[op];
      const was = e.before?.[op];
      return [
        op,
        fmt(ours.perSecond, 0),
        fmt(ours.cpuUsPerOp, 0),
        fmt(ours.p99LoopDelayMs, 1),
        fmt(ours.maxLoopDelayMs, 1),
        fmt(ours.nodeCryptoPerSecond, 0),
        ratio(ours.perSecond, ours.nodeCryptoPerSecond),
        ...(was ? [fmt(was.perSecond, 0), fmt(was.maxLoopDelayMs, 1), ratio(ours.perSecond, was.perSecond)] : []),
      ];
    });
    printTable(
      "The emulator in-process: requests per second with 16 concurrent callers over http, CPU us per request, event-loop stalls (ms: 99th percentile and longest); node:crypto signing the data in a loop for scale",
      [
        "operation",
        "per second",
        "CPU us",
        "p99 stall ms",
        "max stall ms",
        "node:crypto per second",
        "ours/node:crypto",
        ...(e.before ? ["before: per second", "before: max stall ms", "ours/before"] : []),
      ],
      rows,
    );
  },
};
