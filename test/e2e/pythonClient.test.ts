/**
 * The Python azure-keyvault-keys KeyClient and CryptographyClient (Debian's python3-azure, a client
 * no one here wrote) against the emulator's command line, with only the environment it prints:
 * DefaultAzureCredential over the managed-identity endpoint, the package's default api-version, the
 * README examples, a lifecycle, and cryptography judged by Python's `cryptography`
 * (test/e2e/python/keyvault_checks.py). `.ci/run` installs python3-azure, and CI sets
 * KEYVAULT_KEYS_REQUIRE_PYTHON=1 so that a missing package fails there instead of skipping.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const python = "/usr/bin/python3";
const repoRoot = path.resolve(__dirname, "../..");
const available =
  spawnSync(python, ["-c", "import azure.keyvault.keys, azure.identity, cryptography"], { stdio: "ignore" }).status ===
  0;
const required = process.env["KEYVAULT_KEYS_REQUIRE_PYTHON"] === "1";
const tmp = mkdtempSync(path.join(os.tmpdir(), "kv-emulator-python-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Report {
  passed: number;
  total: number;
  failures: Array<{ check: string; error: string }>;
}

async function runAgainstCli(): Promise<Report> {
  const cli = spawn(process.execPath, ["--import", "tsx", "src/emulator/cli.ts", "--port", "0"], {
    cwd: repoRoot,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise((resolve) => cli.on("exit", resolve));
  try {
    let output = "";
    await new Promise<void>((resolve, reject) => {
      cli.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (/KEYVAULT_EMULATOR_TOKEN=\S+\n/.test(output)) resolve();
      });
      void exited.then(() => reject(new Error(`CLI exited early:\n${output}`)));
    });
    const printed = Object.fromEntries(
      [...output.matchAll(/^([A-Z_]+)=(\S+)$/gm)].map((match) => [match[1] ?? "", match[2] ?? ""]),
    );
    const env = {
      PATH: process.env["PATH"] ?? "",
      HOME: tmp,
      KEYVAULT_URL: /listening at (\S+)/.exec(output)?.[1] ?? "",
      REQUESTS_CA_BUNDLE: printed["REQUESTS_CA_BUNDLE"] ?? "",
      SSL_CERT_FILE: printed["SSL_CERT_FILE"] ?? "", // the async clients (aiohttp) trust through OpenSSL
      IDENTITY_ENDPOINT: printed["IDENTITY_ENDPOINT"] ?? "",
      IDENTITY_HEADER: printed["IDENTITY_HEADER"] ?? "",
    };
    const child = spawn(python, ["test/e2e/python/keyvault_checks.py"], { cwd: repoRoot, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    if (code !== 0) throw new Error(`python exited ${code}:\n${stderr}\n${stdout}`);
    return JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Report;
  } finally {
    cli.kill("SIGTERM");
    await exited;
  }
}

describe("Python azure-keyvault-keys against the emulator", () => {
  if (!available && !required) {
    it("is skipped: /usr/bin/python3 has no azure.keyvault.keys (apt-get install -y python3-azure)", () => {
      console.warn("Skipping the Python checks: /usr/bin/python3 cannot import azure.keyvault.keys");
    });
    return;
  }

  it("passes every check of keyvault_checks.py", async () => {
    expect(available, `${python} cannot import azure.keyvault.keys (apt-get install -y python3-azure)`).toBe(true);
    const report = await runAgainstCli();
    console.info(`Python azure-keyvault-keys checks against the emulator: ${report.passed}/${report.total} passed`);
    expect(report.failures.map((failure) => `${failure.check}\n${failure.error}`)).toEqual([]);
    expect(report.total).toBeGreaterThanOrEqual(40);
    expect(report.passed).toBe(report.total);
  }, 120_000);
});
