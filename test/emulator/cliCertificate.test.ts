/**
 * The command line's certificate file and printed environment: a private temp folder (mkdtemp, 0700)
 * holding a file created exclusively with mode 0600 and removed on exit; `--cert-out` replaced
 * atomically without writing through a planted symlink; `--hostname`, `--cert`/`--key` and
 * `--data-dir` certificates; and the variables other processes need (trust and managed identity).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { X509Certificate } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSelfSignedCertificate } from "../../src/emulator/tls/selfSignedCertificate.js";

const repoRoot = path.resolve(__dirname, "../..");
const folder = mkdtempSync(path.join(os.tmpdir(), "kv-emulator-cli-cert-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  output: string;
  exited: Promise<number | null>;
  /** The `NAME=value` lines it printed. */
  env: Record<string, string>;
  url: string;
}

/** Starts the CLI and resolves once it printed its token; `tmp` becomes its TMPDIR. */
async function startCli(args: string[], tmp: string): Promise<Running> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/emulator/cli.ts", "--port", "0", ...args], {
    cwd: repoRoot,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (/KEYVAULT_EMULATOR_TOKEN=\S+\n/.test(output)) resolve();
    });
    void exited.then(() => reject(new Error(`CLI exited early:\n${output}`)));
  });
  const env = Object.fromEntries(
    [...output.matchAll(/^([A-Z_]+)=(\S+)$/gm)].map((match) => [match[1] ?? "", match[2] ?? ""]),
  );
  const url = /listening at (\S+)/.exec(output)?.[1] ?? "";
  return { child, output, exited, env, url };
}

async function stop(running: Running): Promise<number | null> {
  running.child.kill("SIGTERM");
  return running.exited;
}

function run(args: string[]): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/emulator/cli.ts", ...args], { cwd: repoRoot });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.on("exit", (code) => resolve({ code, text }));
  });
}

/** The entries of a folder, without the cache tsx (which runs the CLI here) keeps in TMPDIR. */
function entries(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith("tsx-"))
    .sort();
}

function status(url: string, ca: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, headers }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on("error", reject);
  });
}

describe("keyvault-keys-emulator certificate file", () => {
  it("writes it into a private temp folder (0700, file 0600), prints the environment, removes it on exit", async () => {
    const tmp = mkdtempSync(path.join(folder, "tmp-"));
    const running = await startCli(["--hostname", "kv.test"], tmp);
    const file = running.env["NODE_EXTRA_CA_CERTS"] ?? "";
    expect(path.dirname(path.dirname(file))).toBe(tmp);
    expect(path.basename(path.dirname(file))).toMatch(/^keyvault-keys-emulator-[A-Za-z0-9]{6}$/);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(running.output).toContain(`Certificate: ${file} (removed on exit)`);
    expect(running.env["REQUESTS_CA_BUNDLE"]).toBe(file);
    expect(running.env["SSL_CERT_FILE"]).toBe(file);
    expect(running.env["IDENTITY_ENDPOINT"]).toBe(`${running.url}/msi/token`);
    expect(running.env["IDENTITY_HEADER"]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const hint of [
      "disableChallengeResourceVerification: true",
      "verify_challenge_resource=False",
      "DisableChallengeResourceVerification = true",
      "disableChallengeResourceVerification()",
      "DisableChallengeResourceVerification: true",
    ])
      expect(running.output).toContain(hint);
    const certificate = readFileSync(file, "utf8");
    expect(new X509Certificate(certificate).checkHost("kv.test")).toBe("kv.test");
    // The printed identity variables get a token.
    const identity = `${running.env["IDENTITY_ENDPOINT"]}?api-version=2019-08-01&resource=https://vault.azure.net`;
    expect(await status(identity, certificate, { "X-IDENTITY-HEADER": running.env["IDENTITY_HEADER"] ?? "" })).toBe(
      200,
    );
    expect(await stop(running)).toBe(0);
    expect(existsSync(path.dirname(file))).toBe(false);
    expect(entries(tmp)).toEqual([]);
  });

  it("--cert-out replaces a planted symlink instead of writing through it", async () => {
    const tmp = mkdtempSync(path.join(folder, "tmp-"));
    const victim = path.join(tmp, "victim.txt");
    writeFileSync(victim, "do not touch");
    const out = path.join(tmp, "emulator.pem");
    symlinkSync(victim, out);
    const running = await startCli(["--cert-out", out], tmp);
    expect(running.env["NODE_EXTRA_CA_CERTS"]).toBe(out);
    expect(readFileSync(victim, "utf8")).toBe("do not touch");
    expect(lstatSync(out).isSymbolicLink()).toBe(false);
    expect(readFileSync(out, "utf8")).toContain("BEGIN CERTIFICATE");
    expect(await stop(running)).toBe(0);
    expect(existsSync(out)).toBe(true); // a file the user named stays
    expect(entries(tmp)).toEqual(["emulator.pem", "victim.txt"]);
  });

  it("--data-dir keeps the certificate there: the same one after a restart", async () => {
    const tmp = mkdtempSync(path.join(folder, "tmp-"));
    const dataDir = path.join(tmp, "data");
    mkdirSync(dataDir);
    const first = await startCli(["--data-dir", dataDir], tmp);
    const file = first.env["NODE_EXTRA_CA_CERTS"] ?? "";
    expect(file).toBe(path.join(dataDir, "emulator-cert.pem"));
    const certificate = readFileSync(file, "utf8");
    const firstCode = await stop(first);
    expect(firstCode, first.output).toBe(0);
    const second = await startCli(["--data-dir", dataDir], tmp);
    expect(readFileSync(file, "utf8")).toBe(certificate);
    expect(await status(`${second.url}/keys?api-version=7.6`, certificate)).toBe(401);
    const code = await stop(second);
    expect(code, second.output).toBe(0);
    expect(existsSync(file)).toBe(true);
  });

  it("--cert and --key serve a certificate of the user's own", async () => {
    const tmp = mkdtempSync(path.join(folder, "tmp-"));
    const own = createSelfSignedCertificate({ commonName: "mine" });
    writeFileSync(path.join(tmp, "cert.pem"), own.certificatePem);
    writeFileSync(path.join(tmp, "key.pem"), own.privateKeyPem);
    const running = await startCli(["--cert", path.join(tmp, "cert.pem"), "--key", path.join(tmp, "key.pem")], tmp);
    expect(running.output).toContain(`Serving ${path.join(tmp, "cert.pem")}`);
    expect(running.env["NODE_EXTRA_CA_CERTS"]).toBeUndefined();
    expect(await status(`${running.url}/keys?api-version=7.6`, own.certificatePem)).toBe(401);
    expect(await stop(running)).toBe(0);
    expect(entries(tmp)).toEqual(["cert.pem", "key.pem"]);
  });

  it("refuses --cert without --key, a missing file, a bad --hostname and --cert with --http", async () => {
    const cert = path.join(folder, "only.pem");
    writeFileSync(cert, createSelfSignedCertificate().certificatePem);
    for (const [args, message] of [
      [["--cert", cert], "--cert and --key go together"],
      [["--cert", cert, "--key", path.join(folder, "missing.pem")], "--key"],
      [["--hostname", "not a host"], "hostnames[0] must be a DNS name or an IP address"],
      [["--cert", cert, "--key", cert, "--http"], "cannot be used with --http"],
      [["--cert", cert, "--key", cert], "tlsCertificate is not usable"],
    ] as const) {
      const result = await run([...args]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.text, args.join(" ")).toContain(message);
    }
  });
});
