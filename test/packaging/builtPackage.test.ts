/**
 * The built package (dist/) as its users get it: `require` and `import` give the very same classes,
 * `keyvault-keys/emulator` works both ways, the main entry loads no emulator code, and the
 * `keyvault-keys-emulator` bin starts and stops on SIGTERM. Everything runs in fresh `node`
 * processes resolving the package by its own name (self-reference through `exports`).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import * as http from "node:http";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as {
  name: string;
  bin: Record<string, string>;
  exports: Record<
    string,
    { import?: { types: string; default: string }; require?: { types: string; default: string } } | string
  >;
};
const children: ChildProcess[] = [];

function distTargets(): string[] {
  const targets: string[] = Object.values(pkg.bin);
  for (const entry of Object.values(pkg.exports)) {
    if (typeof entry === "string") continue;
    for (const condition of [entry.import, entry.require])
      if (condition) targets.push(condition.types, condition.default);
  }
  return targets.filter((target) => target.startsWith("./dist/"));
}

beforeAll(async () => {
  // The test command builds first; build here only when dist/ is missing or incomplete.
  if (!distTargets().every((target) => existsSync(root + target))) {
    await run("npm", ["run", "build"], { cwd: root, timeout: 120_000 });
  }
}, 150_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** Runs an ES module script in a fresh node, from the repository root, and parses its last output line as JSON. */
async function node(script: string, args: string[] = ["--input-type=module"]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [...args, "-e", script], { cwd: root, timeout: 60_000 });
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!);
}

describe("package layout", () => {
  it("every file that exports and bin name exists; the bin is executable with a node shebang", () => {
    for (const target of distTargets()) expect(existsSync(root + target), target).toBe(true);
    const bin = root + pkg.bin["keyvault-keys-emulator"]!;
    expect(pkg.bin["keyvault-keys-emulator"]).toBe("./dist/cjs/emulator/cli.js");
    expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });
});

