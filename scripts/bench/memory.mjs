// Memory stays flat while iterating a long listing: iterates `--items` keys (the server is started
// with that many) with one client, and every `--every` items forces a GC and records heapUsed. The
// growth is the largest heap after the first sample minus the first sample: a pager that kept the
// pages it had already yielded would grow by their size (about 1 MB of parsed items per 2,500 keys).
// Usage: node --expose-gc memory.mjs <ours|official> <port> [items=100000] [every=10000]
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [which, port, itemsText = "100000", everyText = "10000"] = process.argv.slice(2);
const items = Number(itemsText);
const every = Number(everyText);
const credential = { getToken: async () => ({ token: "bench-token", expiresOnTimestamp: Date.now() + 3_600_000 }) };
const { KeyClient } = require(which === "ours" ? "keyvault-keys" : "@azure/keyvault-keys");
const client = new KeyClient(`https://127.0.0.1:${port}`, credential, { disableChallengeResourceVerification: true });
const samples = [];
let count = 0;
for await (const item of client.listPropertiesOfKeys()) {
  if (item.name === undefined) throw new Error("no name");
  if (++count % every === 0) {
    globalThis.gc();
    samples.push(process.memoryUsage().heapUsed / 2 ** 20);
  }
}
if (count !== items) throw new Error(`listed ${count} keys, expected ${items}`);
const growthMb = Math.max(...samples.slice(1)) - samples[0];
process.stdout.write(
  JSON.stringify({ client: which, items: count, heapMbSamples: samples.map((s) => +s.toFixed(2)), growthMb }) + "\n",
);
process.exit(0);
