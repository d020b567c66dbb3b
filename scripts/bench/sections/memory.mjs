// Memory: heap growth while ours and the official client iterate 100,000 keys (50,000 with --quick)
// from a server of their own (memory.mjs samples heapUsed after a forced GC).
import { join } from "node:path";
import { runNode, startServer } from "../processes.mjs";
import { fmt } from "../table.mjs";

export const memory = {
  only: "memory",

  async measure(context, report) {
    const { here, quick, log } = context;
    const items = quick ? 50000 : 100000;
    const server = await startServer(context, items);
    for (const c of ["ours", "official"]) {
      const { result } = await runNode(context, [
        "--expose-gc",
        join(here, "memory.mjs"),
        c,
        String(server.port),
        String(items),
        String(items / 10),
      ]);
      report.memory[c] = result;
    }
    server.stop();
    log("memory check done");
  },

  rows(report) {
    const m = report.memory;
    if (!m.ours) return [];
    return [
      [
        `heap growth iterating ${m.ours.items} keys (MB)`,
        fmt(m.ours.growthMb, 2),
        fmt(m.official?.growthMb, 2),
        "-",
        "-",
        "-",
      ],
    ];
  },
};
