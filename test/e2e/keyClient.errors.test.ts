/**
 * End to end through OUR KeyClient: every error the vault answers surfaces as a RestError with its
 * status, the service's error code and the parsed body in `details`.
 */
import { createHash, randomBytes } from "node:crypto";
import * as https from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyClient, retryWhileBeingDeleted } from "../../src/index.js";
import { startEmulator } from "../../src/emulator/index.js";
import {
  bogusCredential,
  collect,
  e2eName,
  expectRestError,
  startE2EKeyClient,
  type E2EVault,
} from "../helpers/e2eVault.js";
import { generateTestKeyPair } from "../helpers/cryptographyKeys.js";

let vault: E2EVault;
let client: KeyClient;
const poll = { intervalInMs: 10 };
/** After a purge the name stays busy for a moment (409 ObjectIsBeingDeleted), as on the service. */
const afterPurge = { intervalInMs: 50, maxAttempts: 100 };

beforeAll(async () => {
  ({ vault, client } = await startE2EKeyClient());
});
afterAll(() => vault?.close());

function innerCode(details: unknown): string | undefined {
  return (details as { error?: { innerError?: { code?: string } } } | undefined)?.error?.innerError?.code;
}

/** A raw request with a valid token, for checks that the client would stop before sending. */
function rawPost(
  path: string,
  body: unknown,
): Promise<{ status: number; body: { error?: { code?: string; message?: string } } }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${vault.emulator.url}${path}?api-version=7.6`,
      {
        method: "POST",
        agent: vault.agent,
        headers: {
          authorization: `Bearer ${vault.emulator.createToken()}`,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(data)),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || "{}") }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(data);
  });
}

describe("404 KeyNotFound", () => {
  it("for every operation on a name that does not exist", async () => {
    const missing = e2eName("missing");
    const version = "0".repeat(32);
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ["getKey", () => client.getKey(missing)],
      ["getKey version", () => client.getKey(missing, { version })],
      ["updateKeyProperties", () => client.updateKeyProperties(missing, { enabled: false })],
      ["updateKeyProperties version", () => client.updateKeyProperties(missing, version, { enabled: false })],
      ["getKeyAttestation", () => client.getKeyAttestation(missing)],
      ["rotateKey", () => client.rotateKey(missing)],
      ["backupKey", () => client.backupKey(missing)],
      ["getKeyRotationPolicy", () => client.getKeyRotationPolicy(missing)],
      ["updateKeyRotationPolicy", () => client.updateKeyRotationPolicy(missing, { expiresIn: "P90D" })],
      ["releaseKey", () => client.releaseKey(missing, "token")],
      ["getDeletedKey", () => client.getDeletedKey(missing)],
      ["purgeDeletedKey", () => client.purgeDeletedKey(missing)],
      ["beginDeleteKey", () => client.beginDeleteKey(missing, poll)],
      ["beginRecoverDeletedKey", () => client.beginRecoverDeletedKey(missing, poll)],
    ];
    for (const [label, attempt] of attempts) {
      const error = await expectRestError(attempt(), 404).catch((e: unknown) => {
        throw new Error(`${label}: ${String(e)}`);
      });
      expect(error.code, label).toBe("KeyNotFound");
      expect(error.message, label).toContain(missing);
    }
    // As on the service (recorded), the versions of a name with no key are an empty list, not a 404.
    expect(await collect(client.listPropertiesOfKeyVersions(missing))).toEqual([]);
  });

  it("for an unknown version of an existing key", async () => {
    const name = e2eName("known");
    await client.createEcKey(name);
    const error = await expectRestError(client.getKey(name, { version: "f".repeat(32) }), 404, "KeyNotFound");
    expect((error.details as { error: { code: string } }).error.code).toBe("KeyNotFound");
  });
});

describe("409 Conflict", () => {
  it("create over a soft-deleted name: ObjectIsDeletedButRecoverable in details.error.innerError", async () => {
    const name = e2eName("conflict");
    await client.createRsaKey(name);
    await (await client.beginDeleteKey(name, poll)).pollUntilDone();
    for (const attempt of [
      () => client.createRsaKey(name),
      () => client.createEcKey(name),
      () => client.importKey(name, { kty: "oct", k: randomBytes(32) }),
    ]) {
      const error = await expectRestError(attempt(), 409, "Conflict");
      expect(innerCode(error.details)).toBe("ObjectIsDeletedButRecoverable");
      expect(error.message).toContain(name);
    }
    // Deleting again is a 404 (the key is gone from /keys), recovering makes the name usable again.
    await expectRestError(client.beginDeleteKey(name, poll), 404, "KeyNotFound");
    await (await client.beginRecoverDeletedKey(name, poll)).pollUntilDone();
    await client.createRsaKey(name);
  });

  it("restore over an existing name, and over a soft-deleted name", async () => {
    const name = e2eName("restore-conflict");
    await client.createEcKey(name);
    const backup = (await client.backupKey(name))!;
    const existing = await expectRestError(client.restoreKeyBackup(backup), 409, "Conflict");
    expect(existing.message.length).toBeGreaterThan(10);

    await (await client.beginDeleteKey(name, poll)).pollUntilDone();
    const deleted = await expectRestError(client.restoreKeyBackup(backup), 409, "Conflict");
    expect(innerCode(deleted.details)).toBe("ObjectIsDeletedButRecoverable");

    await client.purgeDeletedKey(name);
    expect((await retryWhileBeingDeleted(() => client.restoreKeyBackup(backup), afterPurge)).name).toBe(name);
  });

  it("purge of a live (not deleted) key is 404", async () => {
    const name = e2eName("live");
    await client.createEcKey(name);
    await expectRestError(client.purgeDeletedKey(name), 404, "KeyNotFound");
  });
});

describe("400 BadParameter", () => {
  it("bad key sizes, curves and exponents", async () => {
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ["rsa 1024", () => client.createRsaKey(e2eName("bad"), { keySize: 1024 })],
      ["rsa 2047", () => client.createKey(e2eName("bad"), "RSA", { keySize: 2047 })],
      ["oct 512", () => client.createOctKey(e2eName("bad"), { keySize: 512 })],
      ["curve P-192", () => client.createEcKey(e2eName("bad"), { curve: "P-192" })],
      ["unknown curve name", () => client.createKey(e2eName("bad"), "EC", { curve: "secp256r1" })],
      ["key type", () => client.createKey(e2eName("bad"), "DSA")],
      ["exportable without release policy", () => client.createRsaKey(e2eName("bad"), { exportable: true })],
      ["random bytes > 128", () => client.getRandomBytes(129)],
    ];
    for (const [label, attempt] of attempts) {
      const error = await expectRestError(attempt(), 400, "BadParameter").catch((e: unknown) => {
        throw new Error(`${label}: ${String(e)}`);
      });
      expect(error.message.length, label).toBeGreaterThan(10);
    }
  });

  it("bad JWKs on import", async () => {
    const { privateKey } = generateTestKeyPair("ec", { namedCurve: "P-256" });
    const jwk = privateKey.export({ format: "jwk" }) as Record<string, string>;
    const bytes = (text: string) => new Uint8Array(Buffer.from(text, "base64url"));
    const attempts = [
      // A point that is not on the curve.
      { kty: "EC" as const, crv: "P-256" as const, x: bytes(jwk["x"]!), y: randomBytes(32), d: bytes(jwk["d"]!) },
      // Coordinates of the wrong length for the curve.
      { kty: "EC" as const, crv: "P-384" as const, x: bytes(jwk["x"]!), y: bytes(jwk["y"]!), d: bytes(jwk["d"]!) },
      // An oct key of a size AES does not have.
      { kty: "oct" as const, k: randomBytes(7) },
      // An RSA key whose private parts do not match.
      {
        kty: "RSA" as const,
        n: randomBytes(256),
        e: new Uint8Array([1, 0, 1]),
        d: randomBytes(256),
        p: randomBytes(128),
        q: randomBytes(128),
      },
    ];
    for (const key of attempts) {
      await expectRestError(client.importKey(e2eName("badjwk"), key), 400, "BadParameter").catch((e: unknown) => {
        throw new Error(`${JSON.stringify(Object.keys(key))}: ${String(e)}`);
      });
    }
  });

  it("a tampered backup", async () => {
    const name = e2eName("tamper");
    await client.createEcKey(name);
    const backup = Buffer.from((await client.backupKey(name))!);
    await (await client.beginDeleteKey(name, poll)).pollUntilDone();
    await client.purgeDeletedKey(name);
    const tampered = Buffer.from(backup);
    tampered[tampered.length - 5] = tampered[tampered.length - 5]! ^ 0x01;
    for (const blob of [new Uint8Array(tampered), new Uint8Array(backup.subarray(0, 20)), randomBytes(64)]) {
      const error = await expectRestError(client.restoreKeyBackup(blob), 400, "BadParameter");
      expect(error.message).toBe("Backup blob contains invalid or corrupt version.");
    }
    const restored = await retryWhileBeingDeleted(() => client.restoreKeyBackup(new Uint8Array(backup)), afterPurge);
    expect(restored.name).toBe(name);
  });

  it("attestation of a software key", async () => {
    const name = e2eName("software");
    await client.createRsaKey(name);
    await expectRestError(client.getKeyAttestation(name), 400, "BadParameter");
  });

  it("a rotation policy with an expiry under 28 days", async () => {
    const name = e2eName("policy");
    await client.createEcKey(name);
    await expectRestError(
      client.updateKeyRotationPolicy(name, { expiresIn: "P1D", lifetimeActions: [] }),
      400,
      "BadParameter",
    );
  });
});

describe("403 Forbidden", () => {
  it("crypto on a disabled key, through a CryptographyClient that fetched the key while it was enabled", async () => {
    const name = e2eName("disabled");
    await client.createRsaKey(name);
    const crypto = client.getCryptographyClient(name);
    const digest = createHash("sha256").update("x").digest();
    await crypto.sign("RS256", digest); // fetches and caches the key while it is enabled
    await client.updateKeyProperties(name, { enabled: false });
    const error = await expectRestError(crypto.sign("RS256", digest), 403, "Forbidden");
    expect(error.message).toMatch(/disabled/i);
  });

  it("an operation not in key_ops, through a CryptographyClient that fetched the key before the change", async () => {
    const name = e2eName("keyops");
    await client.createRsaKey(name, { keyOps: ["sign", "verify", "decrypt"] });
    const crypto = client.getCryptographyClient(name);
    const digest = createHash("sha256").update("x").digest();
    await crypto.sign("RS256", digest);
    await client.updateKeyProperties(name, { keyOps: ["verify"] });
    await expectRestError(crypto.sign("RS256", digest), 403, "Forbidden");
    await expectRestError(crypto.decrypt({ algorithm: "RSA-OAEP", ciphertext: randomBytes(256) }), 403, "Forbidden");
  });

  it("a fresh CryptographyClient refuses before sending; the vault itself answers 403 to a raw request", async () => {
    const name = e2eName("refused");
    await client.createEcKey(name, { keyOps: ["verify"] });
    await expect(client.getCryptographyClient(name).sign("ES256", randomBytes(32))).rejects.toThrow();
    const raw = await rawPost(`/keys/${name}/sign`, { alg: "ES256", value: randomBytes(32).toString("base64url") });
    expect(raw.status).toBe(403);
    expect(raw.body.error?.code).toBe("Forbidden");

    await client.updateKeyProperties(name, { enabled: false, keyOps: ["sign", "verify"] });
    const disabled = await rawPost(`/keys/${name}/sign`, {
      alg: "ES256",
      value: randomBytes(32).toString("base64url"),
    });
    expect(disabled.status).toBe(403);
    expect(disabled.body.error?.code).toBe("Forbidden");
  });

  it("release of a key that is not exportable", async () => {
    const name = e2eName("noexport");
    await client.createRsaKey(name, { hsm: true });
    await expectRestError(client.releaseKey(name, "token"), 403, "Forbidden");
  });
});

describe("401", () => {
  it("a credential whose token the vault refuses", async () => {
    const name = e2eName("auth");
    await client.createEcKey(name);
    const refused = new KeyClient(vault.emulator.url, bogusCredential, vault.clientOptions);
    const error = await expectRestError(refused.getKey(name), 401, "Unauthorized");
    expect(error.message).toMatch(/AKV100/);
    await expectRestError(refused.createEcKey(e2eName("auth")), 401);
    await expectRestError(refused.listPropertiesOfKeys().next(), 401);
    await expectRestError(refused.getCryptographyClient(name).sign("ES256", randomBytes(32)), 401);
  });

  it("a credential with a token of another emulator", async () => {
    // Another emulator, only for its credential.
    const other = await startEmulator({ port: 0, https: false });
    try {
      const foreign = new KeyClient(vault.emulator.url, other.credential, vault.clientOptions);
      await expectRestError(foreign.getRandomBytes(8), 401, "Unauthorized");
    } finally {
      await other.close();
    }
  });
});
