// The emulator's signing throughput, in-process: ES256 and RS256 sign and verify over plain http
// with 16 concurrent callers (node:http keep-alive), and the longest event-loop stall while they run
// (perf_hooks.monitorEventLoopDelay, the emulator and the callers share the loop, as in a test suite).
// Also bare node:crypto signing and verifying the same-sized data in one loop, for scale: node:crypto
// cannot sign or verify a digest, so it is not the same operation, only the floor of the arithmetic.
// Prints one JSON line. Usage: node emulatorCrypto.mjs [seconds-per-phase=3] [package-root=this package]
// (another root, e.g. a checkout of an older commit with its dist/ built, measures that one instead).
import { createHash, generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import { monitorEventLoopDelay } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const seconds = Number(process.argv[2] ?? "3");
const packageRoot = process.argv[3];
const concurrency = 16;
const { startEmulator } = require(packageRoot ? `${packageRoot}/dist/cjs/emulator/index.js` : "keyvault-keys/emulator");
const emulator = await startEmulator({ port: 0, https: false });
const token = emulator.createToken();
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const url = new URL(emulator.url);

function post(path, body) {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${path}?api-version=7.6`,
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(data),
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200) reject(new Error(`${path}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text));
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

async function phase(run) {
  // Warm-up, unmeasured: the first calls load modules and V8 optimizes the path (on its compiler
  // thread, whose CPU process.cpuUsage counts); the figures are the steady state.
  await run();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < 50; i++) await run();
    }),
  );
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let done = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const end = Number(t0) + seconds * 1e9;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Number(process.hrtime.bigint()) < end) {
        await run();
        done++;
      }
    }),
  );
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  histogram.disable();
  return {
    perSecond: done / wall,
    cpuUsPerOp: (cpu.user + cpu.system) / done,
    p99LoopDelayMs: histogram.percentile(99) / 1e6,
    maxLoopDelayMs: histogram.max / 1e6,
  };
}

const data = randomBytes(256);
const digest = createHash("sha256").update(data).digest().toString("base64url");
const result = {};
for (const [kty, body, alg] of [
  ["EC", { kty: "EC", crv: "P-256" }, "ES256"],
  ["RSA", { kty: "RSA", key_size: 2048 }, "RS256"],
]) {
  const created = await post(`/keys/bench-${kty.toLowerCase()}/create`, body);
  const path = new URL(created.key.kid).pathname;
  const { value: signature } = await post(`${path}/sign`, { alg, value: digest });
  result[`${alg} sign`] = await phase(() => post(`${path}/sign`, { alg, value: digest }));
  result[`${alg} verify`] = await phase(async () => {
    const { value } = await post(`${path}/verify`, { alg, digest, value: signature });
    if (value !== true) throw new Error("the emulator's own signature did not verify");
  });
}
await emulator.close();
agent.destroy();

// The floor: node:crypto in one loop (data, not a digest), same key types.
for (const [alg, type, options, hash, extra] of [
  ["ES256", "ec", { namedCurve: "P-256" }, "sha256", { dsaEncoding: "ieee-p1363" }],
  ["RS256", "rsa", { modulusLength: 2048 }, "sha256", {}],
]) {
  const pair = generateKeyPairSync(type, options);
  const { privateKey, publicKey } = pair;
  const signature = sign(hash, data, { key: privateKey, ...extra });
  const time = (fn) => {
    for (let i = 0; i < 200; i++) fn();
    const t0 = process.hrtime.bigint();
    let n = 0;
    while (Number(process.hrtime.bigint() - t0) < seconds * 1e9) {
      fn();
      n++;
    }
    return n / (Number(process.hrtime.bigint() - t0) / 1e9);
  };
  result[`${alg} sign`].nodeCryptoPerSecond = time(() => sign(hash, data, { key: privateKey, ...extra }));
  result[`${alg} verify`].nodeCryptoPerSecond = time(() => verify(hash, data, { key: publicKey, ...extra }, signature));
}
process.stdout.write(JSON.stringify({ ops: result }) + "\n");
