/**
 * Runs every sample's exported `main()` against the built-in emulator (KEYVAULT_URI unset), so the
 * samples never rot: each must resolve and print what it promises.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const samplesDir = fileURLToPath(new URL("../../samples/", import.meta.url));
let savedUri: string | undefined;
let lines: string[] = [];

beforeEach(() => {
  savedUri = process.env["KEYVAULT_URI"];
  delete process.env["KEYVAULT_URI"];
  lines = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  if (savedUri === undefined) delete process.env["KEYVAULT_URI"];
  else process.env["KEYVAULT_URI"] = savedUri;
});

async function runSample(file: string, ...args: unknown[]): Promise<string> {
  const module = (await import(pathToFileURL(samplesDir + file).href)) as {
    main: (...args: unknown[]) => Promise<void>;
  };
  expect(typeof module.main).toBe("function");
  await module.main(...args);
  return lines.join("\n");
}

describe("samples", () => {
  it("helloWorld", async () => {
    const output = await runSample("helloWorld.ts");
    expect(output).toMatch(/^Vault: https:\/\/127\.0\.0\.1:\d+ \(built-in emulator\)$/m);
    expect(output).toMatch(/^created hello-\S+ version [0-9a-f]{32} \(RSA\)$/m);
    expect(output).toMatch(/^fetched https:\/\/127\.0\.0\.1:\d+\/keys\/hello-\S+\/[0-9a-f]{32}, created on \d{4}-/m);
    expect(output).toMatch(/^updated: expires on \d{4}-.*tags \{"purpose":"sample","updated":"yes"\}$/m);
    expect(output).toMatch(/^listed hello-\S+ \(enabled: true\)$/m);
    expect(output).toMatch(/^the vault holds 1 key\(s\)$/m);
    expect(output).toMatch(/^deleted on \d{4}-.*, purge scheduled \d{4}-/m);
    expect(output).toMatch(/^recovered hello-/m);
    expect(output).toMatch(/^purged hello-/m);
  });

  it("listAndPaging", async () => {
    const output = await runSample("listAndPaging.ts");
    expect(output.match(/^paging-\S+-0 version [0-9a-f]{32}, created /gm)).toHaveLength(2);
    expect(output).toMatch(/^first page: paging-\S+-0, paging-\S+-1; more: yes$/m);
    expect(output).toMatch(/^page 2: paging-\S+-2, paging-\S+-3$/m);
    expect(output).toMatch(/^page 3: paging-\S+-4$/m);
    expect(output.match(/^deleted paging-\S+, recoverable until \d{4}-/gm)).toHaveLength(5);
  });

  it("backupAndRestore", async () => {
    const output = await runSample("backupAndRestore.ts");
    expect(output).toMatch(/^backed up backup-\S+: \d+ bytes$/m);
    expect(output).toMatch(/^deleted and purged backup-/m);
    expect(output).toMatch(/^restored backup-\S+ \(version [0-9a-f]{32}\)$/m);
    expect(output).toMatch(/^backup-\S+ has 2 versions again$/m);
  });

  it("importKey", async () => {
    const output = await runSample("importKey.ts");
    expect(output).toMatch(/^imported imported-\S+ \(RSA\), version [0-9a-f]{32}$/m);
    expect(output).toMatch(/^private exponent returned: no$/m);
    expect(output).toMatch(/^same modulus: true$/m);
  });

  // Samples added later run when their file exists.
  it("signAndVerify", async () => {
    const output = await runSample("signAndVerify.ts");
    expect(output).toMatch(
      /^signed with https:\/\/127\.0\.0\.1:\d+\/keys\/signer-\S+\/[0-9a-f]{32}: [A-Za-z0-9_-]{86}$/m,
    );
    expect(output).toMatch(/^signature valid: true$/m);
    expect(output).toMatch(/^signature valid for an altered document: false$/m);
    expect(output).toMatch(/^digest signature valid: true$/m);
  });

  it("envelopeEncryption", async () => {
    // It takes a file to seal (default: process.argv[2], which a test runner owns): give it one.
    const folder = mkdtempSync(path.join(os.tmpdir(), "kv-sample-"));
    const file = path.join(folder, "secret.txt");
    writeFileSync(file, "top secret\n".repeat(50));
    let output: string;
    try {
      output = await runSample("envelopeEncryption.ts", file);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    expect(output).toMatch(
      /^sealed 550 bytes; data key wrapped by https:\/\/127\.0\.0\.1:\d+\/keys\/\S+ \(\d+ bytes\)$/m,
    );
    expect(output).toMatch(/^opened: identical to the original$/m);
  });
});
