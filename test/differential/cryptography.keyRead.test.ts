/**
 * Differential tests of a CryptographyClient that reads its key (keys/get), ours and the official
 * @azure/keyvault-keys 4.10.2 against one fake vault: made from an id, the key is read once and
 * public-key operations may run locally; made from a KeyVaultKey, nothing is read; the key's own checks
 * (key_ops, dates, enabled, the algorithm's key type). Requests (the 401 challenge included) and whole
 * outcomes compared by expectSameRun; each difference named where it is tested. Every operation in the
 * vault, without keys/get, is cryptography.remote.test.ts.
 */
import { constants, privateDecrypt, sign as nodeSign } from "node:crypto";
import { CryptographyClient as OfficialCryptographyClient } from "@azure/keyvault-keys";
import { describe, expect, it } from "vitest";
import { CryptographyClient } from "../../src/index.js";
import { rsaTestKey } from "../helpers/cryptographyKeys.js";
import { ABSENT } from "../helpers/deepDiff.js";
import {
  clientOptions,
  differentialVault,
  expectSameRun,
  fakeCredential,
  rejected,
  resolved,
  runBoth,
} from "../helpers/differential/clients.js";
import { CRYPTO_VERSION } from "../helpers/differential/cryptoAnswers.js";
import { cryptographyRunner, data, digest256, plaintext } from "../helpers/differential/cryptographyRuns.js";

const t = differentialVault();

/** Runs a call through a fresh client of each package for the same key (string id or KeyVaultKey). */
const runCrypto = cryptographyRunner(t);

