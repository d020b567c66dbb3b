// `npm run bench`: this package (built dist/) against @azure/keyvault-keys 4.10.2 and a bare
// node:https floor, on a fixed-answer Key Vault endpoint in its own process. See README.md here.
//
//   node scripts/bench/run.mjs [--quick] [--json] [--rounds N] [--no-build] [--clients ours,official,floor]
//                              [--only network,memory,cold,first,size,crypto] [--extra] [--before <checkout>]
//
// --before: a checkout of another commit with its dist/ built (npm run build there); the crypto part
// then measures it too, interleaved, in a "before" column (local cryptography and the emulator).
//
// Every figure is the median over rounds; the clients run interleaved (A B C A B C ...), each round
// in a fresh child process, and CPU is that process's own (process.cpuUsage, user + system).
import { execFileSync, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeCertificate } from "./cert.mjs";
import { installedSize } from "./size.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const quick = flag("quick");
const json = flag("json");
const rounds = Number(option("rounds", quick ? 3 : 7));
const coldRuns = Number(option("cold-runs", quick ? 9 : 15));
const extra = flag("extra");
const clients = option("clients", extra ? "ours,official,floor,corehttp,corepipeline" : "ours,official,floor").split(
  ",",
);
const only = new Set(option("only", "network,memory,cold,first,size,crypto").split(","));
const before = option("before", undefined);
const settings = quick
  ? { warmup: 300, listWarmup: 2000, getKey: 1000, getKeyConcurrent: 2000, createRsaKey: 500 }
  : { warmup: 500, listWarmup: 3000, getKey: 2000, getKeyConcurrent: 4000, createRsaKey: 1000 };
const log = (...a) => (json ? process.stderr.write(a.join(" ") + "\n") : console.log(...a));

if (!flag("no-build")) {
  log("building dist/ (npm run build) ...");
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
}

const cert = makeCertificate();
const childEnv = { ...process.env, NODE_EXTRA_CA_CERTS: cert.cert, AZURE_LOG_LEVEL: "" };
delete childEnv.AZURE_LOG_LEVEL;
delete childEnv.DEBUG;
delete childEnv.NODE_OPTIONS;
for (const name of ["HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "NO_PROXY", "no_proxy"])
  delete childEnv[name];

function startServer(keys) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(here, "server.mjs"), "--cert", cert.cert, "--key", cert.key, "--keys", String(keys)],
      {
        stdio: ["pipe", "pipe", "inherit"],
        env: childEnv,
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const line = out.split("\n")[0];
      if (out.includes("\n")) resolve({ port: JSON.parse(line).port, stop: () => child.stdin.end() });
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

function runNode(args, options = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: childEnv,
      stdio: ["ignore", "pipe", "inherit"],
      ...options,
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`node ${args.join(" ")} exited with ${code}`));
      else resolve({ result: JSON.parse(out.trim().split("\n").pop()), wallMs });
    });
  });
}

const localCryptoOperations = ["ES256 verify", "ES256 verify (digest)", "RS256 verify", "RSA-OAEP-256 encrypt"];
const emulatorCryptoOperations = ["ES256 sign", "ES256 verify", "RS256 sign", "RS256 verify"];
const ecdsaCurves = ["P-256", "P-384", "P-521", "P-256K"];

