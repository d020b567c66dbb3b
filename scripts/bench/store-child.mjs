// One phase of `npm run bench:store`, in its own process, against the built emulator (dist/):
//   node store-child.mjs measure '<json [{ dataDir, keys }]>' '<json settings>'
//       fills each fresh dataDir with its number of EC keys (one emulator each, in this process), then
//       times creates, reads, deletes, getDeletedKey calls and full listings, alternating between the
//       emulators operation by operation, so that the load of a shared machine falls on every size alike
//   node store-child.mjs load <dataDir>   times startEmulator() on an existing dataDir
// Prints one JSON line. Only the public API and the REST protocol are used, so that any version of the
// emulator (whatever its files look like) can be measured the same way.
import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { startEmulator } = require(join(root, "dist", "cjs", "emulator", "index.js"));
const [mode, targetsText, settingsText] = process.argv.slice(2);

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

const keyName = (i) => `k${String(i).padStart(6, "0")}`;
const probeName = (i) => `probe${String(i).padStart(4, "0")}`;

async function fill(api, keys, concurrency) {
  let next = 0;
  const filler = async () => {
    while (next < keys) await api.send("POST", `/keys/${keyName(next++)}/create`, { kty: "EC", crv: "P-256" });
  };
  await Promise.all(Array.from({ length: concurrency }, filler));
}

/** Runs `operation(vault, i)` `count` times on each vault, alternating; returns each vault's times. */
async function alternating(vaults, count, operation) {
  const times = vaults.map(() => []);
  for (let i = 0; i < count; i++) {
    for (const [index, vault] of vaults.entries()) {
      const t0 = performance.now();
      await operation(vault, i);
      times[index].push(performance.now() - t0);
    }
  }
  return times;
}

async function measure() {
  const targets = JSON.parse(targetsText);
  const settings = JSON.parse(settingsText);
  const vaults = [];
  try {
    for (const { dataDir, keys } of targets) {
      // instant: the deletion windows would make the getDeletedKey figures those of 404s.
      const emulator = await startEmulator({ https: false, dataDir, instant: true });
      const api = client(emulator.url, emulator.createToken());
      vaults.push({ emulator, api, keys });
      const t0 = performance.now();
      await fill(api, keys, settings.fillConcurrency);
      vaults[vaults.length - 1].fillMs = performance.now() - t0;
    }
    const create = await alternating(vaults, settings.creates, ({ api }, i) =>
      api.send("POST", `/keys/${probeName(i)}/create`, { kty: "EC", crv: "P-256" }),
    );
    const get = await alternating(vaults, settings.reads, ({ api, keys }, i) =>
      api.send("GET", `/keys/${keyName(i % keys)}`),
    );
    const remove = await alternating(vaults, settings.deletes, ({ api }, i) =>
      api.send("DELETE", `/keys/${probeName(i)}`),
    );
    const getDeleted = await alternating(vaults, settings.reads, ({ api }, i) =>
      api.send("GET", `/deletedkeys/${probeName(i % settings.deletes)}`),
    );
    const listed = vaults.map(() => 0);
    const listings = await alternating(vaults, settings.listings, async ({ api }, round) => {
      const count = await listAll(api);
      if (round === 0) listed[vaults.findIndex((vault) => vault.api === api)] = count;
    });
    return vaults.map(({ keys, fillMs }, index) => {
      const listMs = percentile(listings[index], 0.5);
      return {
        keys,
        fillMs,
        createP50Ms: percentile(create[index], 0.5),
        createP90Ms: percentile(create[index], 0.9),
        getP50Ms: percentile(get[index], 0.5),
        deleteP50Ms: percentile(remove[index], 0.5),
        getDeletedP50Ms: percentile(getDeleted[index], 0.5),
        listed: listed[index],
        listMs,
        listPerItemUs: (listMs * 1000) / listed[index],
      };
    });
  } finally {
    for (const { api, emulator } of vaults) {
      api.close();
      await emulator.close();
    }
  }
}

async function load() {
  const t0 = performance.now();
  const emulator = await startEmulator({ https: false, dataDir: targetsText });
  const loadMs = performance.now() - t0;
  await emulator.close();
  return { loadMs };
}

const result = mode === "measure" ? await measure() : await load();
process.stdout.write(JSON.stringify(result) + "\n");