describe("from an id, with keys/get: the key is read once; public-key operations may run locally", () => {
  const rsa = rsaTestKey("RSA", 2048);
  const kid = () => `${t.vault.url}/keys/hybrid-rsa/${CRYPTO_VERSION}`;
  const id = () => `${t.vault.url}/keys/hybrid-rsa`;
  const bundle = (keyOps: string[], attributes: Record<string, unknown> = {}) => ({
    key: {
      kid: kid(),
      kty: "RSA",
      key_ops: keyOps,
      n: Buffer.from(rsa.publicJwk.n!).toString("base64url"),
      e: Buffer.from(rsa.publicJwk.e!).toString("base64url"),
    },
    attributes: {
      enabled: true,
      created: 1716930624,
      updated: 1716930624,
      recoveryLevel: "Recoverable",
      ...attributes,
    },
  });
  const serve = (keyOps = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"], attributes = {}) =>
    t.vault.script((r) =>
      r.authenticated && r.method === "GET" ? { status: 200, body: bundle(keyOps, attributes) } : undefined,
    );
  const oaep = (hash: string) => (c: Buffer) =>
    privateDecrypt({ key: rsa.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, c);
  const opens = (open: (c: Buffer) => Buffer) => (result: unknown) => expect(open(result as Buffer)).toEqual(plaintext);

  it.each([
    ["encrypt RSA-OAEP", (c: CryptographyClient) => c.encrypt({ algorithm: "RSA-OAEP", plaintext })],
    ["wrapKey RSA-OAEP", (c: CryptographyClient) => c.wrapKey("RSA-OAEP", plaintext)],
  ])(
    "%s: both run it locally (no request after the GET); the same result but for the random ciphertext",
    async (_name, call) => {
      serve();
      const run = await runCrypto(call, id);
      expect(run.ourRequests.map((r) => r.method)).toEqual(["GET", "GET"]);
      opens(oaep("sha1"))((resolved(run.official) as { result: Buffer }).result);
      expectSameRun(run, { "outcome.resolved.result": opens(oaep("sha1")) });
    },
  );

  it.each([
    ["encrypt RSA-OAEP-256", (c: CryptographyClient) => c.encrypt({ algorithm: "RSA-OAEP-256", plaintext })],
    ["wrapKey RSA-OAEP-256", (c: CryptographyClient) => c.wrapKey("RSA-OAEP-256", plaintext)],
  ])(
    "%s: named difference, ours runs it locally with the public key (the official asks the vault)",
    async (_name, call) => {
      serve();
      const run = await runCrypto(call, id);
      expect(run.officialRequests.map((r) => r.method)).toEqual(["GET", "GET", "POST"]);
      expectSameRun(run, { "requests[2]": ABSENT, "outcome.resolved.result": opens(oaep("sha256")) });
    },
  );

  it("verify RS256 of a digest: named difference, ours verifies locally (the official asks the vault)", async () => {
    serve();
    const signature = nodeSign("sha256", data, rsa.privateKey);
    const run = await runCrypto((c) => c.verify("RS256", digest256, signature), id);
    expectSameRun(run, { "requests[2]": ABSENT, "outcome.resolved.result": true });
  });

  it("verifyData RS256: both verify locally, the same answer", async () => {
    serve();
    const run = await runCrypto((c) => c.verifyData("RS256", data, nodeSign("sha256", data, rsa.privateKey)), id);
    expectSameRun(run);
    expect(resolved(run.ours)).toStrictEqual({ result: true, keyID: kid() });
  });

  it("verifyData PS256: named difference, both verify locally, and the official checks PSS with PKCS#1 v1.5 padding (false)", async () => {
    serve();
    const signature = nodeSign("sha256", data, {
      key: rsa.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
    const run = await runCrypto((c) => c.verifyData("PS256", data, signature), id);
    expectSameRun(run, { "outcome.resolved.result": true });
  });

  it.each([
    ["decrypt RSA-OAEP", (c: CryptographyClient) => c.decrypt({ algorithm: "RSA-OAEP", ciphertext: plaintext })],
    ["unwrapKey RSA1_5", (c: CryptographyClient) => c.unwrapKey("RSA1_5", plaintext)],
    ["sign RS256", (c: CryptographyClient) => c.sign("RS256", digest256)],
    ["signData PS512", (c: CryptographyClient) => c.signData("PS512", data)],
  ])("%s (private key): both in the vault, same requests and result", async (_name, call) => {
    serve();
    const run = await runCrypto(call, id);
    expectSameRun(run);
  });

  it("an operation outside the key's key_ops: the same Error, after the GET", async () => {
    serve(["sign"]);
    const run = await runCrypto((c) => c.encrypt({ algorithm: "RSA-OAEP", plaintext }), id);
    expectSameRun(run);
    expect((rejected(run.ours) as Error).message).toBe(`Operation encrypt is not supported on key ${kid()}`);
  });

  it("signData with key_ops [verify]: the same Error (the operation checked is sign)", async () => {
    serve(["verify"]);
    const run = await runCrypto((c) => c.signData("RS256", data), id);
    expectSameRun(run);
  });

  it("a key not valid yet, or expired: the same Errors", async () => {
    serve(undefined, { nbf: 4102444800 });
    const early = await runCrypto((c) => c.sign("RS256", digest256), id);
    expectSameRun(early);
    expect((rejected(early.ours) as Error).message).toBe(`Key ${kid()} can't be used before 2100-01-01T00:00:00.000Z`);
    serve(undefined, { exp: 946684800 });
    const late = await runCrypto((c) => c.verifyData("RS256", data, Buffer.alloc(256)), id);
    expectSameRun(late);
    expect((rejected(late.ours) as Error).message).toBe(`Key ${kid()} expired at 2000-01-01T00:00:00.000Z`);
  });

  it("a disabled key: named difference, ours refuses it at once (the vault would); the official runs RSA encryption locally anyway", async () => {
    serve(undefined, { enabled: false });
    const run = await runCrypto((c) => c.encrypt({ algorithm: "RSA-OAEP", plaintext }), id);
    expectSameRun(run, {
      "outcome.resolved": ABSENT,
      "outcome.rejected": (e: unknown) =>
        expect((e as Error).message).toBe(`Key ${kid()} is disabled; encrypt is not possible.`),
    });
  });

  it("an algorithm for another key type: named difference, ours refuses it before sending (the vault answers 400 to the official)", async () => {
    serve();
    const run = await runCrypto((c) => c.sign("ES256", digest256), id);
    expect(run.officialRequests.map((r) => r.method)).toEqual(["GET", "GET", "POST"]);
    expectSameRun(run, {
      "requests[2]": ABSENT,
      "outcome.resolved": ABSENT,
      "outcome.rejected": (e: unknown) => expect(e).toBeInstanceOf(TypeError),
    });
  });

  it("from a KeyVaultKey that getKey returned: no GET, the same local and remote results", async () => {
    serve();
    const run = await runBoth(
      t.vault,
      async () => {
        const key = await t.official.getKey("hybrid-rsa");
        const client = new OfficialCryptographyClient(key, fakeCredential(), clientOptions());
        return [
          await client.verifyData("RS256", data, nodeSign("sha256", data, rsa.privateKey)),
          await client.sign("RS256", digest256),
        ];
      },
      async () => {
        const key = await t.ours.getKey("hybrid-rsa");
        const client = new CryptographyClient(key, fakeCredential(), clientOptions());
        return [
          await client.verifyData("RS256", data, nodeSign("sha256", data, rsa.privateKey)),
          await client.sign("RS256", digest256),
        ];
      },
    );
    expectSameRun(run);
  });
});

describe("an EC key with keys/get", () => {
  const id = () => `${t.vault.url}/keys/ec-key`;

  it.each([
    ["verify ES256", (c: CryptographyClient) => c.verify("ES256", digest256, Buffer.from(digest256).reverse())],
    ["verifyData ES256", (c: CryptographyClient) => c.verifyData("ES256", data, Buffer.from(digest256).reverse())],
  ])("%s: named difference, ours verifies locally (the official asks the vault)", async (_name, call) => {
    const run = await runCrypto(call, id);
    expect(run.officialRequests.map((r) => r.method)).toEqual(["GET", "GET", "POST"]);
    // The vault's answer here is the fake's (true for a reversed digest); a real check of these bytes is false.
    expectSameRun(run, { "requests[2]": ABSENT, "outcome.resolved.result": false });
  });

  it("sign ES256: both in the vault; named difference, ours' keyID is the kid the vault answered (the official's is the key it read)", async () => {
    const run = await runCrypto((c) => c.sign("ES256", digest256), id);
    expectSameRun(run, { "outcome.resolved.keyID": `${t.vault.url}/keys/ec-key/${CRYPTO_VERSION}` });
  });
});
