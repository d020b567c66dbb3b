// One client under test, in its own process: `ours` (this package's built dist), `official`
// (@azure/keyvault-keys 4.10.2) or `floor` (a bare node:https keep-alive loop that sends the same
// requests and JSON.parses the answers). Runs warm-up, then each measured phase, and prints one JSON
// line with CPU microseconds (process.cpuUsage, user + system) and wall time per phase, and the RSS
// at the end. Each phase first runs its own operation as many times again (a listing: four times),
// unmeasured, so that what is measured is that operation's steady state: the JIT settled on it, and
// the previous phase's garbage collected by the collections this operation's own allocation causes.
// No GC is forced: after a forced full GC the next 2,000 calls of every client cost 1.5x to 2x their
// steady state (user time on the main thread, not the collection), which would measure V8's recovery
// from the GC rather than the client.
// Usage: node client.mjs <ours|official|floor> <port> <json settings>
import { createRequire } from "node:module";
import { Agent, request } from "node:https";

const require = createRequire(import.meta.url);
const [which, portText, settingsText] = process.argv.slice(2);
const settings = JSON.parse(settingsText);
const vaultUrl = `https://127.0.0.1:${portText}`;
const keyName = "bench-key";
const credential = { getToken: async () => ({ token: "bench-token", expiresOnTimestamp: Date.now() + 3_600_000 }) };

function makeClient() {
  if (which === "ours" || which === "official") {
    const { KeyClient } = require(
      which === "ours" ? process.env.KV_BENCH_OURS || "keyvault-keys" : "@azure/keyvault-keys",
    );
    const client = new KeyClient(vaultUrl, credential, { disableChallengeResourceVerification: true });
    return {
      getKey: () => client.getKey(keyName),
      createRsaKey: () => client.createRsaKey(keyName, { keySize: 2048 }),
      async list(limit) {
        let count = 0;
        for await (const item of client.listPropertiesOfKeys()) {
          if (item.name === undefined) throw new Error("no name");
          if (++count === limit) break;
        }
        return count;
      },
    };
  }
  if (which === "corehttp" || which === "corepipeline") return coreClient(which === "corepipeline");
  return floorClient();
}

/** Diagnostics (--extra): the floor's requests sent through core-rest-pipeline's default HTTP client
 * alone (`corehttp`), or through its default pipeline as well (`corepipeline`). */
function coreClient(withPipeline) {
  const core = require("@azure/core-rest-pipeline");
  const httpClient = core.createDefaultHttpClient();
  const pipeline = withPipeline ? core.createPipelineFromOptions({}) : undefined;
  const sendOne = async (method, path, body) => {
    const headers = core.createHttpHeaders({ accept: "application/json", authorization: "Bearer bench-token" });
    if (body !== undefined) headers.set("content-type", "application/json");
    const request = core.createPipelineRequest({ url: `${vaultUrl}${path}`, method, headers, body });
    const response = pipeline ? await pipeline.sendRequest(httpClient, request) : await httpClient.sendRequest(request);
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    return JSON.parse(response.bodyAsText);
  };
  return listingOver(sendOne);
}

function listingOver(send) {
  return {
    getKey: () => send("GET", `/keys/${keyName}/?api-version=7.6`),
    createRsaKey: () =>
      send("POST", `/keys/${keyName}/create?api-version=7.6`, JSON.stringify({ kty: "RSA", key_size: 2048 })),
    async list(limit) {
      let count = 0;
      let link = "/keys?api-version=7.6";
      while (link) {
        const page = await send("GET", link);
        for (const item of page.value) {
          if (typeof item.kid !== "string") throw new Error("no kid");
          if (++count === limit) return count;
        }
        link = page.nextLink ? page.nextLink.slice(vaultUrl.length) : undefined;
      }
      return count;
    },
  };
}

/** The floor: what any client must at least do. One keep-alive agent, the same requests, JSON.parse. */
function floorClient() {
  const agent = new Agent({ keepAlive: true });
  let authorization;
  const send = (method, path, body) =>
    new Promise((resolve, reject) => {
      const headers = { accept: "application/json" };
      if (authorization) headers.authorization = authorization;
      if (body !== undefined) {
        headers["content-type"] = "application/json";
        headers["content-length"] = Buffer.byteLength(body);
      }
      const req = request(`${vaultUrl}${path}`, { method, agent, headers }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => {
          if (res.statusCode === 401 && !authorization) {
            authorization = "Bearer bench-token"; // the challenge, once
            send(method, path, body).then(resolve, reject);
          } else if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
          else resolve(JSON.parse(text));
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
  return listingOver(send);
}

async function sequential(fn, count) {
  for (let i = 0; i < count; i++) await fn();
}

async function concurrent(fn, count, width) {
  let left = count;
  const worker = async () => {
    while (left-- > 0) await fn();
  };
  await Promise.all(Array.from({ length: width }, worker));
}

/**
 * Runs `run` `warmRuns` times unmeasured, then once measured; `operations` is what it does, unless it
 * says (a listing).
 */
async function measure(run, operations, warmRuns = 1) {
  for (let i = 0; i < warmRuns; i++) await run();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const done = await run();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const n = done ?? operations;
  return {
    operations: n,
    cpuUsPerOp: (cpu.user + cpu.system) / n,
    systemUsPerOp: cpu.system / n,
    perSecond: n / (wallMs / 1000),
  };
}

const client = makeClient();
const s = settings;
// Warm-up: the challenge, the connections, and the JIT for every path; each phase then warms its own.
await client.getKey();
await sequential(client.getKey, s.warmup);
await concurrent(client.getKey, s.warmup, 16);
await sequential(client.createRsaKey, Math.ceil(s.warmup / 2));
await client.list(s.listWarmup);

const result = {
  client: which,
  getKeySequential: await measure(() => sequential(client.getKey, s.getKey), s.getKey),
  getKeyConcurrent16: await measure(() => concurrent(client.getKey, s.getKeyConcurrent, 16), s.getKeyConcurrent),
  createRsaKey: await measure(() => sequential(client.createRsaKey, s.createRsaKey), s.createRsaKey),
  // A listing settles later than a request: both clients' CPU per item keeps falling over the first
  // three or four listings of the 10,000 keys (a page is one call of the page path per 25 items).
  listItem: await measure(() => client.list(Infinity), undefined, 4),
  rssMb: process.memoryUsage().rss / 2 ** 20,
};
process.stdout.write(JSON.stringify(result) + "\n");
process.exit(0);
