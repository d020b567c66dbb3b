// Network: CPU per operation, requests per second and RSS of each client (client.mjs) against the
// fixed-answer server, the clients interleaved round by round, each round in fresh processes.
import { join } from "node:path";
import { median, runNode, startServer } from "../processes.mjs";
import { fmt, ratio } from "../table.mjs";

const compared = ["ours", "official", "floor"];

export const network = {
  only: "network",

  async measure(context, report) {
    const { here, clients, rounds, settings, log } = context;
    const server = await startServer(context, 10000);
    const raw = Object.fromEntries(clients.map((c) => [c, []]));
    for (let r = 0; r < rounds; r++) {
      for (const c of clients) {
        const { result } = await runNode(context, [
          join(here, "client.mjs"),
          c,
          String(server.port),
          JSON.stringify(settings),
        ]);
        raw[c].push(result);
      }
      log(`network round ${r + 1}/${rounds} done`);
    }
    server.stop();
    for (const c of clients) {
      const m = (phase, field) => median(raw[c].map((x) => x[phase][field]));
      report.network[c] = {
        getKeyCpuUs: m("getKeySequential", "cpuUsPerOp"),
        getKeyConcurrentCpuUs: m("getKeyConcurrent16", "cpuUsPerOp"),
        createRsaKeyCpuUs: m("createRsaKey", "cpuUsPerOp"),
        listItemCpuUs: m("listItem", "cpuUsPerOp"),
        getKeyPerSecond: m("getKeySequential", "perSecond"),
        getKeyConcurrentPerSecond: m("getKeyConcurrent16", "perSecond"),
        listItemsPerSecond: m("listItem", "perSecond"),
        rssMb: median(raw[c].map((x) => x.rssMb)),
      };
    }
  },

  /** The clients measured beyond ours, official and floor (`--extra`): columns of their own. */
  extraColumns(report, { clients }) {
    return report.network.ours ? clients.filter((c) => !compared.includes(c)) : [];
  },

  rows(report, context) {
    const n = report.network;
    if (!n.ours) return [];
    const extraCols = this.extraColumns(report, context);
    const row = (label, field, d = 1) => [
      label,
      fmt(n.ours[field], d),
      fmt(n.official?.[field], d),
      fmt(n.floor?.[field], d),
      ratio(n.ours[field], n.official?.[field]),
      ratio(n.ours[field], n.floor?.[field]),
      ...extraCols.map((c) => fmt(n[c]?.[field], d)),
    ];
    return [
      row("CPU us per getKey (sequential)", "getKeyCpuUs"),
      row("CPU us per getKey (16 concurrent)", "getKeyConcurrentCpuUs"),
      row("CPU us per createRsaKey", "createRsaKeyCpuUs"),
      row("CPU us per listed item", "listItemCpuUs", 2),
      row("getKey per second (sequential)", "getKeyPerSecond", 0),
      row("getKey per second (16 concurrent)", "getKeyConcurrentPerSecond", 0),
      row("listed items per second", "listItemsPerSecond", 0),
      row("RSS after the run (MB)", "rssMb"),
    ];
  },
};
