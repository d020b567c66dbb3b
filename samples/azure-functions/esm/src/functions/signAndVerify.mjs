// @ts-check
/**
 * An HTTP-triggered Azure Function (Node.js v4 programming model, ES modules) that signs the request body
 * with a Key Vault key and verifies the signature. The private key never leaves the vault: signing is a
 * `keys/sign` call; verifying is done locally with the public key (`keys/get`) when the key allows it.
 *
 *   POST /api/signAndVerify   {"data": "text to sign"}
 *   -> 200 {"keyId": "...", "algorithm": "ES256", "signature": "<base64url>", "verified": true}
 *
 * Settings (local.settings.json "Values", or the Function App's application settings):
 *   KEYVAULT_URI          https://<your-vault>.vault.azure.net
 *   SIGNING_KEY_NAME      the key to sign with (default "signing-key"; an EC P-256 key for ES256)
 *   SIGNING_ALGORITHM     default "ES256" (PS256 / RS256 for an RSA key)
 * In Azure the function authenticates with DefaultAzureCredential (give the Function App a managed
 * identity with the "Key Vault Crypto User" role, or keys/get + keys/sign + keys/verify access policy).
 *
 * Tests and the local runner (../../../run-local.mjs) call createSignAndVerifyHandler() with the
 * emulator's URL, credential and certificate (`tlsOptions`) instead.
 */
import { app } from "@azure/functions";
import { KeyClient } from "keyvault-keys";

/**
 * @typedef {object} VaultConnection
 * @property {string} vaultUrl
 * @property {ConstructorParameters<typeof KeyClient>[1]} credential
 * @property {import("keyvault-keys").KeyClientOptions} [clientOptions]
 */

/** @returns {Promise<VaultConnection>} the vault named by KEYVAULT_URI, with DefaultAzureCredential. */
async function connectionFromEnvironment() {
  const vaultUrl = process.env["KEYVAULT_URI"];
  if (!vaultUrl) throw new Error("Set the KEYVAULT_URI application setting to your vault's URL.");
  const { DefaultAzureCredential } = await import("@azure/identity");
  return { vaultUrl, credential: new DefaultAzureCredential() };
}

/**
 * Builds the handler. Without an argument it connects on its first call, from the environment.
 * @param {VaultConnection | (() => Promise<VaultConnection>)} [connection]
 * @returns {(request: import("@azure/functions").HttpRequest, context: import("@azure/functions").InvocationContext) => Promise<import("@azure/functions").HttpResponseInit>}
 */
export function createSignAndVerifyHandler(connection = connectionFromEnvironment) {
  /** @type {KeyClient | undefined} */
  let client;
  return async (request, context) => {
    if (!client) {
      const { vaultUrl, credential, clientOptions } =
        typeof connection === "function" ? await connection() : connection;
      client = new KeyClient(vaultUrl, credential, clientOptions); // one client (and connection pool) per instance
    }
    /** @type {unknown} */
    const body = await request.json().catch(() => undefined);
    const data = body && typeof body === "object" && "data" in body ? body.data : undefined;
    if (typeof data !== "string" || data.length === 0) {
      return { status: 400, jsonBody: { error: 'Send a JSON body {"data": "<text to sign>"}.' } };
    }
    const keyName = process.env["SIGNING_KEY_NAME"] || "signing-key";
    const algorithm = process.env["SIGNING_ALGORITHM"] || "ES256";
    const bytes = new TextEncoder().encode(data);

    const cryptographyClient = client.getCryptographyClient(keyName);
    const signed = await cryptographyClient.signData(algorithm, bytes); // hashes locally, signs in the vault
    const verified = await cryptographyClient.verifyData(algorithm, bytes, signed.result);
    context.log(`signed ${bytes.length} bytes with ${signed.keyID} (${algorithm}); verified: ${verified.result}`);
    return {
      status: 200,
      jsonBody: {
        keyId: signed.keyID,
        algorithm: signed.algorithm,
        signature: Buffer.from(signed.result).toString("base64url"),
        verified: verified.result,
      },
    };
  };
}

export const signAndVerify = createSignAndVerifyHandler();

app.http("signAndVerify", {
  methods: ["POST"],
  authLevel: "function",
  handler: signAndVerify,
});