const median = (values) => {
  const v = values.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

const report = {
  settings: { rounds, coldRuns, ...settings },
  node: process.version,
  network: {},
  memory: {},
  coldStart: {},
  firstAnswer: {},
  size: {},
  crypto: {},
};

// --- Network: CPU per operation, requests per second, RSS.
if (only.has("network")) {
  const server = await startServer(10000);
  const raw = Object.fromEntries(clients.map((c) => [c, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of clients) {
      const { result } = await runNode([
        "--expose-gc",
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
}

// --- Memory: heap while iterating 100,000 keys.
if (only.has("memory")) {
  const items = quick ? 50000 : 100000;
  const server = await startServer(items);
  for (const c of ["ours", "official"]) {
    const { result } = await runNode([
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
}

// --- Cold start: fresh processes, alternated ours/official, import and require.
if (only.has("cold")) {
  const runs = { ours: { import: [], require: [] }, official: { import: [], require: [] } };
  const spec = { ours: "keyvault-keys", official: "@azure/keyvault-keys" };
  const wall = { ours: { import: [], require: [] }, official: { import: [], require: [] } };
  for (let i = 0; i < coldRuns; i++) {
    for (const mode of ["require", "import"]) {
      for (const c of i % 2 ? ["official", "ours"] : ["ours", "official"]) {
        const script = join(here, mode === "import" ? "coldstart.mjs" : "coldstart.cjs");
        const { result, wallMs } = await runNode([script, spec[c]]);
        runs[c][mode].push(result);
        wall[c][mode].push(wallMs);
      }
    }
  }
  for (const c of ["ours", "official"]) {
    report.coldStart[c] = {};
    for (const mode of ["require", "import"]) {
      report.coldStart[c][mode] = {
        importMs: median(runs[c][mode].map((x) => x.importMs)),
        clientMs: median(runs[c][mode].map((x) => x.clientMs)),
        processMs: median(wall[c][mode]),
      };
    }
  }
  log("cold start done");
}

// --- First answer: process start to the first getKey result, fresh processes, alternated.
if (only.has("first")) {
  const server = await startServer(10);
  const spec = { ours: "keyvault-keys", official: "@azure/keyvault-keys" };
  const runs = { ours: [], official: [] };
  for (let i = 0; i < coldRuns; i++) {
    for (const c of i % 2 ? ["official", "ours"] : ["ours", "official"]) {
      const { result, wallMs } = await runNode([join(here, "firstanswer.cjs"), spec[c], String(server.port)]);
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
}

// --- Installed size.
if (only.has("size")) {
  report.size.ours = installedSize("ours", root);
  report.size.official = installedSize("official", root);
}

// --- Local cryptography, and the emulator's signing.
if (only.has("crypto")) {
  const sides = ["ours", "official", "floor", ...(before ? ["before"] : [])];
  const raw = Object.fromEntries(sides.map((c) => [c, []]));
  const cryptoRounds = Math.max(3, Math.ceil(rounds / 2));
  for (let r = 0; r < cryptoRounds; r++) {
    for (const c of sides) {
      try {
        const { result } = await runNode([join(here, "crypto.mjs"), c, quick ? "1000" : "3000", before ?? ""]);
        raw[c].push(result);
      } catch (e) {
        raw[c].push({ error: String(e.message) });
      }
    }
  }
  for (const c of Object.keys(raw)) {
    report.crypto[c] = {};
    for (const op of localCryptoOperations) {
      const values = raw[c].map((x) => x.ops?.[op]);
      report.crypto[c][op] = values.every((v) => typeof v === "number")
        ? median(values)
        : (raw[c].find((x) => x.ops?.[op] !== undefined && typeof x.ops[op] !== "number")?.ops[op] ??
          raw[c].find((x) => x.error)?.error ??
          "n/a");
    }
  }
  log("local crypto done");
  const emulatorRuns = { ours: [], ...(before ? { before: [] } : {}) };
  for (let r = 0; r < cryptoRounds; r++) {
    for (const c of Object.keys(emulatorRuns)) {
      const args = [join(here, "emulatorCrypto.mjs"), quick ? "2" : "3", ...(c === "before" ? [before] : [])];
      emulatorRuns[c].push((await runNode(args)).result);
    }
  }
  report.emulatorCrypto = {};
  for (const [c, runs] of Object.entries(emulatorRuns)) {
    report.emulatorCrypto[c] = {};
    for (const op of emulatorCryptoOperations) {
      const m = (field) => median(runs.map((x) => x.ops[op][field]));
      report.emulatorCrypto[c][op] = {
        perSecond: m("perSecond"),
        cpuUsPerOp: m("cpuUsPerOp"),
        p99LoopDelayMs: m("p99LoopDelayMs"),
        maxLoopDelayMs: m("maxLoopDelayMs"),
        nodeCryptoPerSecond: m("nodeCryptoPerSecond"),
      };
    }
  }
  log("emulator crypto done");
  const curveRuns = {};
  for (let r = 0; r < cryptoRounds; r++) {
    for (const crv of ecdsaCurves) {
      for (const c of ["ours", ...(before ? ["before"] : [])]) {
        const args = [join(here, "ecdsaCurves.mjs"), crv, ...(c === "before" ? [before] : [])];
        ((curveRuns[c] ??= {})[crv] ??= []).push((await runNode(args)).result);
      }
    }
  }
  report.ecdsaCurves = {};
  for (const [c, byCurve] of Object.entries(curveRuns)) {
    report.ecdsaCurves[c] = {};
    for (const [crv, runs] of Object.entries(byCurve)) {
      report.ecdsaCurves[c][crv] = Object.fromEntries(
        ["firstSignMs", "firstVerifyMs", "signUs", "verifyUs"].map((f) => [f, median(runs.map((x) => x[f]))]),
      );
    }
  }
  log("ECDSA curves done");
}

rmSync(cert.dir, { recursive: true, force: true });

if (json) {
  process.stdout.write(JSON.stringify(report, null, 2) + "\n");
} else {
  printTables(report);
}

function printTables(rep) {
  const fmt = (v, d = 1) => (typeof v === "number" ? v.toFixed(d) : (v ?? "-"));
  const ratio = (a, b) => (typeof a === "number" && typeof b === "number" && b > 0 ? `${(a / b).toFixed(2)}x` : "-");
  const table = (title, headers, rows) => {
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    const line = (cells) =>
      "| " +
      cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(" | ") +
      " |";
    console.log(`\n${title}\n`);
    console.log(line(headers));
    console.log("| " + widths.map((w, i) => (i === 0 ? "-".repeat(w) : "-".repeat(w - 1) + ":")).join(" | ") + " |");
    for (const r of rows) console.log(line(r));
  };
  const rows = [];
  const n = rep.network;
  if (n.ours) {
    const extraCols = clients.filter((c) => !["ours", "official", "floor"].includes(c));
    const add = (label, field, d = 1) =>
      rows.push([
        label,
        fmt(n.ours[field], d),
        fmt(n.official?.[field], d),
        fmt(n.floor?.[field], d),
        ratio(n.ours[field], n.official?.[field]),
        ratio(n.ours[field], n.floor?.[field]),
        ...extraCols.map((c) => fmt(n[c]?.[field], d)),
      ]);
    add("CPU us per getKey (sequential)", "getKeyCpuUs");
    add("CPU us per getKey (16 concurrent)", "getKeyConcurrentCpuUs");
    add("CPU us per createRsaKey", "createRsaKeyCpuUs");
    add("CPU us per listed item", "listItemCpuUs", 2);
    add("getKey per second (sequential)", "getKeyPerSecond", 0);
    add("getKey per second (16 concurrent)", "getKeyConcurrentPerSecond", 0);
    add("listed items per second", "listItemsPerSecond", 0);
    add("RSS after the run (MB)", "rssMb");
    var extraHeaders = extraCols;
  }
  const c = rep.coldStart;
  if (c.ours) {
    for (const mode of ["require", "import"]) {
      rows.push([
        `cold start, ${mode} (ms)`,
        fmt(c.ours[mode].importMs),
        fmt(c.official[mode].importMs),
        "-",
        ratio(c.ours[mode].importMs, c.official[mode].importMs),
        "-",
      ]);
      rows.push([
        `cold start, ${mode} + new KeyClient (ms)`,
        fmt(c.ours[mode].clientMs),
        fmt(c.official[mode].clientMs),
        "-",
        ratio(c.ours[mode].clientMs, c.official[mode].clientMs),
        "-",
      ]);
      rows.push([
        `  whole process, ${mode} (ms)`,
        fmt(c.ours[mode].processMs),
        fmt(c.official[mode].processMs),
        "-",
        ratio(c.ours[mode].processMs, c.official[mode].processMs),
        "-",
      ]);
    }
  }
  const f = rep.firstAnswer;
  if (f.ours) {
    for (const [label, field] of [
      ["first getKey answer, from require (ms)", "scriptMs"],
      ["first getKey answer, from process start (ms)", "processMs"],
      ["  whole process, to exit (ms)", "wallMs"],
    ]) {
      rows.push([label, fmt(f.ours[field]), fmt(f.official[field]), "-", ratio(f.ours[field], f.official[field]), "-"]);
    }
  }
  const s = rep.size;
  if (s.ours) {
    const kb = (b) => (b / 1024).toFixed(0);
    rows.push([
      "installed size, package (KB)",
      kb(s.ours.packageBytes),
      kb(s.official.packageBytes),
      "-",
      ratio(s.ours.packageBytes, s.official.packageBytes),
      "-",
    ]);
    rows.push([
      `installed size, with runtime deps (KB)`,
      kb(s.ours.totalBytes),
      kb(s.official.totalBytes),
      "-",
      ratio(s.ours.totalBytes, s.official.totalBytes),
      "-",
    ]);
    rows.push(["runtime dependencies (packages)", s.ours.dependencies, s.official.dependencies, "-", "-", "-"]);
  }
  const m = rep.memory;
  if (m.ours) {
    rows.push([
      `heap growth iterating ${m.ours.items} keys (MB)`,
      fmt(m.ours.growthMb, 2),
      fmt(m.official?.growthMb, 2),
      "-",
      "-",
      "-",
    ]);
  }
  if (rows.length) {
    table(
      `keyvault-keys vs @azure/keyvault-keys 4.10.2 vs bare node:https (medians of ${rounds} interleaved rounds; cold start: ${coldRuns} runs each; Node ${process.version})`,
      ["figure", "ours", "official", "floor", "ours/official", "ours/floor", ...(extraHeaders ?? [])],
      rows.map((r) => [...r, ...Array((extraHeaders?.length ?? 0) + 6 - r.length).fill("-")]),
    );
  }
  const k = rep.crypto;
  if (k.ours) {
    const beforeColumns = k.before ? ["before", "ours/before"] : [];
    table(
      "Local cryptography, CPU us per operation (public key material, no network)",
      ["operation", "ours", "official", "node:crypto", "ours/official", "ours/node:crypto", ...beforeColumns],
      localCryptoOperations.map((op) => [
        op,
        fmt(k.ours[op]),
        fmt(k.official[op]),
        fmt(k.floor[op]),
        ratio(k.ours[op], k.official[op]),
        ratio(k.ours[op], k.floor[op]),
        ...(k.before ? [fmt(k.before[op]), ratio(k.ours[op], k.before[op])] : []),
      ]),
    );
  }
  const e = rep.emulatorCrypto;
  if (e?.ours) {
    const rows = [];
    for (const op of emulatorCryptoOperations) {
      const ours = e.ours[op];
      const was = e.before?.[op];
      rows.push([
        op,
        fmt(ours.perSecond, 0),
        fmt(ours.cpuUsPerOp, 0),
        fmt(ours.p99LoopDelayMs, 1),
        fmt(ours.maxLoopDelayMs, 1),
        fmt(ours.nodeCryptoPerSecond, 0),
        ratio(ours.perSecond, ours.nodeCryptoPerSecond),
        ...(was ? [fmt(was.perSecond, 0), fmt(was.maxLoopDelayMs, 1), ratio(ours.perSecond, was.perSecond)] : []),
      ]);
    }
    table(
      "The emulator in-process: requests per second with 16 concurrent callers over http, CPU us per request, event-loop stalls (ms: 99th percentile and longest); node:crypto signing the data in a loop for scale",
      [
        "operation",
        "per second",
        "CPU us",
        "p99 stall ms",
        "max stall ms",
        "node:crypto per second",
        "ours/node:crypto",
        ...(e.before ? ["before: per second", "before: max stall ms", "ours/before"] : []),
      ],
      rows,
    );
  }
  const curves = rep.ecdsaCurves;
  if (curves?.ours) {
    const b = curves.before;
    table(
      "ECDSA over a digest, local-only client: first call in a fresh process (ms), then us per call",
      [
        "curve",
        "first sign ms",
        "first verify ms",
        "sign us",
        "verify us",
        ...(b ? ["before: first sign ms", "before: first verify ms", "before: sign us", "before: verify us"] : []),
      ],
      ecdsaCurves.map((crv) => {
        const o = curves.ours[crv];
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
  }
}
