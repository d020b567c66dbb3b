/**
 * DefaultAzureCredential with only the variables the command line prints: the emulator serves the
 * App Service managed-identity protocol, so application code written for Azure (no emulator
 * credential, no custom agent) gets tokens and talks to it unchanged, through our KeyClient and the
 * official one. The tokens are the vault's own and stay checked.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(__dirname, "../..");
const tmp = mkdtempSync(path.join(os.tmpdir(), "kv-emulator-identity-"));
let cli: ReturnType<typeof spawn>;
let printed: Record<string, string> = {};
let url = "";

beforeAll(async () => {
  cli = spawn(process.execPath, ["--import", "tsx", "src/emulator/cli.ts", "--port", "0"], {
    cwd: repoRoot,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    cli.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (/KEYVAULT_EMULATOR_TOKEN=\S+\n/.test(output)) resolve();
    });
    cli.on("exit", () => reject(new Error(`CLI exited early:\n${output}`)));
  });
  printed = Object.fromEntries([...output.matchAll(/^([A-Z_]+)=(\S+)$/gm)].map((m) => [m[1] ?? "", m[2] ?? ""]));
  url = /listening at (\S+)/.exec(output)?.[1] ?? "";
});
afterAll(async () => {
  if (cli && cli.exitCode === null) {
    const exited = new Promise((resolve) => cli.on("exit", resolve));
    cli.kill("SIGTERM");
    await exited;
  }
  rmSync(tmp, { recursive: true, force: true });
});

/** Runs the fixture with exactly `env` (plus PATH and HOME) and returns its stdout, stderr and code. */
function runFixture(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/e2e/fixtures/defaultAzureCredential.ts"], {
      cwd: repoRoot,
      env: { PATH: process.env["PATH"] ?? "", HOME: tmp, TMPDIR: tmp, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("DefaultAzureCredential against the emulator", () => {
  it("gets tokens from the printed IDENTITY_ENDPOINT and IDENTITY_HEADER; both KeyClients work", async () => {
    const env = {
      NODE_EXTRA_CA_CERTS: printed["NODE_EXTRA_CA_CERTS"] ?? "",
      IDENTITY_ENDPOINT: printed["IDENTITY_ENDPOINT"] ?? "",
      IDENTITY_HEADER: printed["IDENTITY_HEADER"] ?? "",
      KEYVAULT_URL: url,
    };
    expect(env.IDENTITY_ENDPOINT).toBe(`${url}/msi/token`);
    const result = await runFixture(env);
    expect(result.code, result.stderr).toBe(0);
    const results = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(results["tokenExpiresInHours"]).toBe(24);
    expect(String(results["oursCreated"])).toMatch(new RegExp(`^${url}/keys/dac-[a-z0-9]+/[0-9a-f]{32}$`));
    expect(results["oursSign"]).toBe(64);
    expect(results["officialGot"]).toBe(results["oursCreated"]);
    expect(results["officialVerify"]).toBe(true);
    expect(results["managedIdentityGot"]).toBe(results["oursCreated"]);
  });

  it("without the identity header's right value, no token: the credential fails", async () => {
    const result = await runFixture({
      NODE_EXTRA_CA_CERTS: printed["NODE_EXTRA_CA_CERTS"] ?? "",
      IDENTITY_ENDPOINT: printed["IDENTITY_ENDPOINT"] ?? "",
      IDENTITY_HEADER: "wrong",
      KEYVAULT_URL: url,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/CredentialUnavailableError|AuthenticationError|ManagedIdentityCredential/);
  });
});
