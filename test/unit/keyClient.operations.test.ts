import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CryptographyClient } from "../../src/index.js";
import { apiVersion, createTestClient, mockVault, resetNock, restoreNock, VAULT_URL } from "../helpers/mockVault.js";
import { b64u, deletedKeyBundle, keyBundle, rsaJwk, VERSION } from "../helpers/wire.js";
import {
  expectDeletedKeyMatchesWire,
  expectKeyMatchesWire,
  expectRotationPolicyMatchesWire,
} from "../helpers/wireAssertions.js";

beforeEach(resetNock);
afterEach(restoreNock);

describe("getKey", () => {
  it("gets the latest version from GET /keys/{name}/", async () => {
    const vault = mockVault();
    const answer = keyBundle("k", { key: rsaJwk("k"), tags: { a: "1" } });
    vault.scope.get("/keys/k/").query(apiVersion()).reply(200, answer);
    const { client } = createTestClient();
    const key = await client.getKey("k");
    expect(vault.last()).toMatchObject({
      method: "GET",
      path: "/keys/k/",
      query: { "api-version": "2025-07-01" },
      rawBody: "",
    });
    expectKeyMatchesWire(key, answer);
  });

  it("gets a version from GET /keys/{name}/{version}", async () => {
    const vault = mockVault();
    const answer = keyBundle("k", { version: "0123abcd" });
    vault.scope.get("/keys/k/0123abcd").query(apiVersion()).reply(200, answer);
    const { client } = createTestClient();
    const key = await client.getKey("k", { version: "0123abcd" });
    expect(vault.last().path).toBe("/keys/k/0123abcd");
    expect(key.properties.version).toBe("0123abcd");
    expectKeyMatchesWire(key, answer);
  });
});

describe("getDeletedKey", () => {
  it("gets GET /deletedkeys/{name} with deletion facts as Dates", async () => {
    const vault = mockVault();
    const answer = deletedKeyBundle("gone", { tags: { t: "v" } });
    vault.scope.get("/deletedkeys/gone").query(apiVersion()).reply(200, answer);
    const { client } = createTestClient();
    const deleted = await client.getDeletedKey("gone");
    expect(vault.last()).toMatchObject({ method: "GET", path: "/deletedkeys/gone" });
    expectDeletedKeyMatchesWire(deleted, answer);
    expect(deleted.deletedDate).toBeInstanceOf(Date);
    expect(deleted.properties.scheduledPurgeDate).toBeInstanceOf(Date);
  });
});

describe("getKeyAttestation", () => {
  it("GETs /keys/{name}[/{version}]/attestation and maps the attestation bytes", async () => {
    const vault = mockVault();
    const attestation = {
      certificatePemFile: b64u(new Uint8Array([1, 2])),
      privateKeyAttestation: b64u(new Uint8Array([3])),
      publicKeyAttestation: b64u(new Uint8Array([4, 5])),
      version: "1.0",
    };
    const answer = keyBundle("hsm", { attributes: { attestation } });
    vault.scope.get("/keys/hsm/attestation").query(apiVersion()).reply(200, answer);
    vault.scope.get("/keys/hsm/v1/attestation").query(apiVersion()).reply(200, answer);
    const { client } = createTestClient();
    const key = await client.getKeyAttestation("hsm");
    expect(vault.last().path).toBe("/keys/hsm/attestation");
    expect(Array.from(key.properties.attestation!.certificatePemFile!)).toEqual([1, 2]);
    expect(Array.from(key.properties.attestation!.privateKeyAttestation!)).toEqual([3]);
    expect(Array.from(key.properties.attestation!.publicKeyAttestation!)).toEqual([4, 5]);
    expect(key.properties.attestation!.version).toBe("1.0");
    await client.getKeyAttestation("hsm", { version: "v1" });
    expect(vault.last().path).toBe("/keys/hsm/v1/attestation");
  });
});

