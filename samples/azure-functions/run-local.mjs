// @ts-check
/**
 * Runs the signAndVerify function of the CommonJS or the ES-module sample against the built-in emulator,
 * without Azure Functions Core Tools: it builds the HttpRequest and InvocationContext that the Functions
 * host would, and calls the handler.
 *
 *   npm run build && node samples/azure-functions/run-local.mjs [cjs|esm] [--json]
 *
 * In this repository "keyvault-keys" is the repository's own build: the runner links it as
 * samples/azure-functions/node_modules/keyvault-keys (what `npm install keyvault-keys` does in your app).
 * With KEYVAULT_URI set, it uses that vault and DefaultAzureCredential instead of the emulator; the
 * key named by SIGNING_KEY_NAME (default "signing-key") must then exist.
 */
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Makes `keyvault-keys` resolve to this repository's build from the samples (like `npm install` would). */
export function linkLocalPackage() {
  if (!existsSync(`${repositoryRoot}dist/cjs/index.js`)) throw new Error("Build the package first: npm run build");
  const link = `${here}node_modules/keyvault-keys`;
  if (!existsSync(link)) {
    mkdirSync(`${here}node_modules`, { recursive: true });
    try {
      symlinkSync(repositoryRoot, link, "junction");
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== "EEXIST") throw error;
    }
  }
}

/**
 * Calls the sample's handler once, with `{"data": data}`, against the emulator (or KEYVAULT_URI).
 * @param {"cjs" | "esm"} form
 * @param {string} [data]
 * @returns {Promise<import("@azure/functions").HttpResponseInit & { logs: string[] }>}
 */
export async function runLocal(form, data = "hello from Azure Functions") {
  linkLocalPackage();
  const require = createRequire(`${here}${form}/`);
  /** @type {typeof import("@azure/functions")} */
  const { HttpRequest, InvocationContext } = require("@azure/functions");
  /** @type {typeof import("keyvault-keys")} */
  const { KeyClient } = require("keyvault-keys");
  /** @type {typeof import("./cjs/src/functions/signAndVerify.js")} */
  const sample =
    form === "cjs"
      ? require("./src/functions/signAndVerify.js")
      : await import(pathToFileURL(`${here}esm/src/functions/signAndVerify.mjs`).href);

  /** @type {{ vaultUrl: string, credential: import("@azure/core-auth").TokenCredential, clientOptions: import("keyvault-keys").KeyClientOptions }} */
  let connection;
  /** @type {() => Promise<void>} */
  let close;
  const keyName = process.env["SIGNING_KEY_NAME"] || "signing-key";
  if (process.env["KEYVAULT_URI"]) {
    const { DefaultAzureCredential } = require("@azure/identity");
    connection = { vaultUrl: process.env["KEYVAULT_URI"], credential: new DefaultAzureCredential(), clientOptions: {} };
    close = async () => {};
  } else {
    /** @type {typeof import("keyvault-keys/emulator")} */
    const { startEmulator } = require("keyvault-keys/emulator");
    const emulator = await startEmulator({ port: 0 });
    connection = {
      vaultUrl: emulator.url,
      credential: emulator.credential,
      // trust the emulator's self-signed certificate; 127.0.0.1 is not under vault.azure.net
      clientOptions: { tlsOptions: { ca: emulator.certificate }, disableChallengeResourceVerification: true },
    };
    close = () => emulator.close();
    const admin = new KeyClient(connection.vaultUrl, connection.credential, connection.clientOptions);
    await admin.createEcKey(keyName, { curve: "P-256", keyOps: ["sign", "verify"] });
  }

  try {
    const handler = sample.createSignAndVerifyHandler(/** @type {any} */ (connection));
    /** @type {string[]} */
    const logs = [];
    const request = new HttpRequest({
      method: "POST",
      url: "http://localhost:7071/api/signAndVerify",
      headers: { "content-type": "application/json" },
      body: { string: JSON.stringify({ data }) },
    });
    const context = new InvocationContext({
      functionName: "signAndVerify",
      invocationId: `local-${Date.now()}`,
      logHandler: (level, ...args) => logs.push(`[${level}] ${args.join(" ")}`),
    });
    const response = await handler(request, context);
    return { ...response, logs };
  } finally {
    await close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const json = process.argv.includes("--json");
  const named = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
  for (const form of named.length ? named : ["cjs", "esm"]) {
    if (form !== "cjs" && form !== "esm") throw new Error(`unknown form ${form}; use cjs or esm`);
    const response = await runLocal(form);
    if (json) console.log(JSON.stringify({ form, ...response }));
    else {
      console.log(`${form}:`, response.status, JSON.stringify(response.jsonBody));
      for (const line of response.logs) console.log(`  ${line}`);
    }
  }
}
