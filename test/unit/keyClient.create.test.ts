import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiVersion, createTestClient, mockVault, resetNock, restoreNock, VAULT_URL } from "../helpers/mockVault.js";
import { keyBundle, octJwk, rsaJwk, VERSION } from "../helpers/wire.js";
import { expectKeyMatchesWire } from "../helpers/wireAssertions.js";

beforeEach(resetNock);
afterEach(restoreNock);

const notBefore = new Date("2030-01-02T03:04:05Z");
const expiresOn = new Date("2031-01-02T03:04:05Z");

describe("createKey", () => {
  it("sends every option to POST /keys/{name}/create and maps the answer", async () => {
    const vault = mockVault();
    const answer = keyBundle("my-key", {
      tags: { team: "payments" },
      attributes: { nbf: notBefore.getTime() / 1000, exp: expiresOn.getTime() / 1000 },
    });
    vault.scope.post("/keys/my-key/create").query(apiVersion()).reply(200, answer);
    const { client } = createTestClient();

    const key = await client.createKey("my-key", "EC", {
      curve: "P-256",
      keyOps: ["sign", "verify"],
      enabled: true,
      notBefore,
      expiresOn,
      exportable: false,
      tags: { team: "payments" },
      releasePolicy: {
        contentType: "application/json; charset=utf-8",
        immutable: true,
        encodedPolicy: new Uint8Array([1, 2, 3]),
      },
    });

    const request = vault.last();
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/keys/my-key/create");
    expect(request.query).toEqual({ "api-version": "2025-07-01" });
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.body).toEqual({
      kty: "EC",
      crv: "P-256",
      key_ops: ["sign", "verify"],
      attributes: { enabled: true, nbf: 1893553445, exp: 1925089445, exportable: false },
      tags: { team: "payments" },
      release_policy: { contentType: "application/json; charset=utf-8", immutable: true, data: "AQID" },
    });
    expectKeyMatchesWire(key, answer);
    expect(key.properties.createdOn).toBeInstanceOf(Date);
    expect(key.properties.notBefore?.getTime()).toBe(notBefore.getTime());
    expect(key.key?.x).toBeInstanceOf(Uint8Array);
    expect(key.name).toBe("my-key");
    expect(key.properties.version).toBe(VERSION);
    expect(key.properties.vaultUrl).toBe(VAULT_URL);
  });

  it("sends only kty when no option is given", async () => {
    const vault = mockVault();
    vault.scope.post("/keys/plain/create").query(apiVersion()).reply(200, keyBundle("plain"));
    const { client } = createTestClient();
    await client.createKey("plain", "EC");
    expect(vault.last().body).toEqual({ kty: "EC" });
  });

  it("hsm: true turns the key type into its -HSM form", async () => {
    const vault = mockVault();
    vault.scope
      .post("/keys/hsm-key/create")
      .query(apiVersion())
      .times(2)
      .reply(200, keyBundle("hsm-key", { key: rsaJwk("hsm-key", VERSION, "RSA-HSM") }));
    const { client } = createTestClient();
    const key = await client.createKey("hsm-key", "RSA", { hsm: true, keySize: 2048 });
    expect(vault.last().body).toEqual({ kty: "RSA-HSM", key_size: 2048 });
    expect(key.keyType).toBe("RSA-HSM");
    await client.createKey("hsm-key", "RSA-HSM", { hsm: true });
    expect(vault.last().body).toEqual({ kty: "RSA-HSM" });
  });

  it("refuses a missing key type before any request", async () => {
    const vault = mockVault();
    const { client } = createTestClient();
    await expect(client.createKey("k", "")).rejects.toThrow(/keyType/);
    expect(vault.requests).toHaveLength(0);
  });
});

describe("createEcKey", () => {
  it("sends kty EC with the curve", async () => {
    const vault = mockVault();
    const answer = keyBundle("ec");
    vault.scope.post("/keys/ec/create").query(apiVersion()).reply(200, answer);
    const { client } = createTestClient();
    const key = await client.createEcKey("ec", { curve: "P-384" });
    expect(vault.last().body).toEqual({ kty: "EC", crv: "P-384" });
    expectKeyMatchesWire(key, answer);
  });

  it("sends EC-HSM with hsm: true", async () => {
    const vault = mockVault();
    vault.scope.post("/keys/ec/create").query(apiVersion()).reply(200, keyBundle("ec"));
    const { client } = createTestClient();
    await client.createEcKey("ec", { hsm: true, curve: "P-256K" });
    expect(vault.last().body).toEqual({ kty: "EC-HSM", crv: "P-256K" });
  });
});