describe("dual entry points", () => {
  it('require("keyvault-keys") and import("keyvault-keys") give the SAME classes', async () => {
    const result = await node(`
      import { createRequire } from "node:module";
      const require = createRequire(process.cwd() + "/package.json");
      const cjs = require("keyvault-keys");
      const esm = await import("keyvault-keys");
      const names = Object.keys(cjs).filter((n) => n !== "__esModule" && n !== "default").sort();
      const esmNames = Object.keys(esm).filter((n) => n !== "default").sort();
      console.log(JSON.stringify({
        names, esmNames,
        different: names.filter((n) => cjs[n] !== esm[n]),
        keyClient: typeof esm.KeyClient,
        sameKeyClient: cjs.KeyClient === esm.KeyClient,
        sameCryptographyClient: cjs.CryptographyClient === esm.CryptographyClient,
        resolved: require.resolve("keyvault-keys"),
        instance: new esm.KeyClient("https://x.vault.azure.net", { getToken: async () => null }) instanceof cjs.KeyClient,
      }));
    `);
    const r = result as Record<string, unknown>;
    expect(r["keyClient"]).toBe("function");
    expect(r["sameKeyClient"]).toBe(true);
    expect(r["sameCryptographyClient"]).toBe(true);
    expect(r["instance"]).toBe(true);
    expect(r["different"]).toEqual([]);
    expect(r["esmNames"]).toEqual(r["names"]);
    expect(r["names"]).toEqual(
      expect.arrayContaining([
        "KeyClient",
        "CryptographyClient",
        "KeyVaultKey",
        "parseKeyVaultKeyIdentifier",
        "KnownKeyTypes",
      ]),
    );
    expect(r["resolved"]).toBe(`${root}dist/cjs/index.js`);
  });

  it('"keyvault-keys/emulator" works through require and import, with clients of either', async () => {
    const result = await node(`
      import { createRequire } from "node:module";
      import { Agent } from "node:https";
      const require = createRequire(process.cwd() + "/package.json");
      const cjsEmulator = require("keyvault-keys/emulator");
      const esmEmulator = await import("keyvault-keys/emulator");
      const cjs = require("keyvault-keys");
      const esm = await import("keyvault-keys");
      const out = { same: cjsEmulator.startEmulator === esmEmulator.startEmulator, keys: [] };
      for (const [label, start, Client] of [["cjs", cjsEmulator.startEmulator, esm.KeyClient], ["esm", esmEmulator.startEmulator, cjs.KeyClient]]) {
        const emulator = await start({ port: 0 });
        const agent = new Agent({ ca: emulator.certificate, keepAlive: true });
        try {
          const client = new Client(emulator.url, emulator.credential, { agent, disableChallengeResourceVerification: true });
          const key = await client.createEcKey(label + "-key", { curve: "P-256" });
          const crypto = client.getCryptographyClient(key.name);
          const signed = await crypto.sign("ES256", Buffer.alloc(32, 1));
          const verified = await crypto.verify("ES256", Buffer.alloc(32, 1), signed.result);
          out.keys.push({ label, name: key.name, kty: key.keyType, https: emulator.url.startsWith("https://127.0.0.1:"), verified: verified.result });
        } finally {
          agent.destroy();
          await emulator.close();
        }
      }
      console.log(JSON.stringify(out));
    `);
    expect(result).toEqual({
      same: true,
      keys: [
        { label: "cjs", name: "cjs-key", kty: "EC", https: true, verified: true },
        { label: "esm", name: "esm-key", kty: "EC", https: true, verified: true },
      ],
    });
  });

  it("importing the main entry loads no emulator module (require and import)", async () => {
    const fromRequire = await node(
      `require("keyvault-keys"); console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes("/emulator/"))));`,
      [],
    );
    expect(fromRequire).toEqual([]);
    const fromImport = await node(`
      import { createRequire } from "node:module";
      await import("keyvault-keys");
      const require = createRequire(process.cwd() + "/package.json");
      const loaded = Object.keys(require.cache);
      console.log(JSON.stringify({ emulator: loaded.filter((k) => k.includes("/emulator/")), index: loaded.some((k) => k.endsWith("/dist/cjs/index.js")) }));
    `);
    expect(fromImport).toEqual({ emulator: [], index: true });
    // And the emulator entry does load it (the check above can see emulator modules).
    const fromEmulator = await node(
      `require("keyvault-keys/emulator"); console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes("/emulator/")).length));`,
      [],
    );
    expect(fromEmulator).toBeGreaterThan(0);
  });

  it("@noble/curves loads with the first local EC key, not at import and not for an RSA key (require and import)", async () => {
    const script = (load: string): string => `
      ${load}
      const { createPrivateKey, generateKeyPairSync } = require("node:crypto");
      const noble = () => Object.keys(require.cache).some((k) => k.includes("/@noble/"));
      const jwk = (type, options) => {
        // Re-made from DER: exporting a key of generateKeyPairSync can deadlock with a GC on Node 20.
        const der = generateKeyPairSync(type, { ...options, privateKeyEncoding: { type: "pkcs8", format: "der" }, publicKeyEncoding: { type: "spki", format: "der" } }).privateKey;
        const j = createPrivateKey({ key: der, format: "der", type: "pkcs8" }).export({ format: "jwk" });
        return Object.fromEntries(Object.entries(j).map(([k, v]) => [k, k === "kty" || k === "crv" ? v : Buffer.from(v, "base64url")]));
      };
      (async () => {
        const { CryptographyClient } = await loaded();
        const atImport = noble();
        await new CryptographyClient(jwk("rsa", { modulusLength: 2048 })).signData("RS256", Buffer.from("x"));
        const afterRsa = noble();
        const signed = await new CryptographyClient(jwk("ec", { namedCurve: "P-256" })).sign("ES256", Buffer.alloc(32, 1));
        console.log(JSON.stringify({ atImport, afterRsa, afterEc: noble(), bytes: signed.result.length }));
      })();`;
    const expected = { atImport: false, afterRsa: false, afterEc: true, bytes: 64 };
    expect(await node(script(`const loaded = async () => require("keyvault-keys");`), [])).toEqual(expected);
    expect(
      await node(
        `import { createRequire } from "node:module"; const require = createRequire(process.cwd() + "/package.json");` +
          script(`const loaded = () => import("keyvault-keys");`),
      ),
    ).toEqual(expected);
  });
});

describe("the keyvault-keys-emulator bin", () => {
  it("starts with --port 0 --http, serves, and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [`${root}dist/cjs/emulator/cli.js`, "--port", "0", "--http"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("Press Ctrl+C to stop.")) resolve();
      });
      child.on("exit", () => reject(new Error(`the emulator exited early: ${stdout}${stderr}`)));
    });
    const url = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    const token = /^KEYVAULT_EMULATOR_TOKEN=(\S+)$/m.exec(stdout)?.[1];
    expect(url).toBeDefined();
    expect(token).toBeDefined();
    expect(stdout).not.toContain("Certificate written");

    const get = (authorization?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get(`${url}/keys?api-version=7.6`, { headers: authorization ? { authorization } : {} }, (response) => {
            let body = "";
            response.on("data", (chunk: Buffer) => (body += chunk.toString()));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
          })
          .on("error", reject);
      });
    expect((await get()).status).toBe(401);
    const listed = await get(`Bearer ${token}`);
    expect(listed.status).toBe(200);
    expect(JSON.parse(listed.body)).toEqual({ value: [], nextLink: null });

    child.kill("SIGTERM");
    const { code, signal } = await exited;
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(stdout).toContain("Received SIGTERM; stopping.");
    expect(stderr).toBe("");
    await expect(get(`Bearer ${token}`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
