// First answer: a fresh process that requires the package, makes a KeyClient and awaits one getKey
// from the bench server (firstanswer.cjs); from the script's start, from the process's, and to exit.
import { join } from "node:path";
import { median, runNode, startServer } from "../processes.mjs";
import { fmt, ratio } from "../table.mjs";
import { packageOf } from "./coldStart.mjs";

const figures = [
  ["first getKey answer, from require (ms)", "scriptMs"],
  ["first getKey answer, from process start (ms)", "processMs"],
  ["  whole process, to exit (ms)", "wallMs"],
];

export const firstAnswer = {
  only: "first",

  async measure(context, report) {
    const { here, coldRuns, log } = context;
    const server = await startServer(context, 10);
    const runs = { ours: [], official: [] };
    for (let i = 0; i < coldRuns; i++) {
      for (const c of i % 2 ? ["official", "ours"] : ["ours", "official"]) {
        const { result, wallMs } = await runNode(context, [
          join(here, "firstanswer.cjs"),
          packageOf[c],
          String(server.port),
        ]);
        runs[c].push({ ...result, wallMs });
      }
    }
    server.stop();
    for (const c of ["ours", "official"]) {
      report.firstAnswer[c] = {
        scriptMs: median(runs[c].map((x) => x.scriptMs)),
        processMs: median(runs[c].map((x) => x.processMs)),
        wallMs: median(runs[c].map((x) => x.wallMs)),
      };
    }
    log("first answer done");
  },

  rows(report) {
    const f = report.firstAnswer;
    if (!f.ours) return [];
    return figures.map(([label, field]) => [
      label,
      fmt(f.ours[field]),
      fmt(f.official[field]),
      "-",
      ratio(f.ours[field], f.official[field]),
      "-",
    ]);
  },
};
