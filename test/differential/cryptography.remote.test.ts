/**
 * Differential tests of a CryptographyClient with a key in the vault that it may not read, ours and
 * the official @azure/keyvault-keys 4.10.2 against one fake vault: every operation, made from a key id
 * (versioned or not) without keys/get, so that every operation runs in the vault; error answers,
 * malformed answers and aborted calls; per-call options. Requests (the 401 challenge included) and
 * whole outcomes compared by expectSameRun; each difference named where it is tested. The client that
 * reads its key first is cryptography.keyRead.test.ts.
 */
import { CryptographyClient as OfficialCryptographyClient } from "@azure/keyvault-keys";
import { describe, expect, it } from "vitest";
import { CryptographyClient } from "../../src/index.js";
import { digestOf } from "../helpers/cryptographyKeys.js";
import { ABSENT } from "../helpers/deepDiff.js";
import { BAD_PARAMETER, FORBIDDEN, forbidKeyRead } from "../helpers/differential/scriptedAnswers.js";
import {
  differentialVault,
  expectSameRun,
  fakeCredential,
  rejected,
  resolved,
  runBoth,
  sameAbortError,
} from "../helpers/differential/clients.js";
import { CRYPTO_VERSION } from "../helpers/differential/cryptoAnswers.js";
import {
  cryptographyRunner,
  data,
  digest256,
  plaintext,
  type CryptographyCall,
} from "../helpers/differential/cryptographyRuns.js";

const t = differentialVault();

/** Runs a call through a fresh client of each package for the same key (string id or KeyVaultKey). */
const runCrypto = cryptographyRunner(t);

/** Every operation, each in a way that runs in the vault when the key is not known. */
const remoteCalls: ReadonlyArray<readonly [string, CryptographyCall]> = [
  ["encrypt RSA-OAEP-256", (c) => c.encrypt({ algorithm: "RSA-OAEP-256", plaintext })],
  ["encrypt RSA1_5 (deprecated overload)", (c) => c.encrypt("RSA1_5", plaintext)],
  [
    "encrypt A256GCM with aad",
    (c) => c.encrypt({ algorithm: "A256GCM", plaintext, additionalAuthenticatedData: Buffer.from("aad") }),
  ],
  ["encrypt A128CBCPAD with iv", (c) => c.encrypt({ algorithm: "A128CBCPAD", plaintext, iv: Buffer.alloc(16, 7) })],
  [
    "decrypt A256GCM with iv, tag and aad",
    (c) =>
      c.decrypt({
        algorithm: "A256GCM",
        ciphertext: plaintext,
        iv: Buffer.alloc(12, 1),
        authenticationTag: Buffer.alloc(16, 2),
        additionalAuthenticatedData: Buffer.from("aad"),
      }),
  ],
  [
    "decrypt A192CBC with iv",
    (c) => c.decrypt({ algorithm: "A192CBC", ciphertext: Buffer.alloc(32, 3), iv: Buffer.alloc(16, 4) }),
  ],
  ["decrypt RSA-OAEP (deprecated overload)", (c) => c.decrypt("RSA-OAEP", plaintext)],
  ["wrapKey A256KW", (c) => c.wrapKey("A256KW", Buffer.alloc(32, 3))],
  ["wrapKey CKM_AES_KEY_WRAP_PAD", (c) => c.wrapKey("CKM_AES_KEY_WRAP_PAD", Buffer.alloc(20, 3))],
  ["unwrapKey RSA1_5", (c) => c.unwrapKey("RSA1_5", Buffer.alloc(256, 4))],
  ["sign ES256", (c) => c.sign("ES256", digest256)],
  ["sign HS512", (c) => c.sign("HS512", digestOf("HS512", data))],
  ["signData PS384", (c) => c.signData("PS384", data)],
  ["signData ES512", (c) => c.signData("ES512", data)],
  [
    "verify RS256 (a signature the vault accepts)",
    (c) => c.verify("RS256", digest256, Buffer.from(digest256).reverse()),
  ],
  ["verify ES384 (one it refuses)", (c) => c.verify("ES384", digestOf("ES384", data), Buffer.alloc(96, 6))],
  ["verifyData ES256K", (c) => c.verifyData("ES256K", data, Buffer.alloc(64, 6))],
  ["verifyData RS512", (c) => c.verifyData("RS512", data, Buffer.alloc(256, 6))],
];