describe("createRsaKey", () => {
  it("sends key_size and public_exponent", async () => {
    const vault = mockVault();
    const answer = keyBundle("rsa", { key: rsaJwk("rsa") });
    vault.scope.post("/keys/rsa/create").query(apiVersion()).reply(200, answer);
    const { client } = createTestClient();
    const key = await client.createRsaKey("rsa", { keySize: 3072, publicExponent: 65537 });
    expect(vault.last().body).toEqual({ kty: "RSA", key_size: 3072, public_exponent: 65537 });
    expectKeyMatchesWire(key, answer);
    expect(key.key?.n).toBeInstanceOf(Uint8Array);
    expect(Array.from(key.key!.e!)).toEqual([1, 0, 1]);
  });

  it("sends RSA-HSM with hsm: true", async () => {
    const vault = mockVault();
    vault.scope
      .post("/keys/rsa/create")
      .query(apiVersion())
      .reply(200, keyBundle("rsa", { key: rsaJwk("rsa", VERSION, "RSA-HSM") }));
    const { client } = createTestClient();
    await client.createRsaKey("rsa", { hsm: true });
    expect(vault.last().body).toEqual({ kty: "RSA-HSM" });
  });
});

describe("createOctKey", () => {
  it("sends oct, or oct-HSM with hsm: true", async () => {
    const vault = mockVault();
    vault.scope
      .post("/keys/aes/create")
      .query(apiVersion())
      .times(2)
      .reply(200, keyBundle("aes", { key: octJwk("aes", VERSION, "oct-HSM") }));
    const { client } = createTestClient();
    await client.createOctKey("aes", { keySize: 128 });
    expect(vault.last().body).toEqual({ kty: "oct", key_size: 128 });
    const key = await client.createOctKey("aes", { keySize: 256, hsm: true });
    expect(vault.last().body).toEqual({ kty: "oct-HSM", key_size: 256 });
    expect(key.keyType).toBe("oct-HSM");
  });
});

describe("importKey", () => {
  const jwk = {
    kty: "RSA",
    keyOps: ["sign", "verify"],
    n: new Uint8Array([0xa0, 0x91, 0x4d]),
    e: new Uint8Array([1, 0, 1]),
    d: new Uint8Array([9, 8, 7]),
    p: new Uint8Array([5]),
    q: new Uint8Array([6]),
    dp: new Uint8Array([7]),
    dq: new Uint8Array([8]),
    qi: new Uint8Array([9]),
  };

  it("PUTs the key as base64url with every option", async () => {
    const vault = mockVault();
    const answer = keyBundle("imported", { key: rsaJwk("imported"), tags: { a: "b" } });
    vault.scope.put("/keys/imported").query(apiVersion()).reply(200, answer);
    const { client } = createTestClient();
    const key = await client.importKey("imported", jwk, {
      hardwareProtected: true,
      enabled: false,
      notBefore,
      expiresOn,
      exportable: true,
      tags: { a: "b" },
    });
    const request = vault.last();
    expect(request.method).toBe("PUT");
    expect(request.path).toBe("/keys/imported");
    expect(request.body).toEqual({
      key: {
        kty: "RSA",
        key_ops: ["sign", "verify"],
        n: "oJFN",
        e: "AQAB",
        d: "CQgH",
        p: "BQ",
        q: "Bg",
        dp: "Bw",
        dq: "CA",
        qi: "CQ",
      },
      Hsm: true,
      attributes: { enabled: false, nbf: 1893553445, exp: 1925089445, exportable: true },
      tags: { a: "b" },
    });
    expectKeyMatchesWire(key, answer);
  });

  it("sends just the key when no option is given", async () => {
    const vault = mockVault();
    vault.scope
      .put("/keys/imported")
      .query(apiVersion())
      .reply(200, keyBundle("imported", { key: rsaJwk("imported") }));
    const { client } = createTestClient();
    await client.importKey("imported", { kty: "oct", k: new Uint8Array([1, 2, 3, 4]) });
    expect(vault.last().body).toEqual({ key: { kty: "oct", k: "AQIDBA" } });
  });

  it("refuses a JWK without its required fields before any request, naming the field", async () => {
    const vault = mockVault();
    const { client } = createTestClient();
    await expect(client.importKey("k", { kty: "RSA", e: new Uint8Array([1, 0, 1]) })).rejects.toThrow(/key\.n/);
    await expect(client.importKey("k", { kty: "EC", crv: "P-256", x: new Uint8Array([1]) })).rejects.toThrow(/key\.y/);
    await expect(client.importKey("k", { n: new Uint8Array([1]) })).rejects.toThrow(/key\.kty/);
    await expect(client.importKey("k", { kty: "oct", k: "AQID" } as never)).rejects.toThrow(/key\.k/);
    expect(vault.requests).toHaveLength(0);
  });
});
