/**
 * Differential tests: our CryptographyClient and the official @azure/keyvault-keys 4.10 one.
 * - Local operations on the same key interoperate: what one encrypts the other decrypts, what one signs
 *   the other verifies (where the official client can do the operation locally at all).
 * - Remote operations against one nock'd vault send the same requests (method, path, decoded query,
 *   JSON body) and give the same typed results. Deliberate differences are asserted explicitly.
 */
import { constants, createHash, createSign, randomBytes, sign as nodeSign } from "node:crypto";
import {
  CryptographyClient as OfficialCryptographyClient,
  type KeyVaultKey as OfficialKeyVaultKey,
} from "@azure/keyvault-keys";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CryptographyClient, KeyVaultKey, type JsonWebKeyFields } from "../../src/index.js";
import { FakeCredential } from "../helpers/fakeCredential.js";
import {
  FAST_RETRY,
  VAULT_URL,
  mockVault,
  resetNock,
  restoreNock,
  type MockVault,
  type SeenRequest,
} from "../helpers/mockVault.js";
import { VERSION, keyBundle, kidOf } from "../helpers/wire.js";
import { ecTestKey, octTestKey, rsaTestKey } from "../helpers/cryptographyKeys.js";

beforeEach(resetNock);
afterEach(restoreNock);

const data = Buffer.from("differential data");
const bytes = (b: Uint8Array): Buffer => Buffer.from(b);
const kid = kidOf("k");

/** The official client's JsonWebKey wants Buffers for byte fields. */
function officialJwk(jwk: JsonWebKeyFields): never {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(jwk)) out[name] = value instanceof Uint8Array ? Buffer.from(value) : value;
  return out as never;
}