describe.each([
  ["a versioned id", () => `${t.vault.url}/keys/crypto-key/${CRYPTO_VERSION}`],
  ["an unversioned id", () => `${t.vault.url}/keys/crypto-key`],
])("from %s, without keys/get (GET answers 403): every operation in the vault", (what, id) => {
  it.each(remoteCalls)("%s: same requests, same result", async (name, call) => {
    t.vault.script(forbidKeyRead);
    const run = await runCrypto(call, id);
    // Named difference: a remote result's keyID is the versioned kid the vault answered (the official
    // repeats the id it was given). verify answers carry no kid: both give the id.
    const keyIdDiffers = what === "an unversioned id" && !name.startsWith("verify");
    expectSameRun(
      run,
      keyIdDiffers ? { "outcome.resolved.keyID": `${t.vault.url}/keys/crypto-key/${CRYPTO_VERSION}` } : {},
    );
    expect(run.ourRequests.map((r) => `${r.method} ${r.status}`).slice(0, 3)).toEqual([
      "GET 401",
      "GET 403",
      "POST 200",
    ]);
  });

  it("encrypt AES-CBC without an iv: named difference, ours sends a random 16-byte iv (the official means to, but never does) and returns it", async () => {
    t.vault.script(forbidKeyRead);
    const run = await runCrypto((c) => c.encrypt({ algorithm: "A256CBCPAD", plaintext }), id);
    const sent = (run.ourRequests[2]!.body as { iv: string }).iv;
    expect(Buffer.from(sent, "base64url")).toHaveLength(16);
    expectSameRun(run, {
      "requests[2].body.iv": sent,
      "outcome.resolved.iv": Buffer.from(sent, "base64url"),
      ...(what === "an unversioned id"
        ? { "outcome.resolved.keyID": `${t.vault.url}/keys/crypto-key/${CRYPTO_VERSION}` }
        : {}),
    });
  });

  it("signData HS256: named difference, ours hashes the data and signs the digest in the vault; the official has no hash for HS* (its Error, after the GET)", async () => {
    t.vault.script(forbidKeyRead);
    const run = await runCrypto((c) => c.signData("HS256", data), id);
    expect((rejected(run.official) as Error).message).toMatch(/^Invalid algorithm HS256 passed to createHash/);
    expect(resolved(run.ours)).toMatchObject({ algorithm: "HS256" });
    expect(run.ourRequests[2]!.body).toEqual({ alg: "HS256", value: Buffer.from(digest256).toString("base64url") });
  });

  it("signData RSNULL: the same Error; named difference, ours refuses it before any request (the official reads the key first)", async () => {
    t.vault.script(forbidKeyRead);
    const run = await runCrypto((c) => c.signData("RSNULL", data), id);
    expect(run.officialRequests.map((r) => r.method)).toEqual(["GET", "GET"]);
    expectSameRun(run, { requests: [] });
  });
});

describe("errors", () => {
  const id = () => `${t.vault.url}/keys/crypto-key/${CRYPTO_VERSION}`;

  it.each([
    [400, BAD_PARAMETER],
    [403, FORBIDDEN],
    [404, { error: { code: "KeyNotFound", message: "Key not found: crypto-key" } }],
  ])("the vault answers the operation %i: the same RestError", async (status, body) => {
    t.vault.script((r) => (r.authenticated && r.method === "POST" ? { status, body } : forbidKeyRead(r)));
    const run = await runCrypto((c) => c.decrypt({ algorithm: "RSA-OAEP", ciphertext: plaintext }), id);
    // Named difference (as for every error answer): ours keeps the body's text in response.bodyAsText.
    expectSameRun(run, { "outcome.rejected.response.bodyAsText": JSON.stringify(body) });
    expect(rejected(run.ours)).toMatchObject({ name: "RestError", statusCode: status });
  });

  it("the GET answers 500: the same RestError, and the next call reads the key again", async () => {
    t.vault.script((r) => (r.authenticated && r.method === "GET" ? { status: 500, body: BAD_PARAMETER } : undefined));
    const run = await runCrypto(async (c) => {
      const first = await c.sign("RS256", digest256).catch((e: unknown) => e);
      const second = await c.sign("RS256", digest256).catch((e: unknown) => e);
      return [first, second];
    }, id);
    expectSameRun(run, {
      "outcome.resolved[0].response.bodyAsText": JSON.stringify(BAD_PARAMETER),
      "outcome.resolved[1].response.bodyAsText": JSON.stringify(BAD_PARAMETER),
    });
  });

  it.each([
    ["an empty object", {}],
    ["a value that is not base64url text", { kid: "x", value: 5 }],
  ])(
    "the vault answers the operation with %s: named difference (malformed answers), ours a RestError MalformedResponse naming the field; the official a result with holes",
    async (_what, body) => {
      t.vault.script((r) => (r.authenticated && r.method === "POST" ? { status: 200, body } : forbidKeyRead(r)));
      const run = await runCrypto((c) => c.sign("RS256", digest256), id);
      expect(
        Object.values(resolved(run.official) as object).some((v) => v === undefined || typeof v === "number"),
      ).toBe(true);
      expectSameRun(run, {
        "outcome.resolved": ABSENT,
        "outcome.rejected": (e: unknown) => expect(e).toMatchObject({ name: "RestError", code: "MalformedResponse" }),
      });
    },
  );

  it("an id that is not a key id: the same Error at construction", async () => {
    const run = await runBoth(
      t.vault,
      () => new OfficialCryptographyClient("https://v.vault.azure.net/keys", fakeCredential()),
      () => new CryptographyClient("https://v.vault.azure.net/keys", fakeCredential()),
    );
    expectSameRun(run);
    expect((rejected(run.ours) as Error).message).toBe(
      "https://v.vault.azure.net/keys is not a valid Key Vault key ID",
    );
  });

  it("an already aborted signal: nothing sent, the same AbortError", async () => {
    const run = await runCrypto((c) => c.sign("RS256", digest256, { abortSignal: AbortSignal.abort() }), id);
    expectSameRun(run, { "outcome.rejected": sameAbortError(run.official) });
  });
});

describe("options", () => {
  it("requestOptions.headers and onResponse reach the key's GET and the operation in both", async () => {
    t.vault.script(forbidKeyRead);
    const run = await runCrypto(
      async (c) => {
        const statuses: number[] = [];
        const options = {
          requestOptions: { headers: { "x-ms-differential": "crypto" } },
          onResponse: (r: { status: number }) => statuses.push(r.status),
        };
        const result = await c.sign("RS256", digest256, options);
        return { result, statuses };
      },
      () => `${t.vault.url}/keys/crypto-key/${CRYPTO_VERSION}`,
    );
    expectSameRun(run);
    expect(run.ourRequests.every((r) => r.headers["x-ms-differential"] === "crypto")).toBe(true);
  });
});
