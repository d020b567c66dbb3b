/**
 * Differential tests of a CryptographyClient with a key in the vault, ours and the official
 * @azure/keyvault-keys 4.10.2 against one fake vault: every operation, made from a key id (versioned or
 * not) without keys/get (every operation in the vault), with keys/get (the key is read once; public-key
 * operations may run locally), and from a KeyVaultKey; the key's own checks (key_ops, dates); error
 * answers and aborted calls. Requests (the 401 challenge included) and whole outcomes compared by
 * expectSameRun; each difference named where it is tested.
 */
import { constants, privateDecrypt, sign as nodeSign } from "node:crypto";
import { CryptographyClient as OfficialCryptographyClient } from "@azure/keyvault-keys";
import { describe, expect, it } from "vitest";
import { CryptographyClient } from "../../src/index.js";
import { digestOf, rsaTestKey } from "../helpers/cryptographyKeys.js";
import { ABSENT } from "../helpers/deepDiff.js";
import { BAD_PARAMETER, FORBIDDEN } from "../helpers/differential/scriptedAnswers.js";
import {
  clientOptions,
  differentialVault,
  expectSameRun,
  fakeCredential,
  rejected,
  resolved,
  runBoth,
  sameAbortError,
} from "../helpers/differential/clients.js";
import { CRYPTO_VERSION } from "../helpers/differential/cryptoAnswers.js";
import type { RecordedRequest } from "../helpers/differential/recordedRequest.js";

const t = differentialVault();

type Call = (client: CryptographyClient) => Promise<unknown>;

const plaintext = Buffer.from("differential plaintext");
const data = Buffer.from("a document");
const digest256 = digestOf("RS256", data);

/** Runs `call` through a fresh client of each package for the same key (string id or KeyVaultKey). */
function runCrypto(call: Call, id: () => string) {
  return runBoth(
    t.vault,
    () =>
      call(new OfficialCryptographyClient(id(), fakeCredential(), clientOptions()) as unknown as CryptographyClient),
    () => call(new CryptographyClient(id(), fakeCredential(), clientOptions())),
  );
}

const forbidGet = (r: RecordedRequest) =>
  r.authenticated && r.method === "GET" ? { status: 403, body: FORBIDDEN } : undefined;

/** Every operation, each in a way that runs in the vault when the key is not known. */
const remoteCalls: ReadonlyArray<readonly [string, Call]> = [
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
    t.vault.script(forbidGet);
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
    t.vault.script(forbidGet);
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
    t.vault.script(forbidGet);
    const run = await runCrypto((c) => c.signData("HS256", data), id);
    expect((rejected(run.official) as Error).message).toMatch(/^Invalid algorithm HS256 passed to createHash/);
    expect(resolved(run.ours)).toMatchObject({ algorithm: "HS256" });
    expect(run.ourRequests[2]!.body).toEqual({ alg: "HS256", value: Buffer.from(digest256).toString("base64url") });
  });

  it("signData RSNULL: the same Error; named difference, ours refuses it before any request (the official reads the key first)", async () => {
    t.vault.script(forbidGet);
    const run = await runCrypto((c) => c.signData("RSNULL", data), id);
    expect(run.officialRequests.map((r) => r.method)).toEqual(["GET", "GET"]);
    expectSameRun(run, { requests: [] });
  });
});

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

describe("errors", () => {
  const id = () => `${t.vault.url}/keys/crypto-key/${CRYPTO_VERSION}`;

  it.each([
    [400, BAD_PARAMETER],
    [403, FORBIDDEN],
    [404, { error: { code: "KeyNotFound", message: "Key not found: crypto-key" } }],
  ])("the vault answers the operation %i: the same RestError", async (status, body) => {
    t.vault.script((r) => (r.authenticated && r.method === "POST" ? { status, body } : forbidGet(r)));
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
      t.vault.script((r) => (r.authenticated && r.method === "POST" ? { status: 200, body } : forbidGet(r)));
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
    t.vault.script(forbidGet);
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
