// One phase of `npm run bench:store`, in its own process, against the built emulator (dist/):
//   node store-child.mjs measure <dataDir> <keys> <json settings>   fill a fresh dataDir with <keys> EC keys,
//                                                                    then time creates, reads and full listings
//   node store-child.mjs load <dataDir>                              time startEmulator() on an existing dataDir
// Prints one JSON line. Only the public API and the REST protocol are used, so that any version of the
// emulator (whatever its files look like) can be measured the same way.
import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { startEmulator } = require(join(root, "dist", "cjs", "emulator", "index.js"));
const [mode, dataDir, keysText, settingsText] = process.argv.slice(2);

function client(url, token) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const base = new URL(url);
  const send = (method, path, body) =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      if (data !== undefined) headers["content-length"] = String(Buffer.byteLength(data));
      const target = `${path}${path.includes("?") ? "&" : "?"}api-version=7.6`;
      const outgoing = request(
        { agent, host: base.hostname, port: base.port, method, path: target, headers },
        (response) => {
          const chunks = [];
          response.on("data", (chunk) => chunks.push(chunk));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if (response.statusCode !== 200 && response.statusCode !== 204)
              reject(new Error(`${method} ${path}: ${response.statusCode} ${text.slice(0, 200)}`));
            else resolve(text ? JSON.parse(text) : undefined);
          });
          response.on("error", reject);
        },
      );
      outgoing.on("error", reject);
      outgoing.end(data);
    });
  return { send, close: () => agent.destroy() };
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
};

async function timed(count, operation) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await operation(i);
    times.push(performance.now() - t0);
  }
  return { p50: percentile(times, 0.5), p90: percentile(times, 0.9) };
}

async function listAll(api) {
  let path = "/keys?maxresults=25";
  let items = 0;
  while (path) {
    const page = await api.send("GET", path);
    items += page.value.length;
    path = page.nextLink ? new URL(page.nextLink).pathname + new URL(page.nextLink).search : undefined;
  }
  return items;
}

async function measure() {
  const keys = Number(keysText);
  const settings = JSON.parse(settingsText);
  const emulator = await startEmulator({ https: false, dataDir });
  const api = client(emulator.url, emulator.createToken());
  try {
    const fillStart = performance.now();
    let next = 0;
    const filler = async () => {
      while (next < keys) {
        const i = next++;
        await api.send("POST", `/keys/k${String(i).padStart(6, "0")}/create`, { kty: "EC", crv: "P-256" });
      }
    };
    await Promise.all(Array.from({ length: settings.fillConcurrency }, filler));
    const fillMs = performance.now() - fillStart;
    const create = await timed(settings.creates, (i) =>
      api.send("POST", `/keys/probe${String(i).padStart(4, "0")}/create`, { kty: "EC", crv: "P-256" }),
    );
    const get = await timed(settings.reads, (i) => api.send("GET", `/keys/k${String(i % keys).padStart(6, "0")}`));
    const remove = await timed(settings.deletes, (i) => api.send("DELETE", `/keys/probe${String(i).padStart(4, "0")}`));
    const getDeleted = await timed(settings.reads, (i) =>
      api.send("GET", `/deletedkeys/probe${String(i % settings.deletes).padStart(4, "0")}`),
    );
    const listings = [];
    let listed = 0;
    for (let round = 0; round < settings.listings; round++) {
      const t0 = performance.now();
      listed = await listAll(api);
      listings.push(performance.now() - t0);
    }
    const listMs = percentile(listings, 0.5);
    return {
      keys,
      fillMs,
      createP50Ms: create.p50,
      createP90Ms: create.p90,
      getP50Ms: get.p50,
      deleteP50Ms: remove.p50,
      getDeletedP50Ms: getDeleted.p50,
      listed,
      listMs,
      listPerItemUs: (listMs * 1000) / listed,
      rssMb: process.memoryUsage().rss / 1048576,
    };
  } finally {
    api.close();
    await emulator.close();
  }
}

async function load() {
  const t0 = performance.now();
  const emulator = await startEmulator({ https: false, dataDir });
  const loadMs = performance.now() - t0;
  await emulator.close();
  return { loadMs, rssMb: process.memoryUsage().rss / 1048576 };
}

const result = mode === "measure" ? await measure() : await load();
process.stdout.write(JSON.stringify(result) + "\n");
