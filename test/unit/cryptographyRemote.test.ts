/**
 * The CryptographyClient on the wire, with nock: exact paths and bodies, which operations run locally
 * once the public key is known, the one GET of an id-only key and its 403 fallback, local key checks,
 * errors, abort, and input checks that fail before any request.
 */
import { createHash, randomBytes } from "node:crypto";
import { RestError } from "@azure/core-rest-pipeline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CryptographyClient, KeyVaultKey, type CryptographyClientOptions } from "../../src/index.js";
import { FakeCredential } from "../helpers/fakeCredential.js";
import { FAST_RETRY, VAULT_URL, apiVersion, mockVault, resetNock, restoreNock } from "../helpers/mockVault.js";
import { VERSION, keyBundle, kidOf, octJwk, rsaJwk } from "../helpers/wire.js";
import { b64, ecTestKey, rsaTestKey } from "../helpers/cryptographyKeys.js";

beforeEach(resetNock);
afterEach(restoreNock);

const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url");
const options: CryptographyClientOptions = { retryOptions: FAST_RETRY };
const client = (key: string | KeyVaultKey): CryptographyClient =>
  new CryptographyClient(key, new FakeCredential(), options);
const kid = kidOf("k");

describe("an id-only client", () => {
  it("gets the key once, then signs in the vault with the exact body, mapping the answer", async () => {
    const vault = mockVault();
    vault.scope
      .get(`/keys/k/${VERSION}`)
      .query(apiVersion())
      .reply(200, keyBundle("k", { key: rsaJwk("k") }));
    const signature = randomBytes(256);
    vault.scope
      .post(`/keys/k/${VERSION}/sign`)
      .query(apiVersion())
      .twice()
      .reply(200, { kid, value: b64u(signature) });
    const crypto = client(kid);
    expect(crypto.vaultUrl).toBe(VAULT_URL);
    const digest = randomBytes(32);
    const result = await crypto.sign("RS256", digest);
    expect(result).toEqual({ algorithm: "RS256", result: Buffer.from(signature), keyID: kid });
    expect(vault.last().body).toEqual({ alg: "RS256", value: b64u(digest) });
    await crypto.sign("RS256", digest);
    expect(vault.authorized().map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /keys/k/${VERSION}`,
      `POST /keys/k/${VERSION}/sign`,
      `POST /keys/k/${VERSION}/sign`,
    ]);
  });

  it("without a version: GET /keys/k/ and operations on /keys/k//<op> (the latest version, as the official client sends it); keyID becomes the versioned kid", async () => {
    const vault = mockVault();
    vault.scope
      .get("/keys/k/")
      .query(apiVersion())
      .reply(200, keyBundle("k", { key: octJwk("k", VERSION, "oct-HSM") }));
    const tag = randomBytes(16);
    const iv = randomBytes(12);
    vault.scope
      .post("/keys/k//encrypt")
      .query(apiVersion())
      .reply(200, { kid, value: "AQID", iv: b64u(iv), tag: b64u(tag), aad: "BAU" });
    const crypto = client(`${VAULT_URL}/keys/k`);
    expect(crypto.keyID).toBe(`${VAULT_URL}/keys/k`);
    const result = await crypto.encrypt({
      algorithm: "A256GCM",
      plaintext: Buffer.from("hi"),
      additionalAuthenticatedData: new Uint8Array([4, 5]),
    });
    expect(vault.last().body).toEqual({ alg: "A256GCM", value: "aGk", aad: "BAU" });
    expect(result).toEqual({
      algorithm: "A256GCM",
      result: Buffer.from([1, 2, 3]),
      keyID: kid,
      iv: Buffer.from(iv),
      authenticationTag: Buffer.from(tag),
      additionalAuthenticatedData: Buffer.from([4, 5]),
    });
    expect(crypto.keyID).toBe(kid);
    expect(vault.authorized().map((r) => `${r.method} ${r.path}`)).toEqual(["GET /keys/k/", "POST /keys/k//encrypt"]);
  });

  it("falls back to the vault for everything when GET answers 403, and does not ask again", async () => {
    const vault = mockVault();
    vault.scope
      .get(`/keys/k/${VERSION}`)
      .query(apiVersion())
      .reply(403, { error: { code: "Forbidden", message: "no get" } });
    vault.scope.post(`/keys/k/${VERSION}/encrypt`).query(apiVersion()).reply(200, { kid, value: "AQID" });
    vault.scope.post(`/keys/k/${VERSION}/verify`).query(apiVersion()).reply(200, { value: true });
    const crypto = client(kid);
    expect((await crypto.encrypt("RSA-OAEP", Buffer.from("x"))).result).toEqual(Buffer.from([1, 2, 3]));
    const data = Buffer.from("document");
    const verified = await crypto.verifyData("ES384", data, new Uint8Array(96));
    expect(verified).toEqual({ result: true, keyID: kid });
    expect(vault.last().body).toEqual({
      alg: "ES384",
      digest: b64u(createHash("sha384").update(data).digest()),
      value: b64u(new Uint8Array(96)),
    });
    expect(vault.authorized().filter((r) => r.method === "GET")).toHaveLength(1);
  });

  it("passes on other GET failures as RestError, and tries the GET again next time", async () => {
    const vault = mockVault();
    vault.scope
      .get(`/keys/k/${VERSION}`)
      .query(apiVersion())
      .reply(404, { error: { code: "KeyNotFound", message: "A key with (name/id) k was not found" } });
    vault.scope
      .get(`/keys/k/${VERSION}`)
      .query(apiVersion())
      .reply(200, keyBundle("k", { key: rsaJwk("k") }));
    vault.scope.post(`/keys/k/${VERSION}/decrypt`).query(apiVersion()).reply(200, { kid, value: "aGk" });
    const crypto = client(kid);
    const error = await crypto
      .decrypt({ algorithm: "RSA-OAEP-256", ciphertext: new Uint8Array(256) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestError);
    expect(error).toMatchObject({ statusCode: 404, code: "KeyNotFound" });
    expect((await crypto.decrypt({ algorithm: "RSA-OAEP-256", ciphertext: new Uint8Array(256) })).result).toEqual(
      Buffer.from("hi"),
    );
  });

  it("shares one GET between concurrent first operations", async () => {
    const vault = mockVault();
    vault.scope
      .get(`/keys/k/${VERSION}`)
      .query(apiVersion())
      .reply(200, keyBundle("k", { key: octJwk("k", VERSION, "oct-HSM") }));
    vault.scope.post(`/keys/k/${VERSION}/wrapkey`).query(apiVersion()).times(3).reply(200, { kid, value: "AQID" });
    const crypto = client(kid);
    await Promise.all([1, 2, 3].map(() => crypto.wrapKey("A256KW", new Uint8Array(32))));
    expect(vault.authorized().filter((r) => r.method === "GET")).toHaveLength(1);
  });
});

describe("a client with the public key (a KeyVaultKey)", () => {
  const rsa = rsaTestKey("RSA", 2048);
  const rsaKey = new KeyVaultKey(kid, {
    ...rsa.publicJwk,
    kid,
    keyOps: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
  });

  it("encrypts, wraps and verifies locally (no request); decrypts, unwraps and signs in the vault", async () => {
    const vault = mockVault();
    const crypto = client(rsaKey);
    const encrypted = await crypto.encrypt({ algorithm: "RSA-OAEP-256", plaintext: Buffer.from("secret") });
    expect(encrypted.keyID).toBe(kid);
    const wrapped = await crypto.wrapKey("RSA1_5", new Uint8Array(32));
    const digest = createHash("sha256").update("d").digest();
    const { createSign } = await import("node:crypto");
    const signature = createSign("sha256").update("d").sign(rsa.privateKey);
    expect((await crypto.verify("RS256", digest, signature)).result).toBe(true);
    expect((await crypto.verifyData("RS256", Buffer.from("d"), signature)).result).toBe(true);
    expect(vault.requests).toHaveLength(0);

    vault.scope.post(`/keys/k/${VERSION}/decrypt`).query(apiVersion()).reply(200, { kid, value: "c2VjcmV0" });
    vault.scope
      .post(`/keys/k/${VERSION}/unwrapkey`)
      .query(apiVersion())
      .reply(200, { kid, value: b64u(new Uint8Array(32)) });
    vault.scope
      .post(`/keys/k/${VERSION}/sign`)
      .query(apiVersion())
      .reply(200, { kid, value: b64u(signature) });
    expect((await crypto.decrypt({ algorithm: "RSA-OAEP-256", ciphertext: encrypted.result })).result).toEqual(
      Buffer.from("secret"),
    );
    expect(vault.last().body).toEqual({ alg: "RSA-OAEP-256", value: b64u(encrypted.result) });
    expect((await crypto.unwrapKey("RSA1_5", wrapped.result)).result).toEqual(Buffer.alloc(32));
    expect(vault.last().body).toEqual({ alg: "RSA1_5", value: b64u(wrapped.result) });
    await crypto.signData("RS256", Buffer.from("d"));
    expect(vault.last().body).toEqual({ alg: "RS256", value: b64u(digest) });
  });

  it("verifies EC signatures locally, including ES256K", async () => {
    const vault = mockVault();
    const ec = ecTestKey("P-256K");
    const crypto = client(new KeyVaultKey(kid, { ...ec.publicJwk, kid }));
    const { sign } = await import("node:crypto");
    const signature = sign("sha256", Buffer.from("m"), { key: ec.privateKey, dsaEncoding: "ieee-p1363" });
    expect((await crypto.verifyData("ES256K", Buffer.from("m"), signature)).result).toBe(true);
    expect((await crypto.verify("ES256K", createHash("sha256").update("m").digest(), signature)).result).toBe(true);
    expect(vault.requests).toHaveLength(0);
  });

  it.each([
    ["key_ops", { keyOps: ["verify"] }, {}, /Operation encrypt is not supported on key/],
    ["disabled", {}, { enabled: false }, /is disabled/],
    ["expired", {}, { expiresOn: new Date(Date.UTC(2000, 0, 1)) }, /expired at 2000-01-01/],
    ["not yet valid", {}, { notBefore: new Date(Date.UTC(2999, 0, 1)) }, /can't be used before 2999-01-01/],
  ])("refuses a key that is %s before any work", async (_what, jwkExtra, properties, message) => {
    const vault = mockVault();
    const key = new KeyVaultKey(kid, { ...rsa.publicJwk, kid, ...jwkExtra }, properties);
    await expect(client(key).encrypt({ algorithm: "RSA-OAEP", plaintext: Buffer.from("x") })).rejects.toThrow(message);
    expect(vault.requests).toHaveLength(0);
  });

  it("refuses an algorithm of another key type or curve with a TypeError, before any request", async () => {
    const vault = mockVault();
    const ec = new KeyVaultKey(kid, { ...ecTestKey("P-256").publicJwk, kid });
    await expect(client(ec).encrypt({ algorithm: "RSA-OAEP", plaintext: Buffer.from("x") })).rejects.toThrow(
      /RSA-OAEP needs an RSA key, but the key is EC/,
    );
    await expect(client(ec).sign("ES384", new Uint8Array(48))).rejects.toThrow(/ES384 needs a P-384 key/);
    await expect(client(rsaKey).sign("ES256", new Uint8Array(32))).rejects.toThrow(TypeError);
    expect(vault.requests).toHaveLength(0);
  });
});

describe("remote details", () => {
  const octKey = new KeyVaultKey(kid, { kid, kty: "oct-HSM" });

  it("AES-CBC without an iv: sends a random 16-byte iv and returns it", async () => {
    const vault = mockVault();
    vault.scope.post(`/keys/k/${VERSION}/encrypt`).query(apiVersion()).reply(200, { kid, value: "AQID" });
    const result = await client(octKey).encrypt({ algorithm: "A128CBCPAD", plaintext: Buffer.from("hi") });
    const sent = vault.last().body as { iv: string };
    expect(b64(sent.iv)).toHaveLength(16);
    expect(result.iv).toEqual(Buffer.from(sent.iv, "base64url"));
  });

  it("the deprecated overloads send the same request; decrypt sends iv, aad and tag", async () => {
    const vault = mockVault();
    vault.scope.post(`/keys/k/${VERSION}/decrypt`).query(apiVersion()).twice().reply(200, { kid, value: "aGk" });
    const crypto = client(octKey);
    const iv = randomBytes(12);
    const tag = randomBytes(16);
    expect(
      await crypto.decrypt({
        algorithm: "A128GCM",
        ciphertext: Buffer.from("c"),
        iv,
        authenticationTag: tag,
        additionalAuthenticatedData: Buffer.from("a"),
      }),
    ).toEqual({
      algorithm: "A128GCM",
      result: Buffer.from("hi"),
      keyID: kid,
    });
    expect(vault.last().body).toEqual({ alg: "A128GCM", value: "Yw", iv: b64u(iv), aad: "YQ", tag: b64u(tag) });
    vault.scope.post(`/keys/k/${VERSION}/encrypt`).query(apiVersion()).reply(200, { kid, value: "aGk" });
    await crypto.encrypt("A128GCM", Buffer.from("c"));
    expect(vault.last().body).toEqual({ alg: "A128GCM", value: "Yw" });
  });

  it("a service error is a RestError with status and code; a malformed answer names the field", async () => {
    const vault = mockVault();
    vault.scope
      .post(`/keys/k/${VERSION}/sign`)
      .query(apiVersion())
      .reply(400, { error: { code: "BadParameter", message: "Invalid digest" } });
    vault.scope.post(`/keys/k/${VERSION}/sign`).query(apiVersion()).reply(200, { kid });
    vault.scope.post(`/keys/k/${VERSION}/verify`).query(apiVersion()).reply(200, {});
    const crypto = client(octKey);
    await expect(crypto.sign("HS256", new Uint8Array(32))).rejects.toMatchObject({
      name: "RestError",
      statusCode: 400,
      code: "BadParameter",
    });
    await expect(crypto.sign("HS256", new Uint8Array(32))).rejects.toThrow(
      /sign result.value should be a base64url string/,
    );
    await expect(crypto.verify("HS256", new Uint8Array(32), new Uint8Array(32))).rejects.toThrow(
      /verify result.value should be a boolean/,
    );
  });

  it("the abortSignal reaches the request", async () => {
    const vault = mockVault();
    vault.scope.post(`/keys/k/${VERSION}/sign`).query(apiVersion()).delay(5_000).reply(200, { kid, value: "AQID" });
    const controller = new AbortController();
    const pending = client(octKey).sign("HS256", new Uint8Array(32), { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("never mutates the caller's parameters or options", async () => {
    const vault = mockVault();
    vault.scope.post(`/keys/k/${VERSION}/encrypt`).query(apiVersion()).reply(200, { kid, value: "AQID" });
    const params = Object.freeze({ algorithm: "A256CBC" as const, plaintext: new Uint8Array(16) });
    const opts = Object.freeze({ requestOptions: Object.freeze({ timeout: 10_000 }) });
    await client(octKey).encrypt(params, opts);
    expect(params).toEqual({ algorithm: "A256CBC", plaintext: new Uint8Array(16) });
  });
});

describe("input checks, before any request", () => {
  const octKey = new KeyVaultKey(kid, { kid, kty: "oct-HSM" });
  it.each([
    [
      "missing plaintext",
      (c: CryptographyClient) => c.encrypt({ algorithm: "RSA-OAEP" } as never),
      /Invalid plaintext: expected a Uint8Array/,
    ],
    ["a string plaintext", (c: CryptographyClient) => c.encrypt("RSA-OAEP", "hi" as never), /Invalid plaintext/],
    ["no algorithm", (c: CryptographyClient) => c.sign("", new Uint8Array(32)), /Invalid algorithm/],
    [
      "a 12-byte CBC iv",
      (c: CryptographyClient) =>
        c.encrypt({ algorithm: "A128CBC", plaintext: new Uint8Array(16), iv: new Uint8Array(12) }),
      /Invalid iv: A128CBC needs a 16-byte iv/,
    ],
    [
      "CBC without padding, odd length",
      (c: CryptographyClient) => c.encrypt({ algorithm: "A128CBC", plaintext: new Uint8Array(5) }),
      /multiple of 16/,
    ],
    [
      "GCM decrypt without tag",
      (c: CryptographyClient) =>
        c.decrypt({ algorithm: "A128GCM", ciphertext: new Uint8Array(5), iv: new Uint8Array(12) } as never),
      /Invalid authenticationTag/,
    ],
    [
      "CBC decrypt without iv",
      (c: CryptographyClient) => c.decrypt({ algorithm: "A128CBC", ciphertext: new Uint8Array(16) } as never),
      /Invalid iv/,
    ],
    [
      "a SHA-1 digest for RS256",
      (c: CryptographyClient) => c.sign("RS256", new Uint8Array(20)),
      /Invalid digest: RS256 signs a 32-byte SHA256 digest/,
    ],
    [
      "an empty signature",
      (c: CryptographyClient) => c.verify("ES256", new Uint8Array(32), new Uint8Array()),
      /Invalid signature: it is empty/,
    ],
    [
      "a 10-byte key for A128KW",
      (c: CryptographyClient) => c.wrapKey("A128KW", new Uint8Array(10)),
      /Invalid key: A128KW wraps a key of at least 16 bytes/,
    ],
    ["no encryptedKey", (c: CryptographyClient) => c.unwrapKey("A128KW", undefined as never), /Invalid encryptedKey/],
  ])("%s is a TypeError naming the field", async (_what, call, message) => {
    const vault = mockVault();
    const error = await call(client(octKey)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
    expect(vault.requests).toHaveLength(0);
  });

  it("signData with RSNULL is the official client's Error (no hash for RSNULL), before any request", async () => {
    const vault = mockVault();
    await expect(client(octKey).signData("RSNULL", new Uint8Array(3))).rejects.toThrow(
      /^Invalid algorithm RSNULL passed to createHash\. Supported algorithms: ES256, ES256K, PS256, RS256/,
    );
    expect(vault.requests).toHaveLength(0);
  });

  it("the constructor refuses a bad id, a missing credential and a bad JsonWebKey", () => {
    expect(() => new CryptographyClient("not a url", new FakeCredential())).toThrow(
      "not a url is not a valid Key Vault key ID",
    );
    expect(() => new CryptographyClient(kid, undefined as never)).toThrow(/credential/);
    expect(() => new CryptographyClient({ kty: "RSA", n: new Uint8Array(8) })).toThrow(/key.e/);
    expect(() => new CryptographyClient(kid, new FakeCredential(), { serviceVersion: "1.0" })).toThrow(RangeError);
  });
});
