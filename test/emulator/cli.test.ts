import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(__dirname, "../..");
const folder = mkdtempSync(path.join(os.tmpdir(), "kv-emulator-cli-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("keyvault-keys-emulator CLI", () => {
  it("starts, prints its URL, certificate path and a token that works, and exits 0 on SIGTERM", async () => {
    const certFile = path.join(folder, "cert.pem");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/emulator/cli.ts", "--port", "0", "--cert-out", certFile, "--recoverable-days", "7"],
      {
        cwd: repoRoot,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const ready = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (/KEYVAULT_EMULATOR_TOKEN=\S+\n/.test(output)) resolve(output);
      });
      void exited.then(() => reject(new Error(`CLI exited early:\n${output}`)));
    });
    const url = /listening at (https:\/\/\S+)/.exec(ready)?.[1] ?? "";
    const token = /KEYVAULT_EMULATOR_TOKEN=(\S+)/.exec(ready)?.[1] ?? "";
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(ready).toContain(`NODE_EXTRA_CA_CERTS=${certFile}`);
    const certificate = readFileSync(certFile, "utf8");
    const status = await new Promise<number>((resolve, reject) => {
      https
        .get(
          `${url}/keys?api-version=7.6`,
          { ca: certificate, headers: { authorization: `Bearer ${token}` } },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        )
        .on("error", reject);
    });
    expect(status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("prints help and rejects unknown options", async () => {
    const run = (args: string[]): Promise<{ code: number | null; text: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "src/emulator/cli.ts", ...args], { cwd: repoRoot });
        let text = "";
        child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
        child.on("exit", (code) => resolve({ code, text }));
      });
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.text).toContain("--data-dir");
    const bad = await run(["--bogus"]);
    expect(bad.code).toBe(2);
    expect(bad.text).toContain("unknown option --bogus");
  });
});