describe("local operations interoperate", () => {
  const rsa = rsaTestKey("RSA", 2048, "rsa-kid");

  it.each(["RSA1_5", "RSA-OAEP"] as const)(
    "%s: what the official client encrypts (locally), we decrypt (locally)",
    async (algorithm) => {
      const official = new OfficialCryptographyClient(officialJwk(rsa.publicJwk));
      const ours = new CryptographyClient(rsa.jwk);
      const encrypted = await official.encrypt({ algorithm, plaintext: data });
      expect((await ours.decrypt({ algorithm, ciphertext: encrypted.result })).result).toEqual(new Uint8Array(data));
      expect(encrypted.keyID).toBe((await ours.encrypt({ algorithm, plaintext: data })).keyID);
    },
  );

  it.each(["RS256", "RS384", "RS512"])(
    "%s: what we sign, the official client verifies locally, and the other way round",
    async (algorithm) => {
      const official = new OfficialCryptographyClient(officialJwk(rsa.publicJwk));
      const ours = new CryptographyClient(rsa.jwk);
      const signed = await ours.signData(algorithm, data);
      expect((await official.verifyData(algorithm, data, signed.result)).result).toBe(true);
      const hash = algorithm.replace("RS", "sha");
      const theirs = createSign(hash).update(data).sign(rsa.privateKey);
      expect((await ours.verifyData(algorithm, data, theirs)).result).toBe(
        (await official.verifyData(algorithm, data, theirs)).result,
      );
    },
  );

  it("PS256: the official client's local verifyData wrongly answers false for a valid signature; ours answers true", async () => {
    const official = new OfficialCryptographyClient(officialJwk(rsa.publicJwk));
    const ours = new CryptographyClient(rsa.jwk);
    const signature = nodeSign("sha256", data, {
      key: rsa.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
    expect((await official.verifyData("PS256", data, signature)).result).toBe(false);
    expect((await ours.verifyData("PS256", data, signature)).result).toBe(true);
  });

  it("A256CBCPAD: what one encrypts with an iv, the other decrypts (both local)", async () => {
    const jwk = octTestKey(32);
    const official = new OfficialCryptographyClient(officialJwk(jwk));
    const ours = new CryptographyClient(jwk);
    const iv = randomBytes(16);
    const theirs = await official.encrypt({ algorithm: "A256CBCPAD", plaintext: data, iv });
    const mine = await ours.encrypt({ algorithm: "A256CBCPAD", plaintext: data, iv });
    expect(bytes(mine.result)).toEqual(bytes(theirs.result));
    expect((await ours.decrypt({ algorithm: "A256CBCPAD", ciphertext: theirs.result, iv })).result).toEqual(
      new Uint8Array(data),
    );
    expect(bytes((await official.decrypt({ algorithm: "A256CBCPAD", ciphertext: mine.result, iv })).result)).toEqual(
      data,
    );
  });

  it("what the official client does not do locally, ours does: private-key operations, EC, AES-GCM", async () => {
    const octKey = octTestKey(32, "oct-HSM");
    await expect(
      new OfficialCryptographyClient(officialJwk(octKey)).encrypt({ algorithm: "A256GCM", plaintext: data }),
    ).rejects.toThrow(/Unable to support operation/);
    expect(
      (await new CryptographyClient(octKey).encrypt({ algorithm: "A256GCM", plaintext: data })).authenticationTag,
    ).toHaveLength(16);
    await expect(
      new OfficialCryptographyClient(officialJwk(rsa.jwk)).decrypt({
        algorithm: "RSA-OAEP",
        ciphertext: new Uint8Array(256),
      }),
    ).rejects.toThrow(/Unable to support operation/);
    const ec = ecTestKey("P-256");
    await expect(
      new OfficialCryptographyClient(officialJwk(ec.publicJwk)).verifyData("ES256", data, new Uint8Array(64)),
    ).rejects.toThrow();
    expect((await new CryptographyClient(ec.publicJwk).verifyData("ES256", data, new Uint8Array(64))).result).toBe(
      false,
    );
  });
});

/** A vault whose GET answers `getAnswer` and whose operations answer fixed values; records requests. */
function fakeCryptoVault(getAnswer: { status: number; body: unknown }): MockVault {
  const vault = mockVault();
  vault.scope
    .persist()
    .get(/^\/keys\//)
    .query(true)
    .reply(getAnswer.status, getAnswer.body as Record<string, unknown>);
  vault.scope
    .persist()
    .post(/^\/keys\//)
    .query(true)
    .reply((uri) => {
      const op = new URL(uri, VAULT_URL).pathname.split("/").pop();
      if (op === "verify") return [200, { value: true }];
      if (op === "encrypt") return [200, { kid, value: "AQID", iv: "BAUG", tag: "BwgJ" }];
      return [200, { kid, value: "AQID" }];
    });
  return vault;
}

const authorized = (vault: MockVault): Array<Pick<SeenRequest, "method" | "path" | "query" | "body">> =>
  vault.authorized().map(({ method, path, query, body }) => ({ method, path, query, body }));

/** Runs the same calls through both clients (ours first), returning each side's requests and results. */
async function runBoth<T>(
  vault: MockVault,
  ours: CryptographyClient,
  official: OfficialCryptographyClient,
  call: (c: CryptographyClient) => Promise<T>,
) {
  const ourResult = await call(ours);
  const ourRequests = authorized(vault);
  vault.requests.length = 0;
  // The official client takes the same calls (same overloads); the cast only lets one callback serve both.
  const officialResult = await call(official as unknown as CryptographyClient);
  const officialRequests = authorized(vault);
  vault.requests.length = 0;
  return { ourResult, officialResult, ourRequests, officialRequests };
}

type Seen = Array<Pick<SeenRequest, "method" | "path" | "query" | "body">>;

/** The same requests: method, path (an empty version stays an empty segment, `/keys/k//<op>`), query and body. */
function expectSameRequests(ours: Seen, official: Seen): void {
  expect(ours).toEqual(official);
}

/** Results with byte fields as Buffers and undefined fields dropped, to compare across the two packages. */
function normalize(result: unknown): unknown {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(result as Record<string, unknown>)) {
    if (value !== undefined) out[name] = value instanceof Uint8Array ? Buffer.from(value) : value;
  }
  return out;
}

describe("remote operations send the same requests", () => {
  const digest = createHash("sha256").update(data).digest();
  const calls: Array<[string, (c: CryptographyClient) => Promise<unknown>]> = [
    ["encrypt RSA-OAEP-256", (c) => c.encrypt({ algorithm: "RSA-OAEP-256", plaintext: data })],
    [
      "encrypt A256GCM with aad",
      (c) => c.encrypt({ algorithm: "A256GCM", plaintext: data, additionalAuthenticatedData: Buffer.from("aad") }),
    ],
    [
      "encrypt A128CBCPAD with iv",
      (c) => c.encrypt({ algorithm: "A128CBCPAD", plaintext: data, iv: Buffer.alloc(16, 7) }),
    ],
    [
      "decrypt A256GCM",
      (c) =>
        c.decrypt({
          algorithm: "A256GCM",
          ciphertext: data,
          iv: Buffer.alloc(12, 1),
          authenticationTag: Buffer.alloc(16, 2),
          additionalAuthenticatedData: Buffer.from("aad"),
        }),
    ],
    ["decrypt (deprecated overload)", (c) => c.decrypt("RSA-OAEP", data)],
    ["wrapKey A256KW", (c) => c.wrapKey("A256KW", Buffer.alloc(32, 3))],
    ["unwrapKey RSA1_5", (c) => c.unwrapKey("RSA1_5", Buffer.alloc(256, 4))],
    ["sign ES256", (c) => c.sign("ES256", digest)],
    ["signData PS384", (c) => c.signData("PS384", data)],
    ["verify RS256", (c) => c.verify("RS256", digest, Buffer.alloc(256, 5))],
    ["verifyData ES256K", (c) => c.verifyData("ES256K", data, Buffer.alloc(64, 6))],
  ];

  describe.each([
    ["a versioned id", kid],
    ["an unversioned id", `${VAULT_URL}/keys/k`],
  ])("with %s and no keys/get permission (403)", (_what, id) => {
    it.each(calls)("%s", async (_name, call) => {
      const vault = fakeCryptoVault({ status: 403, body: { error: { code: "Forbidden", message: "denied" } } });
      const ours = new CryptographyClient(id, new FakeCredential(), { retryOptions: FAST_RETRY });
      const official = new OfficialCryptographyClient(id, new FakeCredential(), { retryOptions: FAST_RETRY });
      const run = await runBoth(vault, ours, official, call);
      expectSameRequests(run.ourRequests, run.officialRequests);
      expect(run.ourRequests.map((r) => r.method)).toEqual(["GET", "POST"]);
      if (
        id === kid ||
        (run.ourResult as { keyID?: string }).keyID === (run.officialResult as { keyID?: string }).keyID
      ) {
        expect(normalize(run.ourResult)).toEqual(normalize(run.officialResult));
      } else {
        // Deliberate difference: the keyID of a remote result is the kid the vault answered (versioned);
        // the official client repeats the id it was given.
        expect(run.ourResult).toMatchObject({ keyID: kid });
        expect(run.officialResult).toMatchObject({ keyID: id });
        expect(normalize({ ...(run.ourResult as object), keyID: id })).toEqual(normalize(run.officialResult));
      }
    });
  });

  it("with keys/get: private operations go to the vault from both; the fetched kid is the keyID", async () => {
    const rsaWire = {
      kid,
      kty: "RSA",
      key_ops: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
      n: Buffer.from(rsaTestKey().publicJwk.n as Uint8Array).toString("base64url"),
      e: "AQAB",
    };
    const vault = fakeCryptoVault({ status: 200, body: keyBundle("k", { key: rsaWire }) });
    const id = `${VAULT_URL}/keys/k`;
    const ours = new CryptographyClient(id, new FakeCredential(), { retryOptions: FAST_RETRY });
    const official = new OfficialCryptographyClient(id, new FakeCredential(), { retryOptions: FAST_RETRY });
    for (const call of [
      (c: CryptographyClient) => c.decrypt({ algorithm: "RSA-OAEP", ciphertext: data }),
      (c: CryptographyClient) => c.sign("RS256", digest),
    ]) {
      const run = await runBoth(vault, ours, official, call);
      expectSameRequests(run.ourRequests, run.officialRequests);
      expect(normalize(run.ourResult)).toEqual(normalize(run.officialResult));
    }
    expect(ours.keyID).toBe(official.keyID);
    expect(ours.keyID).toBe(kid);
  });

  it("deliberate difference: RSA verify of a digest runs locally here (the official client asks the vault)", async () => {
    const rsa = rsaTestKey();
    const wire = { kid, kty: "RSA", n: Buffer.from(rsa.publicJwk.n as Uint8Array).toString("base64url"), e: "AQAB" };
    const vault = fakeCryptoVault({ status: 200, body: keyBundle("k", { key: wire }) });
    const signature = createSign("sha256").update(data).sign(rsa.privateKey);
    const ours = new CryptographyClient(kid, new FakeCredential(), { retryOptions: FAST_RETRY });
    const official = new OfficialCryptographyClient(kid, new FakeCredential(), { retryOptions: FAST_RETRY });
    const run = await runBoth(vault, ours, official, (c) => c.verify("RS256", digest, signature));
    expect(run.ourRequests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /keys/k/${VERSION}`]);
    expect(run.officialRequests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /keys/k/${VERSION}`,
      `POST /keys/k/${VERSION}/verify`,
    ]);
    expect(run.ourResult).toMatchObject({ result: true });
  });

  it("deliberate difference: AES-CBC encrypt without an iv sends a random 16-byte iv (the official client means to, but its check never matches)", async () => {
    const vault = fakeCryptoVault({ status: 403, body: {} });
    const ours = new CryptographyClient(kid, new FakeCredential(), { retryOptions: FAST_RETRY });
    const official = new OfficialCryptographyClient(kid, new FakeCredential(), { retryOptions: FAST_RETRY });
    const run = await runBoth(vault, ours, official, (c) => c.encrypt({ algorithm: "A256CBCPAD", plaintext: data }));
    expect((run.officialRequests[1]?.body as Record<string, unknown>)["iv"]).toBeUndefined();
    expect(Buffer.from((run.ourRequests[1]?.body as { iv: string }).iv, "base64url")).toHaveLength(16);
  });

  it("a KeyVaultKey with the public key: RSA encrypt is local for both (no request)", async () => {
    const rsa = rsaTestKey();
    const vault = fakeCryptoVault({ status: 403, body: {} });
    const jwk = { ...rsa.publicJwk, kid };
    const ours = new CryptographyClient(new KeyVaultKey(kid, jwk), new FakeCredential());
    const officialKey = {
      name: "k",
      id: kid,
      key: officialJwk(jwk),
      properties: { name: "k", vaultUrl: VAULT_URL },
    } as unknown as OfficialKeyVaultKey;
    const official = new OfficialCryptographyClient(officialKey, new FakeCredential());
    const run = await runBoth(vault, ours, official, (c) => c.encrypt({ algorithm: "RSA-OAEP", plaintext: data }));
    expect(run.ourRequests).toEqual([]);
    expect(run.officialRequests).toEqual([]);
    const mine = run.ourResult as { result: Uint8Array };
    const { privateDecrypt } = await import("node:crypto");
    for (const r of [mine.result, (run.officialResult as { result: Uint8Array }).result]) {
      expect(
        privateDecrypt({ key: rsa.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, r),
      ).toEqual(data);
    }
  });
});
