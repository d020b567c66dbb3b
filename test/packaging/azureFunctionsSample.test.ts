/**
 * samples/azure-functions: the CommonJS and the ES-module forms of the signAndVerify function type-check
 * (checkJs, against the built package's types as an app sees them) and, called the way the Functions host
 * calls them (HttpRequest + InvocationContext from @azure/functions, through run-local.mjs in a fresh
 * node process), sign and verify with a key of the emulator. Needs the build (`npm test` builds first).
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const samples = fileURLToPath(new URL("../../samples/azure-functions/", import.meta.url));
const run = promisify(execFile);

/** This process's environment without the settings that would point the sample at a real vault. */
function withoutVaultSettings(): NodeJS.ProcessEnv {
  const { KEYVAULT_URI: _uri, SIGNING_KEY_NAME: _name, SIGNING_ALGORITHM: _algorithm, ...env } = process.env;
  return env;
}

beforeAll(async () => {
  const runner = (await import(`${samples}run-local.mjs`)) as { linkLocalPackage(): void };
  runner.linkLocalPackage(); // samples/azure-functions/node_modules/keyvault-keys -> this repository
});

describe("samples/azure-functions", () => {
  it("type-checks (checkJs, NodeNext) against the built package", () => {
    const files = ["cjs/src/functions/signAndVerify.js", "esm/src/functions/signAndVerify.mjs", "run-local.mjs"].map(
      (file) => samples + file,
    );
    const program = ts.createProgram(files, {
      allowJs: true,
      checkJs: true,
      noEmit: true,
      strict: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      types: ["node"],
      skipLibCheck: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const where = diagnostic.file
        ? `${diagnostic.file.fileName.slice(samples.length)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
        : "";
      return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
    });
    expect(diagnostics).toEqual([]);
  });

  for (const form of ["cjs", "esm"] as const) {
    it(`${form}: signs and verifies with an emulator key`, async () => {
      const { stdout } = await run(process.execPath, [`${samples}run-local.mjs`, form, "--json"], {
        env: withoutVaultSettings(),
        timeout: 60_000,
      });
      const response = JSON.parse(stdout.trim().split("\n").pop()!) as {
        form: string;
        status: number;
        jsonBody: { keyId: string; algorithm: string; signature: string; verified: boolean };
        logs: string[];
      };
      expect(response.form).toBe(form);
      expect(response.status).toBe(200);
      expect(response.jsonBody).toMatchObject({ algorithm: "ES256", verified: true });
      expect(response.jsonBody.keyId).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/keys\/signing-key\/[0-9a-f]{32}$/);
      expect(Buffer.from(response.jsonBody.signature, "base64url")).toHaveLength(64); // r || s of P-256
      expect(response.logs.join("\n")).toContain("verified: true");
    });
  }

  it("answers 400 without data, before any vault call (CommonJS form, in-process)", async () => {
    const require = createRequire(`${samples}cjs/`);
    const { HttpRequest, InvocationContext } = require("@azure/functions") as typeof import("@azure/functions");
    const sample = require("./src/functions/signAndVerify.js") as {
      createSignAndVerifyHandler(
        connection: unknown,
      ): (request: unknown, context: unknown) => Promise<{ status?: number }>;
    };
    const handler = sample.createSignAndVerifyHandler({
      vaultUrl: "https://never-called.vault.azure.net",
      credential: { getToken: () => Promise.reject(new Error("no token expected")) },
    });
    const response = await handler(
      new HttpRequest({ method: "POST", url: "http://localhost/api/signAndVerify", body: { string: "{}" } }),
      new InvocationContext({ logHandler: () => {} }),
    );
    expect(response.status).toBe(400);
  });
});
