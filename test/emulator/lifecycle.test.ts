import * as crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { EmulatorTestClient, startTestEmulator, uniqueName } from "../helpers/emulatorTestClient.js";
import { generateTestKeyPair } from "../helpers/cryptographyKeys.js";

let emulator: RunningEmulator;
let client: EmulatorTestClient;

beforeAll(async () => {
  ({ emulator, client } = await startTestEmulator());
});
afterAll(async () => {
  await emulator.close();
});

const releasePolicy = {
  contentType: "application/json; charset=utf-8",
  data: Buffer.from(
    JSON.stringify({
      version: "1.0.0",
      anyOf: [{ authority: "https://example.attest.azure.net", allOf: [{ claim: "x", equals: "y" }] }],
    }),
  ).toString("base64url"),
};

describe("backup and restore", () => {
  it("backs up every version and restores them after a purge; refuses restore over a live or deleted name", async () => {
    const name = uniqueName("backup");
    const v1 = await client.createKey(name, { kty: "RSA", tags: { v: "1" } });
    const v2 = await client.createKey(name, { kty: "RSA" });
    await client.request("PUT", `/keys/${name}/rotationpolicy`, {
      lifetimeActions: [],
      attributes: { expiryTime: "P60D" },
    });
    const backup = await client.post(`/keys/${name}/backup`);
    expect(backup.status).toBe(200);
    expect(backup.body.value).toMatch(/^[A-Za-z0-9_-]+$/);

    const conflict = await client.post("/keys/restore", { value: backup.body.value });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe("Conflict");
    expect(conflict.body.error.message).toContain(
      `There was a conflict restoring the key '${emulator.url}/keys/${name}'`,
    );

    await client.request("DELETE", `/keys/${name}`);
    await client.pollUntil(`/deletedkeys/${name}`, 200);
    const whileDeleted = await client.post("/keys/restore", { value: backup.body.value });
    expect(whileDeleted.status).toBe(409);
    expect(whileDeleted.body.error.innererror).toEqual({ code: "ObjectIsDeletedButRecoverable" });
    expect((await client.request("DELETE", `/deletedkeys/${name}`)).status).toBe(204);

    const restored = await client.retryWhileBeingDeleted("POST", "/keys/restore", { value: backup.body.value });
    expect(restored.status).toBe(200);
    expect(restored.body.key.kid).toBe(v2.body.key.kid);
    expect(restored.body.key.n).toBe(v2.body.key.n);
    expect((await client.get(new URL(v1.body.key.kid).pathname)).body).toEqual(v1.body);
    expect((await client.get(`/keys/${name}/rotationpolicy`)).body.attributes.expiryTime).toBe("P60D");
    // the restored private key still works
    const digest = crypto.createHash("sha256").update("x").digest().toString("base64url");
    expect((await client.post(`/keys/${name}/sign`, { alg: "RS256", value: digest })).status).toBe(200);
  });

  it("answers 400 for a tampered, truncated or foreign blob", async () => {
    const name = uniqueName("tamper");
    await client.createKey(name, { kty: "EC" });
    const { value } = (await client.post(`/keys/${name}/backup`)).body as { value: string };
    const bytes = Buffer.from(value, "base64url");
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0xff;
    const other = await startEmulator({ https: false });
    const otherClient = new EmulatorTestClient(other);
    try {
      const foreign = (await otherClient.post(`/keys/${name}-x/create`, { kty: "EC" }),
      await otherClient.post(`/keys/${name}-x/backup`)).body.value;
      for (const blob of [bytes.toString("base64url"), value.slice(0, 40), "not base64!", foreign, 42]) {
        const response = await client.post("/keys/restore", { value: blob });
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe("BadParameter");
      }
    } finally {
      await other.close();
    }
  });

  it("restores into another instance that shares the backupKey", async () => {
    const backupKey = crypto.randomBytes(32);
    const a = await startEmulator({ https: false, backupKey });
    const b = await startEmulator({ https: false, backupKey });
    try {
      const clientA = new EmulatorTestClient(a);
      const clientB = new EmulatorTestClient(b);
      await clientA.createKey("shared", { kty: "EC" });
      const blob = (await clientA.post("/keys/shared/backup")).body.value;
      const restored = await clientB.post("/keys/restore", { value: blob });
      expect(restored.status).toBe(200);
      expect(restored.body.key.kid.startsWith(`${b.url}/keys/shared/`)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("rotation", () => {
  it("answers the default policy for a key that never had one, stores a policy with the default Notify added, and rotates", async () => {
    const name = uniqueName("rotate");
    const created = await client.createKey(name, {
      kty: "RSA",
      key_size: 3072,
      key_ops: ["sign", "verify"],
      tags: { a: "b" },
    });
    const initial = await client.get(`/keys/${name}/rotationpolicy`);
    expect(initial.body).toEqual({
      id: `${emulator.url}/keys/${name}/rotationpolicy`,
      lifetimeActions: [{ trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } }],
      attributes: { created: expect.any(Number), updated: expect.any(Number) },
    });
    const put = await client.request("PUT", `/keys/${name}/rotationpolicy`, {
      lifetimeActions: [{ trigger: { timeAfterCreate: "P30D" }, action: { type: "rotate" } }],
      attributes: { expiryTime: "P90D" },
    });
    expect(put.status).toBe(200);
    expect(put.body.lifetimeActions).toEqual([
      { trigger: { timeAfterCreate: "P30D" }, action: { type: "Rotate" } },
      { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } },
    ]);
    expect(put.body.attributes.expiryTime).toBe("P90D");
    expect((await client.get(`/keys/${name}/rotationpolicy`)).body).toEqual(put.body);

    const rotated = await client.post(`/keys/${name}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.key.kid).not.toBe(created.body.key.kid);
    expect(rotated.body.key.n).not.toBe(created.body.key.n);
    expect(rotated.body.key.key_ops).toEqual(["sign", "verify"]);
    expect(rotated.body.attributes.key_size).toBe(3072);
    expect(rotated.body.tags).toEqual({ a: "b" });
    expect(rotated.body.attributes.exp - rotated.body.attributes.created).toBe(90 * 86400);
    expect((await client.get(`/keys/${name}/versions`)).body.value).toHaveLength(2);
    expect((await client.post(`/keys/${uniqueName("missing")}/rotate`)).status).toBe(404);
  });

  it("refuses invalid rotation policies with 400", async () => {
    const name = uniqueName("policy");
    await client.createKey(name, { kty: "EC" });
    const invalid: unknown[] = [
      { lifetimeActions: [{ trigger: { timeAfterCreate: "30 days" }, action: { type: "Rotate" } }] },
      { lifetimeActions: [{ trigger: {}, action: { type: "Rotate" } }] },
      {
        lifetimeActions: [{ trigger: { timeAfterCreate: "P1D", timeBeforeExpiry: "P1D" }, action: { type: "Rotate" } }],
      },
      { lifetimeActions: [{ trigger: { timeAfterCreate: "P1D" }, action: { type: "Explode" } }] },
      { lifetimeActions: "nope" },
      { attributes: { expiryTime: "P1D" } },
    ];
    for (const body of invalid) {
      const response = await client.request("PUT", `/keys/${name}/rotationpolicy`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe("release and attestation", () => {
  it("releases an exportable key as a JWS signed by the emulator certificate, wrapped for a runtime key", async () => {
    const name = uniqueName("release");
    const created = await client.createKey(name, {
      kty: "EC-HSM",
      attributes: { exportable: true },
      release_policy: releasePolicy,
    });
    expect(created.body.release_policy).toEqual({ ...releasePolicy, immutable: false });
    expect(created.body.attributes.exportable).toBe(true);

    const clear = await client.post(`${new URL(created.body.key.kid).pathname}/release`, { target: "any-token" });
    expect(clear.status).toBe(200);
    const [header, payload, signature] = (clear.body.value as string).split(".");
    const headerJson = JSON.parse(Buffer.from(header ?? "", "base64url").toString());
    expect(headerJson.alg).toBe("RS256");
    const certificate = new crypto.X509Certificate(Buffer.from(headerJson.x5c[0], "base64"));
    expect(
      crypto.verify(
        "sha256",
        Buffer.from(`${header}.${payload}`),
        certificate.publicKey,
        Buffer.from(signature ?? "", "base64url"),
      ),
    ).toBe(true);
    const released = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    expect(released.response.key.key.kid).toBe(created.body.key.kid);
    expect(typeof released.response.key.key.d).toBe("string");

    const runtime = generateTestKeyPair("rsa", { modulusLength: 2048 });
    const runtimeJwk = runtime.publicKey.export({ format: "jwk" });
    const target = [
      Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url"),
      Buffer.from(JSON.stringify({ "x-ms-runtime": { keys: [{ ...runtimeJwk, kid: "tpm" }] } })).toString("base64url"),
      "sig",
    ].join(".");
    const wrapped = await client.post(`/keys/${name}/release`, { target, enc: "RSA_AES_KEY_WRAP_256", nonce: "n1" });
    const wrappedPayload = JSON.parse(Buffer.from(wrapped.body.value.split(".")[1], "base64url").toString());
    expect(wrappedPayload.request).toMatchObject({ enc: "RSA_AES_KEY_WRAP_256", nonce: "n1" });
    const releasedKey = wrappedPayload.response.key.key;
    expect(releasedKey.d).toBeUndefined();
    const envelope = JSON.parse(Buffer.from(releasedKey.key_hsm, "base64url").toString());
    const ciphertext = Buffer.from(envelope.ciphertext, "base64url");
    const aesKey = crypto.privateDecrypt(
      { key: runtime.privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      ciphertext.subarray(0, 256),
    );
    const decipher = crypto.createDecipheriv("id-aes256-wrap-pad", aesKey, Buffer.from("a65959a6", "hex"));
    const pkcs8 = Buffer.concat([decipher.update(ciphertext.subarray(256)), decipher.final()]);
    const privateKey = crypto.createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
    expect(privateKey.export({ format: "jwk" }).x).toBe(created.body.key.x);
  });

  it("refuses release of a non-exportable key (403) and without a target (400)", async () => {
    const name = uniqueName("norelease");
    await client.createKey(name, { kty: "RSA" });
    const refused = await client.post(`/keys/${name}/release`, { target: "token" });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("Forbidden");
    expect((await client.post(`/keys/${name}/release`, {})).status).toBe(400);
  });

  it("answers attestation blobs for HSM keys and 400 for software keys", async () => {
    const hsm = await client.createKey(uniqueName("attest"), { kty: "RSA-HSM" });
    const attested = await client.get(`${new URL(hsm.body.key.kid).pathname}/attestation`);
    expect(attested.status).toBe(200);
    expect(attested.body.key).toEqual(hsm.body.key);
    expect(Object.keys(attested.body.attributes.attestation).sort()).toEqual([
      "certificatePemFile",
      "privateKeyAttestation",
      "publicKeyAttestation",
      "version",
    ]);
    expect(Buffer.from(attested.body.attributes.attestation.certificatePemFile, "base64url").toString()).toContain(
      "BEGIN CERTIFICATE",
    );
    const software = await client.createKey(uniqueName("attest-sw"), { kty: "RSA" });
    const refused = await client.get(`${new URL(software.body.key.kid).pathname}/attestation`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("BadParameter");
  });
});
