// ECDSA over a digest with a local-only client on each curve (ecdsaCurves.mjs), a fresh process per
// curve: the first sign and verify (what blocks the event loop once), then the steady state; a
// "before" checkout beside it with --before.
import { join } from "node:path";
import { median, runNode } from "../processes.mjs";
import { fmt, printTable } from "../table.mjs";

const curves = ["P-256", "P-384", "P-521", "P-256K"];
const fields = ["firstSignMs", "firstVerifyMs", "signUs", "verifyUs"];

export const ecdsaCurves = {
  only: "crypto",

  async measure(context, report) {
    const { here, before, cryptoRounds, log } = context;
    const runs = {};
    for (let r = 0; r < cryptoRounds; r++) {
      for (const crv of curves) {
        for (const c of ["ours", ...(before ? ["before"] : [])]) {
          const args = [join(here, "ecdsaCurves.mjs"), crv, ...(c === "before" ? [before] : [])];
          ((runs[c] ??= {})[crv] ??= []).push((await runNode(context, args)).result);
        }
      }
    }
    report.ecdsaCurves = {};
    for (const [c, byCurve] of Object.entries(runs)) {
      report.ecdsaCurves[c] = {};
      for (const [crv, curveRuns] of Object.entries(byCurve)) {
        report.ecdsaCurves[c][crv] = Object.fromEntries(fields.map((f) => [f, median(curveRuns.map((x) => x[f]))]));
      }
    }
    log("ECDSA curves done");
  },

  print(report) {
    const measured = report.ecdsaCurves;
    if (!measured?.ours) return;
    const b = measured.before;
    printTable(
      "ECDSA over a digest, local-only client: first call in a fresh process (ms), then us per call",
      [
        "curve",
        "first sign ms",
        "first verify ms",
        "sign us",
        "verify us",
        ...(b ? ["before: first sign ms", "before: first verify ms", "before: sign us", "before: verify us"] : []),
      ],
      curves.map((crv) => {
        const o = measured.ours[crv];
        const w = b?.[crv];
        return [
          crv,
          fmt(o.firstSignMs),
          fmt(o.firstVerifyMs),
          fmt(o.signUs, 0),
          fmt(o.verifyUs, 0),
          ...(w ? [fmt(w.firstSignMs), fmt(w.firstVerifyMs), fmt(w.signUs, 0), fmt(w.verifyUs, 0)] : []),
        ];
      }),
    );
  },
};
