// Cold start: fresh processes that require (coldstart.cjs) or import (coldstart.mjs) the package and
// construct a KeyClient, ours and the official alternated; the import alone, with the client, and the
// whole process.
import { join } from "node:path";
import { median, runNode } from "../processes.mjs";
import { fmt, ratio } from "../table.mjs";

/** The package each side loads. */
export const packageOf = { ours: "keyvault-keys", official: "@azure/keyvault-keys" };

const modes = ["require", "import"];

export const coldStart = {
  only: "cold",

  async measure(context, report) {
    const { here, coldRuns, log } = context;
    const runs = { ours: { import: [], require: [] }, official: { import: [], require: [] } };
    const wall = { ours: { import: [], require: [] }, official: { import: [], require: [] } };
    for (let i = 0; i < coldRuns; i++) {
      for (const mode of modes) {
        for (const c of i % 2 ? ["official", "ours"] : ["ours", "official"]) {
          const script = join(here, mode === "import" ? "coldstart.mjs" : "coldstart.cjs");
          const { result, wallMs } = await runNode(context, [script, packageOf[c]]);
          runs[c][mode].push(result);
          wall[c][mode].push(wallMs);
        }
      }
    }
    for (const c of ["ours", "official"]) {
      report.coldStart[c] = {};
      for (const mode of modes) {
        report.coldStart[c][mode] = {
          importMs: median(runs[c][mode].map((x) => x.importMs)),
          clientMs: median(runs[c][mode].map((x) => x.clientMs)),
          processMs: median(wall[c][mode]),
        };
      }
    }
    log("cold start done");
  },

  rows(report) {
    const c = report.coldStart;
    if (!c.ours) return [];
    return modes.flatMap((mode) =>
      [
        [`cold start, ${mode} (ms)`, "importMs"],
        [`cold start, ${mode} + new KeyClient (ms)`, "clientMs"],
        [`  whole process, ${mode} (ms)`, "processMs"],
      ].map(([label, field]) => [
        label,
        fmt(c.ours[mode][field]),
        fmt(c.official[mode][field]),
        "-",
        ratio(c.ours[mode][field], c.official[mode][field]),
        "-",
      ]),
    );
  },
};