describe("updateKeyProperties", () => {
  const expiresOn = new Date("2050-01-01T00:00:00Z");

  it("PATCHes a given version with the body built from the options", async () => {
    const vault = mockVault();
    const answer = keyBundle("k", {
      attributes: { enabled: false, exp: expiresOn.getTime() / 1000 },
      tags: { foo: "updated tag" },
    });
    vault.scope.patch(`/keys/k/${VERSION}`).query(apiVersion()).reply(200, answer);
    const { client } = createTestClient();
    const key = await client.updateKeyProperties("k", VERSION, {
      enabled: false,
      expiresOn,
      keyOps: ["decrypt", "encrypt"],
      tags: { foo: "updated tag" },
      releasePolicy: { immutable: true },
    });
    expect(vault.last()).toMatchObject({ method: "PATCH", path: `/keys/k/${VERSION}` });
    expect(vault.last().body).toEqual({
      key_ops: ["decrypt", "encrypt"],
      attributes: { enabled: false, exp: 2524608000 },
      tags: { foo: "updated tag" },
      release_policy: { immutable: true },
    });
    expectKeyMatchesWire(key, answer);
  });

  it("PATCHes the latest version (/keys/{name}/) when no version is given", async () => {
    const vault = mockVault();
    vault.scope.patch("/keys/k/").query(apiVersion()).reply(200, keyBundle("k"));
    const { client } = createTestClient();
    await client.updateKeyProperties("k", { tags: { a: "b" } });
    expect(vault.last()).toMatchObject({ method: "PATCH", path: "/keys/k/", body: { tags: { a: "b" } } });
  });
});

describe("purgeDeletedKey", () => {
  it("DELETEs /deletedkeys/{name} and resolves on 204", async () => {
    const vault = mockVault();
    vault.scope.delete("/deletedkeys/gone").query(apiVersion()).reply(204);
    const { client } = createTestClient();
    await expect(client.purgeDeletedKey("gone")).resolves.toBeUndefined();
    expect(vault.last()).toMatchObject({ method: "DELETE", path: "/deletedkeys/gone", rawBody: "" });
  });
});

describe("backupKey and restoreKeyBackup", () => {
  const blob = new Uint8Array(Buffer.from("&AzureKeyVaultKeyBackupV1.microsoft.com" + "x".repeat(40)));

  it("backupKey POSTs /keys/{name}/backup and returns the blob's bytes", async () => {
    const vault = mockVault();
    vault.scope
      .post("/keys/k/backup")
      .query(apiVersion())
      .reply(200, { value: b64u(blob) });
    const { client } = createTestClient();
    const backup = await client.backupKey("k");
    expect(vault.last()).toMatchObject({ method: "POST", path: "/keys/k/backup", rawBody: "" });
    expect(backup).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(backup!).equals(Buffer.from(blob))).toBe(true);
  });

  it("restoreKeyBackup POSTs /keys/restore with the blob as base64url", async () => {
    const vault = mockVault();
    const answer = keyBundle("k");
    vault.scope.post("/keys/restore").query(apiVersion()).reply(200, answer);
    const { client } = createTestClient();
    const key = await client.restoreKeyBackup(blob);
    expect(vault.last()).toMatchObject({ method: "POST", path: "/keys/restore", body: { value: b64u(blob) } });
    expectKeyMatchesWire(key, answer);
  });

  it("restoreKeyBackup refuses an empty backup before any request", async () => {
    const { client } = createTestClient();
    await expect(client.restoreKeyBackup(new Uint8Array())).rejects.toThrow(/backup/);
  });
});

describe("rotateKey and rotation policies", () => {
  const policyWire = {
    id: `${VAULT_URL}/keys/k/rotationpolicy`,
    lifetimeActions: [
      { trigger: { timeAfterCreate: "P30D" }, action: { type: "Rotate" } },
      { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } },
    ],
    attributes: { expiryTime: "P90D", created: 1716900000, updated: 1716900001 },
  };

  it("rotateKey POSTs /keys/{name}/rotate", async () => {
    const vault = mockVault();
    const answer = keyBundle("k", { version: "new0version" });
    vault.scope.post("/keys/k/rotate").query(apiVersion()).reply(200, answer);
    const { client } = createTestClient();
    const key = await client.rotateKey("k");
    expect(vault.last()).toMatchObject({ method: "POST", path: "/keys/k/rotate", rawBody: "" });
    expectKeyMatchesWire(key, answer);
  });

  it("getKeyRotationPolicy GETs /keys/{name}/rotationpolicy and maps dates and actions", async () => {
    const vault = mockVault();
    vault.scope
      .get("/keys/k/rotationpolicy")
      .query(apiVersion())
      .reply(200, {
        ...policyWire,
        lifetimeActions: [{ trigger: { timeAfterCreate: "P30D" }, action: { type: "rotate" } }],
      });
    const { client } = createTestClient();
    const policy = await client.getKeyRotationPolicy("k");
    expect(vault.last()).toMatchObject({ method: "GET", path: "/keys/k/rotationpolicy" });
    expect(policy).toEqual({
      id: `${VAULT_URL}/keys/k/rotationpolicy`,
      expiresIn: "P90D",
      createdOn: new Date(1716900000 * 1000),
      updatedOn: new Date(1716900001 * 1000),
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P30D" }],
    });
  });

  it("updateKeyRotationPolicy PUTs the policy in wire form", async () => {
    const vault = mockVault();
    vault.scope.put("/keys/k/rotationpolicy").query(apiVersion()).reply(200, policyWire);
    const { client } = createTestClient();
    const policy = await client.updateKeyRotationPolicy("k", {
      expiresIn: "P90D",
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P30D" }],
    });
    expect(vault.last()).toMatchObject({ method: "PUT", path: "/keys/k/rotationpolicy" });
    expect(vault.last().body).toEqual({
      lifetimeActions: [{ trigger: { timeAfterCreate: "P30D" }, action: { type: "Rotate" } }],
      attributes: { expiryTime: "P90D" },
    });
    expectRotationPolicyMatchesWire(policy, policyWire);
  });
});

