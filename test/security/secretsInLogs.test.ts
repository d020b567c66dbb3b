/*
 * Issue 6, secrets: with every log sink captured at verbose level, importing a private key, backing it
 * up, restoring it, running remote and local cryptography and failing on purpose leaves no token, no
 * private JWK member, no plaintext and no backup blob in any log line, error message or toString().
 * Runs against the emulator over real HTTPS on loopback.
 */
import { randomBytes } from "node:crypto";
import { Agent } from "node:https";
import { inspect } from "node:util";
import { AzureLogger, getLogLevel, setLogLevel, type AzureLogLevel } from "@azure/logger";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { createSelfSignedCertificate } from "../../src/emulator/tls/selfSignedCertificate.js";
import { CryptographyClient, KeyClient, retryWhileBeingDeleted, type JsonWebKeyFields } from "../../src/index.js";
import { generateTestKeyPair } from "../helpers/cryptographyKeys.js";

let emulator: RunningEmulator;
let previousLevel: AzureLogLevel | undefined;
let previousLog: typeof AzureLogger.log;
const logLines: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  previousLevel = getLogLevel();
  previousLog = AzureLogger.log;
  setLogLevel("verbose");
  AzureLogger.log = (...args: unknown[]) => {
    logLines.push(args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 8 }))).join(" "));
  };
});
afterAll(async () => {
  AzureLogger.log = previousLog;
  setLogLevel(previousLevel);
  await emulator?.close();
});

/** Passes the emulator's tokens through, remembering each one so the test can look for it. */
class RememberingCredential implements TokenCredential {
  readonly tokens: string[] = [];
  constructor(private readonly inner: TokenCredential) {}
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const token = await this.inner.getToken(scopes, options);
    if (token) this.tokens.push(token.token);
    return token;
  }
}

const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url");

function rsaPrivateJwk(): JsonWebKeyFields {
  const { privateKey } = generateTestKeyPair("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" });
  const bytes = (value: string | undefined): Uint8Array => new Uint8Array(Buffer.from(value ?? "", "base64url"));
  return {
    kty: "RSA",
    n: bytes(jwk.n),
    e: bytes(jwk.e),
    d: bytes(jwk.d),
    p: bytes(jwk.p),
    q: bytes(jwk.q),
    dp: bytes(jwk.dp),
    dq: bytes(jwk.dq),
    qi: bytes(jwk.qi),
  };
}

/** Every rendering of an error a caller might log. */
function renderings(error: unknown): string[] {
  const out = [String(error), inspect(error, { depth: 8 }), JSON.stringify(error) ?? ""];
  if (error instanceof Error) out.push(error.message, error.stack ?? "");
  return out;
}

