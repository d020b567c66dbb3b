// `npm run check:package`: checks the package as users get it. Packs the built dist/ (run
// `npm run build` first, or pass --build), then:
//   1. the tarball holds only what users need (dist .js/.d.ts/.mjs/.d.mts, README, CHANGELOG, LICENSE,
//      package.json): no source maps, no tests, no sources, and every file package.json points at;
//   2. publint (strict) and @arethetypeswrong/cli (node10, node16 from CJS and ESM, bundler) find no problem;
//   3. installed into a fresh folder (`npm init -y` + `npm install <tarball> --prefer-offline`, so the
//      dependencies come from the local npm cache when they are there):
//      require() and import give the same classes, TypeScript resolves the types from CJS, ESM and a
//      bundler, `import("keyvault-keys/emulator")` starts an emulator that a KeyClient of the package
//      talks to, and `npx keyvault-keys-emulator --port 0 --http` starts and stops on SIGTERM.
// Options: --build (run `npm run build` first), --keep (leave the temporary folder for inspection).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const args = new Set(process.argv.slice(2));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const npx = process.platform === "win32" ? "npx.cmd" : "npx";
const started = Date.now();
const failures = [];

function step(title) {
  console.log(`\n== ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
function check(condition, message) {
  console.log(`  ${condition ? "ok  " : "FAIL"} ${message}`);
  if (!condition) failures.push(message);
}
function show(text) {
  if (text.trim()) process.stdout.write(text.replace(/\s+$/, "").replace(/^/gm, "  | ") + "\n");
}
function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  return result;
}
function mustRun(command, commandArgs, options = {}) {
  const result = run(command, commandArgs, options);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${commandArgs.join(" ")} exited with ${result.status}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

/** Pids of the live (not zombie) processes of a process group; reads /proc, so Linux only (elsewhere: none). */
function liveGroupMembers(pgid) {
  if (!existsSync("/proc/self/stat")) return [];
  const members = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z" && state !== "X") members.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return members;
}

/**
 * Starts the emulator CLI, waits for its URL, asks it once without a token, then sends SIGTERM: to the
 * whole process group when `group` (what a terminal's Ctrl+C or `kill -TERM -<pgid>` does), else to the pid.
 */
function runCli(command, commandArgs, cwd, group) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd, stdio: ["ignore", "pipe", "pipe"], detached: group });
    let output = "";
    let url;
    const signal = (name) => {
      try {
        if (group) process.kill(-child.pid, name);
        else child.kill(name);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      output += "timed out after 30 s; killing\n";
      signal("SIGKILL");
    }, 30_000);
    child.stdout.on("data", async (chunk) => {
      output += chunk;
      const match = /listening at (\S+)/.exec(output);
      if (match && !url) {
        url = match[1];
        try {
          const response = await fetch(`${url}/keys?api-version=7.6`, { headers: { connection: "close" } });
          output += `GET /keys without a token: ${response.status} ${response.headers.get("www-authenticate")}\n`;
        } catch (error) {
          output += `request failed: ${error}\n`;
        }
        signal("SIGTERM");
      }
    });
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", async (code, exitSignal) => {
      clearTimeout(timer);
      // Wait up to 5 s for the rest of the group (the emulator under npx) to stop too.
      let leftover = group;
      for (let attempt = 0; group && leftover && attempt < 50; attempt++) {
        await new Promise((done) => setTimeout(done, 100));
        leftover = liveGroupMembers(child.pid).length > 0;
      }
      if (leftover) signal("SIGKILL");
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ code, signal: exitSignal, output, url, leftover });
    });
  });
}

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const work = mkdtempSync(join(tmpdir(), "keyvault-keys-package-"));

try {
  if (args.has("--build")) {
    step("npm run build");
    mustRun(npm, ["run", "build"], { cwd: root, stdio: "inherit" });
  }
  if (!existsSync(join(root, "dist/cjs/index.js")) || !existsSync(join(root, "dist/esm/index.mjs"))) {
    throw new Error("dist/ is missing: run `npm run build` first (or pass --build)");
  }

  step("npm pack");
  const packed = JSON.parse(
    mustRun(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: root }).stdout,
  )[0];
  const tarball = join(work, packed.filename);
  const files = packed.files.map((file) => file.path).sort();
  console.log(
    `  ${packed.filename}: ${files.length} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`,
  );

  step("tarball contents");
  const allowed = [
    /^package\.json$/,
    /^README\.md$/,
    /^CHANGELOG\.md$/,
    /^LICENSE$/,
    /^dist\/cjs\/package\.json$/,
    /^dist\/cjs\/.+\.(js|d\.ts)$/,
    /^dist\/esm\/.+\.(mjs|d\.mts)$/,
  ];
  const unexpected = files.filter((file) => !allowed.some((pattern) => pattern.test(file)));
  check(
    unexpected.length === 0,
    `only dist, README, CHANGELOG, LICENSE and package.json${unexpected.length ? `; unexpected: ${unexpected.join(", ")}` : ""}`,
  );
  check(!files.some((file) => file.endsWith(".map")), "no source maps (.js.map/.d.ts.map)");
  check(
    !files.some((file) => /(^|\/)(test|tests|__tests__|samples|src|scripts)\//.test(file) || /\.test\./.test(file)),
    "no tests, samples, sources or scripts",
  );
  const referenced = new Set([pkg.main, pkg.types, ...Object.values(pkg.bin ?? {})]);
  const collect = (value) => {
    if (typeof value === "string") referenced.add(value);
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
  };
  collect(pkg.exports);
  for (const mapping of Object.values(pkg.typesVersions ?? {})) Object.values(mapping).flat().forEach(collect);
  for (const target of referenced) {
    if (target) check(files.includes(target.replace(/^\.\//, "")), `ships ${target}`);
  }
  check(pkg.sideEffects === false, `package.json "sideEffects": false`);
  const bin = Object.values(pkg.bin ?? {})[0];
  check(
    Boolean(bin) && readFileSync(join(root, bin), "utf8").startsWith("#!/usr/bin/env node"),
    `${bin} starts with a node shebang`,
  );

  step("publint --strict");
  const publint = run(npx, ["--no-install", "publint", "run", tarball, "--strict"], { cwd: root });
  show(publint.stdout + publint.stderr);
  check(publint.status === 0, "publint reports no problem");

  step("attw (arethetypeswrong)");
  const attw = run(npx, ["--no-install", "attw", tarball, "--format", "table-flipped", "--no-color", "--no-emoji"], {
    cwd: root,
  });
  show(attw.stdout + attw.stderr);
  check(attw.status === 0, "attw reports no problem (node10, node16 from CJS and from ESM, bundler)");

  step("install the tarball into a fresh project");
  const app = join(work, "app");
  mkdirSync(app);
  mustRun(npm, ["init", "-y"], { cwd: app });
  const install = run(npm, ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: app,
  });
  show(install.stdout + install.stderr);
  check(install.status === 0, "npm install <tarball> --prefer-offline");
  if (install.status !== 0) throw new Error("install failed");

  step("require() from CommonJS");
  const cjs = run(
    process.execPath,
    [
      "-e",
      `const keys = require("keyvault-keys");
       const emulator = require("keyvault-keys/emulator");
       const missing = ["KeyClient", "CryptographyClient", "KeyVaultKey", "parseKeyVaultKeyIdentifier", "KnownKeyTypes"].filter((n) => !keys[n]);
       if (missing.length) throw new Error("missing exports: " + missing);
       if (typeof emulator.startEmulator !== "function") throw new Error("no startEmulator");
       console.log("version", require("keyvault-keys/package.json").version, "exports", Object.keys(keys).length);`,
    ],
    { cwd: app },
  );
  show(cjs.stdout + cjs.stderr);
  check(
    cjs.status === 0,
    `require("keyvault-keys"), require("keyvault-keys/emulator"), require("keyvault-keys/package.json")`,
  );

  step("import from ESM: the same classes as require(); the emulator subpath");
  writeFileSync(
    join(app, "esm-check.mjs"),
    `import { createRequire } from "node:module";
import { KeyClient, KeyVaultKey } from "keyvault-keys";
import * as keys from "keyvault-keys";
const require = createRequire(import.meta.url);
if (KeyClient !== require("keyvault-keys").KeyClient) throw new Error("import and require give different KeyClient classes");
const cjsNames = Object.keys(require("keyvault-keys")).filter((n) => n !== "__esModule").sort().join();
if (Object.keys(keys).sort().join() !== cjsNames) throw new Error("the ESM entry does not re-export every CommonJS export");
const { startEmulator } = await import("keyvault-keys/emulator");
for (const https of [true, false]) {
  const emulator = await startEmulator({ port: 0, https });
  const client = new KeyClient(emulator.url, emulator.credential, {
    disableChallengeResourceVerification: true,
    ...(https ? { tlsOptions: { ca: emulator.certificate } } : { allowInsecureConnection: true }),
  });
  const key = await client.createEcKey("packaged", { curve: "P-256" });
  if (!(key instanceof KeyVaultKey) || key.keyType !== "EC") throw new Error("unexpected key " + JSON.stringify(key));
  const data = new TextEncoder().encode("hello");
  const crypto = client.getCryptographyClient("packaged");
  const signed = await crypto.signData("ES256", data);
  const verified = await crypto.verifyData("ES256", data, signed.result);
  if (!verified.result) throw new Error("the signature did not verify");
  await emulator.close();
  console.log("emulator over", https ? "https" : "http", "ok:", emulator.url);
}
`,
  );
  const esm = run(process.execPath, ["esm-check.mjs"], { cwd: app, timeout: 60_000 });
  show(esm.stdout + esm.stderr);
  check(
    esm.status === 0,
    `import "keyvault-keys"; import("keyvault-keys/emulator"): start, create, sign/verify, close`,
  );

  step("TypeScript consumers (node16 ESM, node16 CommonJS, bundler)");
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  const consumer = `import { KeyClient, type KeyVaultKey, type CreateKeyOptions } from "keyvault-keys";
import { startEmulator, type RunningEmulator } from "keyvault-keys/emulator";
export async function demo(): Promise<KeyVaultKey> {
  const emulator: RunningEmulator = await startEmulator({ https: false });
  const options: CreateKeyOptions = { tags: { a: "b" } };
  const client = new KeyClient(emulator.url, emulator.credential, { allowInsecureConnection: true });
  return client.createRsaKey("k", options);
}
`;
  for (const [name, module, moduleResolution, extension] of [
    ["esm", "Node16", "Node16", "mts"],
    ["cjs", "Node16", "Node16", "cts"],
    ["bundler", "ESNext", "Bundler", "ts"],
  ]) {
    writeFileSync(join(app, `consumer-${name}.${extension}`), consumer);
    writeFileSync(
      join(app, `tsconfig.${name}.json`),
      JSON.stringify({
        compilerOptions: {
          module,
          moduleResolution,
          target: "ES2022",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ["node"],
          typeRoots: [join(root, "node_modules/@types")],
        },
        files: [`consumer-${name}.${extension}`],
      }),
    );
    const result = run(process.execPath, [tsc, "-p", `tsconfig.${name}.json`], { cwd: app });
    show(result.stdout + result.stderr);
    check(
      result.status === 0,
      `tsc (module ${module}, moduleResolution ${moduleResolution}, skipLibCheck false) accepts a .${extension} consumer`,
    );
  }

  // npx runs the bin through `sh -c`, and npm forwards SIGTERM to that shell only, which does not pass it
  // on: a SIGTERM to the npx pid alone orphans the emulator. A terminal (Ctrl+C) or `kill -TERM -<pgid>`
  // signals the whole process group, which is what the first run does; the bin run directly gets it alone.
  for (const [label, command, commandArgs, group] of [
    [
      "npx keyvault-keys-emulator --port 0 --http; SIGTERM to its process group",
      npx,
      ["--no-install", "keyvault-keys-emulator"],
      true,
    ],
    [
      "node_modules/.bin/keyvault-keys-emulator --port 0 --http; SIGTERM to its pid",
      join(app, "node_modules/.bin/keyvault-keys-emulator"),
      [],
      false,
    ],
  ]) {
    step(label);
    const cli = await runCli(command, [...commandArgs, "--port", "0", "--http"], app, group);
    show(cli.output.replace(/KEYVAULT_EMULATOR_TOKEN=\S+/, "KEYVAULT_EMULATOR_TOKEN=<token>"));
    check(Boolean(cli.url?.startsWith("http://127.0.0.1:")), "prints its http URL");
    check(/GET \/keys without a token: 401 Bearer/.test(cli.output), "answers with the 401 challenge");
    check(/Received SIGTERM; stopping\./.test(cli.output), "stops on SIGTERM");
    if (!group) check(cli.code === 0, `exits with code 0 (got ${cli.code ?? cli.signal})`);
    check(!cli.leftover, "leaves no process behind");
  }
} catch (error) {
  failures.push(String(error?.stack ?? error));
  console.error(error);
} finally {
  if (args.has("--keep")) console.log(`\nkept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`\n${failures.length === 0 ? "package OK" : `${failures.length} problem(s)`} in ${seconds} s`);
for (const failure of failures) console.log(`  - ${failure}`);
if (failures.length) process.exitCode = 1;
