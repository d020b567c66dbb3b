// Local cryptography (crypto.mjs): CPU per operation with public key material and no network, ours
// against the official client's local provider and bare node:crypto, and a "before" checkout with
// --before. A side that cannot do an operation shows why instead of a figure.
import { join } from "node:path";
import { median, runNode } from "../processes.mjs";
import { fmt, printTable, ratio } from "../table.mjs";

const operations = ["ES256 verify", "ES256 verify (digest)", "RS256 verify", "RSA-OAEP-256 encrypt"];

export const localCrypto = {
  only: "crypto",

  async measure(context, report) {
    const { here, quick, before, cryptoRounds, log } = context;
    const sides = ["ours", "official", "floor", ...(before ? ["before"] : [])];
    const raw = Object.fromEntries(sides.map((c) => [c, []]));
    for (let r = 0; r < cryptoRounds; r++) {
      for (const c of sides) {
        try {
          const { result } = await runNode(context, [
            join(here, "crypto.mjs"),
            c,
            quick ? "1000" : "3000",
            before ?? "",
          ]);
          raw[c].push(result);
        } catch (e) {
          raw[c].push({ error: String(e.message) });
        }
      }
    }
    for (const c of Object.keys(raw)) {
      report.crypto[c] = {};
      for (const op of operations) {
        const values = raw[c].map((x) => x.ops?.[op]);
        report.crypto[c][op] = values.every((v) => typeof v === "number")
          ? median(values)
          : (raw[c].find((x) => x.ops?.[op] !== undefined && typeof x.ops[op] !== "number")?.ops[op] ??
            raw[c].find((x) => x.error)?.error ??
            "n/a");
      }
    }
    log("local crypto done");
  },

  print(report) {
    const k = report.crypto;
    if (!k.ours) return;
    const beforeColumns = k.before ? ["before", "ours/before"] : [];
    printTable(
      "Local cryptography, CPU us per operation (public key material, no network)",
      ["operation", "ours", "official", "node:crypto", "ours/official", "ours/node:crypto", ...beforeColumns],
      operations.map((op) => [
        op,
        fmt(k.ours[op]),
        fmt(k.official[op]),
        fmt(k.floor[op]),
        ratio(k.ours[op], k.official[op]),
        ratio(k.ours[op], k.floor[op]),
        ...(k.before ? [fmt(k.before[op]), ratio(k.ours[op], k.before[op])] : []),
      ]),
    );
  },
};