describe("getRandomBytes", () => {
  it("POSTs /rng with the count and returns the bytes", async () => {
    const vault = mockVault();
    vault.scope
      .post("/rng")
      .query(apiVersion())
      .reply(200, { value: b64u(new Uint8Array([1, 2, 3, 250])) });
    const { client } = createTestClient();
    const bytes = await client.getRandomBytes(4);
    expect(vault.last()).toMatchObject({ method: "POST", path: "/rng", body: { count: 4 } });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(bytes)).toEqual([1, 2, 3, 250]);
  });

  it("refuses a count that is not a positive integer", async () => {
    const { client } = createTestClient();
    await expect(client.getRandomBytes(0)).rejects.toThrow(RangeError);
    await expect(client.getRandomBytes(1.5)).rejects.toThrow(RangeError);
  });
});

describe("releaseKey", () => {
  it("POSTs /keys/{name}[/{version}]/release with target, nonce and enc", async () => {
    const vault = mockVault();
    vault.scope.post("/keys/k/v2/release").query(apiVersion()).reply(200, { value: "eyJhbGciOiJSUzI1NiJ9.e30.sig" });
    vault.scope.post("/keys/k/release").query(apiVersion()).reply(200, { value: "latest" });
    const { client } = createTestClient();
    const result = await client.releaseKey("k", "attestation-token", {
      version: "v2",
      nonce: "n0nce",
      algorithm: "RSA_AES_KEY_WRAP_256",
    });
    expect(vault.last()).toMatchObject({
      method: "POST",
      path: "/keys/k/v2/release",
      body: { target: "attestation-token", nonce: "n0nce", enc: "RSA_AES_KEY_WRAP_256" },
    });
    expect(result).toEqual({ value: "eyJhbGciOiJSUzI1NiJ9.e30.sig" });
    await expect(client.releaseKey("k", "t")).resolves.toEqual({ value: "latest" });
    expect(vault.last()).toMatchObject({ path: "/keys/k/release", body: { target: "t" } });
  });

  it("refuses an empty attestation token", async () => {
    const { client } = createTestClient();
    await expect(client.releaseKey("k", "")).rejects.toThrow(/targetAttestationToken/);
  });
});

describe("getCryptographyClient", () => {
  it("returns a CryptographyClient for the key (and version) without any request", () => {
    const vault = mockVault();
    const { client } = createTestClient();
    const crypto = client.getCryptographyClient("k");
    expect(crypto).toBeInstanceOf(CryptographyClient);
    expect(crypto.keyID).toBe(`${VAULT_URL}/keys/k`);
    const versioned = client.getCryptographyClient("k", { keyVersion: VERSION });
    expect(versioned.keyID).toBe(`${VAULT_URL}/keys/k/${VERSION}`);
    expect(vault.requests).toHaveLength(0);
  });

  it("refuses an invalid name or version", () => {
    const { client } = createTestClient();
    expect(() => client.getCryptographyClient("a/b")).toThrow(/keyName/);
    expect(() => client.getCryptographyClient("k", { keyVersion: "../x" })).toThrow(/keyVersion/);
  });
});