describe("no secret reaches a log line, an error or toString()", () => {
  it("import, backup, restore, cryptography and failures", async () => {
    const credential = new RememberingCredential(emulator.credential);
    const options = {
      agent: new Agent({ ca: emulator.certificate }),
      disableChallengeResourceVerification: true,
      retryOptions: { retryDelayInMs: 1, maxRetryDelayInMs: 10 },
    };
    const client = new KeyClient(emulator.url, credential, options);
    const name = `secret-${randomBytes(4).toString("hex")}`;
    const jwk = rsaPrivateJwk();
    const plaintext = new Uint8Array(Buffer.from(`plaintext-${randomBytes(12).toString("hex")}`));
    const symmetricKey = new Uint8Array(randomBytes(32));
    const errors: unknown[] = [];
    const texts: string[] = [];

    const imported = await client.importKey(name, jwk);
    texts.push(String(imported), JSON.stringify(imported), inspect(imported, { depth: 8 }));
    const backup = await client.backupKey(name);
    expect(backup?.length).toBeGreaterThan(100);

    const crypto = client.getCryptographyClient(name);
    const encrypted = await crypto.encrypt({ algorithm: "RSA-OAEP-256", plaintext });
    const decrypted = await crypto.decrypt({ algorithm: "RSA-OAEP-256", ciphertext: encrypted.result });
    expect(b64u(decrypted.result)).toBe(b64u(plaintext));
    const wrapped = await crypto.wrapKey("RSA-OAEP", symmetricKey);
    const unwrapped = await crypto.unwrapKey("RSA-OAEP", wrapped.result);
    expect(b64u(unwrapped.result)).toBe(b64u(symmetricKey));
    const signed = await crypto.signData("RS256", plaintext);
    expect((await crypto.verifyData("RS256", plaintext, signed.result)).result).toBe(true);
    const byKey = new CryptographyClient(imported, credential, options);
    const again = await byKey.decrypt({ algorithm: "RSA-OAEP-256", ciphertext: encrypted.result });
    // (Not inspect(crypto): it reaches the caller's own https.Agent, whose live sockets hold raw request headers.)
    texts.push(String(crypto), inspect(decrypted), inspect(again), inspect(unwrapped));

    // Failures: a ciphertext the key cannot decrypt (400 from the vault), a restore onto a live name (409),
    // and keys the client refuses before sending (their errors name the field, never its value).
    errors.push(
      await crypto
        .decrypt({ algorithm: "RSA-OAEP-256", ciphertext: new Uint8Array(randomBytes(256)) })
        .catch((e: unknown) => e),
    );
    errors.push(await client.restoreKeyBackup(backup!).catch((e: unknown) => e));
    const { n: _n, ...withoutModulus } = jwk;
    errors.push(await client.importKey(name, withoutModulus).catch((e: unknown) => e));
    errors.push(
      await client.importKey(name, { ...jwk, d: "not bytes" } as unknown as JsonWebKeyFields).catch((e: unknown) => e),
    );

    const poller = await client.beginDeleteKey(name, { intervalInMs: 10 });
    await poller.pollUntilDone();
    texts.push(poller.toString());
    await client.purgeDeletedKey(name);
    const restored = await retryWhileBeingDeleted(() => client.restoreKeyBackup(backup!), {
      intervalInMs: 50,
      maxAttempts: 100,
    });
    expect(restored.name).toBe(name);
    texts.push(inspect(restored, { depth: 8 }));

    expect(
      errors.map((e) => (e instanceof Error ? ((e as { statusCode?: number }).statusCode ?? e.message) : e)),
    ).toEqual([400, 409, "Invalid key.n: a RSA key needs it.", "Invalid key.d: expected a Uint8Array."]);
    for (const error of errors) texts.push(...renderings(error));

    const secrets: Record<string, string> = {};
    credential.tokens.forEach((token, i) => (secrets[`token ${i}`] = token));
    for (const field of ["d", "p", "q", "dp", "dq", "qi"] as const) secrets[`jwk.${field}`] = b64u(jwk[field]!);
    secrets["plaintext (text)"] = Buffer.from(plaintext).toString("utf8");
    secrets["plaintext (base64url)"] = b64u(plaintext);
    secrets["symmetric key (k)"] = b64u(symmetricKey);
    const blob = b64u(backup!);
    secrets["backup blob"] = blob;
    secrets["backup blob (middle)"] = blob.slice(blob.length / 2, blob.length / 2 + 48);
    expect(credential.tokens.length).toBeGreaterThan(0);
    // The logs were really on: the request lines of the log policy are there.
    expect(logLines.some((line) => line.includes("Request:"))).toBe(true);

    const haystacks = { log: logLines, rendering: texts };
    for (const [where, lines] of Object.entries(haystacks)) {
      for (const [what, secret] of Object.entries(secrets)) {
        const hit = lines.find((line) => line.includes(secret));
        expect(hit === undefined ? undefined : `${what} found in a ${where}: ${hit.slice(0, 300)}`).toBeUndefined();
      }
      // No Authorization header value, whatever the token.
      expect(lines.filter((line) => /authorization["']?\s*[:=]\s*["']?Bearer /i.test(line))).toEqual([]);
    }
  });
});

describe("the request log line", () => {
  it("holds no agent, TLS settings or proxy password (set after the log policy has logged)", async () => {
    logLines.length = 0;
    const client = new KeyClient("https://127.0.0.1:1", new RememberingCredential(emulator.credential), {
      agent: new Agent({ ca: emulator.certificate }),
      tlsOptions: { key: "TLS-CLIENT-KEY-SECRET", cert: "TLS-CLIENT-CERT" },
      proxyOptions: { host: "http://127.0.0.1", port: 1, username: "proxy-user", password: "PROXY-PASSWORD-SECRET" },
      retryOptions: { maxRetries: 0 },
    });
    await expect(client.getKey("k")).rejects.toThrow();
    const requestLines = logLines.filter((line) => line.includes("Request:"));
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of requestLines) {
      expect(line).not.toContain("TLS-CLIENT-KEY-SECRET");
      expect(line).not.toContain("PROXY-PASSWORD-SECRET");
      expect(line).not.toContain("BEGIN CERTIFICATE");
      expect(line).not.toMatch(/"agent"|"tlsSettings"|"proxySettings"/);
    }
  });
});

describe("a failed call's error", () => {
  it("holds no TLS client key in any rendering (the request it carries keeps its TLS settings to itself)", async () => {
    const clientCertificate = createSelfSignedCertificate();
    const client = new KeyClient(emulator.url, emulator.credential, {
      tlsOptions: {
        ca: emulator.certificate,
        key: clientCertificate.privateKeyPem,
        cert: clientCertificate.certificatePem,
      },
      disableChallengeResourceVerification: true,
    });
    const error: unknown = await client.getKey("no-such-key").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "RestError", statusCode: 404 });
    const secretLine = clientCertificate.privateKeyPem.split("\n")[1]!;
    for (const text of [...renderings(error), inspect((error as { request?: unknown }).request, { depth: 8 })]) {
      expect(text).not.toContain(secretLine);
    }
    // The settings are still there for the HTTP client (and for a caller who asks for them by name).
    expect((error as { request: { tlsSettings?: { key?: string } } }).request.tlsSettings?.key).toBe(
      clientCertificate.privateKeyPem,
    );
  });
});
