/**
 * Differential tests of a local-only CryptographyClient (made from a JsonWebKey): every operation with
 * every algorithm, supported or not, for every kind of key, through ours and the official
 * @azure/keyvault-keys 4.10.2. Where both refuse, the same Error with the same message; where both run
 * it, the same result (a randomized ciphertext is compared by what it decrypts to, and each side's
 * ciphertext decrypts on the other where the official can decrypt); where ours does what the official
 * cannot, that is the named difference "local-only clients do every operation the key material
 * allows" (the official throws `Unable to support operation: ...`), and ours' result is checked by a
 * round trip. The other named differences: PS* verifyData (the official answers false for a valid
 * signature), the two cases ours refuses while the official runs them, and local RSA1_5 decryption, which
 * both refuse, ours saying that it needs the vault.
 */
import { constants, createPrivateKey, privateDecrypt } from "node:crypto";
import { CryptographyClient as OfficialCryptographyClient } from "@azure/keyvault-keys";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CryptographyClient, type JsonWebKeyFields } from "../../src/index.js";
import { digestOf, ecTestKey, octTestKey, rsaTestKey } from "../helpers/cryptographyKeys.js";
import { deepDiff, expectSame } from "../helpers/deepDiff.js";
import { settle, type Outcome } from "../helpers/differential/clients.js";

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

const encryptionAlgorithms = [
  "RSA1_5",
  "RSA-OAEP",
  "RSA-OAEP-256",
  "A128GCM",
  "A192GCM",
  "A256GCM",
  "A128CBC",
  "A192CBC",
  "A256CBC",
  "A128CBCPAD",
  "A192CBCPAD",
  "A256CBCPAD",
  "A128KW",
  "A256KW",
  "CKM_AES_KEY_WRAP",
  "CKM_AES_KEY_WRAP_PAD",
  "RS256",
  "NOT-AN-ALGORITHM",
];
const signatureAlgorithms = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "RSNULL",
  "ES256",
  "ES256K",
  "ES384",
  "ES512",
  "HS256",
  "HS384",
  "HS512",
  "RSA1_5",
  "RSA-OAEP",
  "NOT-AN-ALGORITHM",
];

const rsa = rsaTestKey("RSA", 2048, "https://local.example/keys/rsa/1");
const rsaHsm = rsaTestKey("RSA-HSM", 2048);
const p256 = ecTestKey("P-256", "EC", "https://local.example/keys/ec/1");
const p384 = ecTestKey("P-384");
const p521 = ecTestKey("P-521", "EC-HSM");
const k256 = ecTestKey("P-256K");

/** The keys of the matrix: each kind of JsonWebKey a caller can hand a local-only client. */
const keys: ReadonlyArray<readonly [string, JsonWebKeyFields]> = [
  ["RSA public", rsa.publicJwk],
  ["RSA private", rsa.jwk],
  ["RSA-HSM private", rsaHsm.jwk],
  ["RSA private with keyOps [verify]", { ...rsa.jwk, keyOps: ["verify"] }],
  ["EC P-256 public", p256.publicJwk],
  ["EC P-256 private", p256.jwk],
  ["EC P-384 private", p384.jwk],
  ["EC-HSM P-521 private", p521.jwk],
  ["EC P-256K private", k256.jwk],
  ["oct 128", { ...octTestKey(16), kid: "https://local.example/keys/oct/1" }],
  ["oct 192", octTestKey(24)],
  ["oct 256", octTestKey(32)],
  ["oct-HSM 256", octTestKey(32, "oct-HSM")],
  ["oct 512", octTestKey(64)],
];

/** The official client's JsonWebKey, with Buffers as its deserializer makes them. */
function officialJwk(jwk: JsonWebKeyFields): never {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(jwk)) out[name] = value instanceof Uint8Array ? Buffer.from(value) : value;
  return out as never;
}

const plaintext = new Uint8Array(32).fill(0x42);
const data = new Uint8Array(Buffer.from("a document to sign"));
const iv = new Uint8Array(16).fill(9);

type Operation = "encrypt" | "decrypt" | "wrapKey" | "unwrapKey" | "sign" | "verify" | "signData" | "verifyData";
type Client = CryptographyClient;

/** An operation's arguments for one algorithm: valid inputs where ours can make them with the key. */
async function argumentsFor(operation: Operation, algorithm: string, ours: Client): Promise<unknown[]> {
  const made = async <T, F>(make: () => Promise<T>, fallback: F): Promise<T | F> => {
    const outcome = await settle(make);
    return "resolved" in outcome ? outcome.resolved : fallback;
  };
  const cbc = /CBC/.test(algorithm);
  switch (operation) {
    case "encrypt":
      return [{ algorithm, plaintext, ...(cbc ? { iv } : {}) }];
    case "decrypt": {
      const nothing: { result: Uint8Array; iv?: Uint8Array; authenticationTag?: Uint8Array } = {
        result: new Uint8Array(32),
      };
      const encrypted = await made(
        () => ours.encrypt({ algorithm, plaintext, ...(cbc ? { iv } : {}) } as never),
        nothing,
      );
      return [
        { algorithm, ciphertext: encrypted.result, iv: encrypted.iv, authenticationTag: encrypted.authenticationTag },
      ];
    }
    case "wrapKey":
      return [algorithm, plaintext];
    case "unwrapKey":
      return [
        algorithm,
        (await made(() => ours.wrapKey(algorithm as never, plaintext), { result: new Uint8Array(40) })).result,
      ];
    case "sign":
      return [algorithm, digestOf(algorithm, data)];
    case "verify": {
      const digest = digestOf(algorithm, data);
      return [
        algorithm,
        digest,
        (await made(() => ours.sign(algorithm, digest), { result: new Uint8Array(64) })).result,
      ];
    }
    case "signData":
      return [algorithm, data];
    case "verifyData":
      return [
        algorithm,
        data,
        (await made(() => ours.signData(algorithm, data), { result: new Uint8Array(64) })).result,
      ];
  }
}

const call = (client: Client, operation: Operation, args: unknown[]) =>
  settle(() => (client[operation] as (...a: unknown[]) => Promise<unknown>)(...args));

/**
 * An RSA1_5 ciphertext opened with node:crypto, which will not remove PKCS#1 v1.5 encryption padding on
 * Node 20 (nor will ours, locally: RSA1_5 decryption needs the vault); for comparing results only.
 */
function openRsa15(jwk: JsonWebKeyFields, ciphertext: Uint8Array): Buffer {
  const members = Object.fromEntries(
    (["n", "e", "d", "p", "q", "dp", "dq", "qi"] as const).map((m) => [
      m,
      Buffer.from(jwk[m] ?? []).toString("base64url"),
    ]),
  );
  const key = createPrivateKey({ key: { kty: "RSA", ...members }, format: "jwk" });
  const em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, ciphertext);
  return em.subarray(em.indexOf(0, 2) + 1);
}

/** A result with a randomized `result` (RSA encryption) replaced by what it decrypts to with ours. */
async function opened(
  outcome: Outcome<unknown>,
  algorithm: string,
  ours: Client,
  wrap: boolean,
  privateJwk: JsonWebKeyFields,
): Promise<unknown> {
  if (!("resolved" in outcome)) return outcome;
  const result = outcome.resolved as { result: Uint8Array };
  if (algorithm === "RSA1_5") return { resolved: { ...result, result: openRsa15(privateJwk, result.result) } };
  const decrypted = wrap
    ? await ours.unwrapKey(algorithm as never, result.result)
    : await ours.decrypt({ algorithm, ciphertext: result.result } as never);
  return { resolved: { ...result, result: decrypted.result } };
}

/**
 * The cases the official client runs locally and ours refuses: AES-CBC-PAD with a key longer than the
 * algorithm's (the official uses its first bytes) and RSA encrypt or wrapKey with a signature algorithm
 * (the official encrypts with RSA-OAEP whatever the name).
 */
function officialRunsOursRefuses(operation: Operation, algorithm: string, jwk: JsonWebKeyFields): boolean {
  // The key's keyOps are checked first, by both.
  if (jwk.keyOps && !jwk.keyOps.includes(operation)) return false;
  const cbcPadBytes = { A128CBCPAD: 16, A192CBCPAD: 24, A256CBCPAD: 32 }[algorithm];
  if (cbcPadBytes && jwk.k && jwk.k.length > cbcPadBytes && (operation === "encrypt" || operation === "decrypt")) {
    return jwk.kty === "oct" || jwk.kty === "oct-HSM";
  }
  const rsaKey = jwk.kty === "RSA" || jwk.kty === "RSA-HSM";
  return rsaKey && /^(RS|PS)\d{3}$/.test(algorithm) && (operation === "encrypt" || operation === "wrapKey");
}

const rsa15Refusal =
  "RSA1_5 decryption needs the vault (done locally it would be a padding oracle). Use a CryptographyClient for the key in its vault, or RSA-OAEP-256.";
const unsupported = /^(Unable to support operation|Key type does not match|Invalid algorithm .* passed to createHash)/;

describe.each(keys)("a local-only client with an %s key", (_kind, jwk) => {
  const ours = new CryptographyClient(jwk);
  const official = new OfficialCryptographyClient(officialJwk(jwk)) as unknown as Client;
  // The same key with its private part and no keyOps: it makes the inputs (ciphertexts, signatures).
  const { keyOps: _keyOps, ...unrestricted } =
    jwk === rsa.publicJwk ? rsa.jwk : jwk === p256.publicJwk ? p256.jwk : jwk;
  const privateOurs = new CryptographyClient(unrestricted);

  it("has the same keyID and vaultUrl", () => {
    expectSame({ keyID: official.keyID, vaultUrl: official.vaultUrl }, { keyID: ours.keyID, vaultUrl: ours.vaultUrl });
  });

  it.each(["encrypt", "decrypt", "wrapKey", "unwrapKey"] as const)("%s with every algorithm", async (operation) => {
    for (const algorithm of encryptionAlgorithms) await compare(operation, algorithm);
  });

  it.each(["sign", "verify", "signData", "verifyData"] as const)("%s with every algorithm", async (operation) => {
    for (const algorithm of signatureAlgorithms) await compare(operation, algorithm);
  });

  async function compare(operation: Operation, algorithm: string): Promise<void> {
    const where = `${operation} ${algorithm}`;
    const args = await argumentsFor(operation, algorithm, privateOurs);
    const theirs = await call(official, operation, args);
    const mine = await call(ours, operation, args);
    if (officialRunsOursRefuses(operation, algorithm, jwk)) {
      // Named difference: the two cases the official runs and ours refuses (see officialLocal.ts).
      expect((mine as { rejected?: Error }).rejected?.message, where).toMatch(
        /needs a \d+-bit key|no such (encrypt|wrapKey) algorithm/,
      );
      return;
    }
    if ("rejected" in theirs && "rejected" in mine) {
      const [their, our] = [theirs.rejected as Error, mine.rejected as Error];
      if (
        algorithm === "RSA1_5" &&
        (operation === "decrypt" || operation === "unwrapKey") &&
        our.message !== their.message
      ) {
        // Named difference: both refuse local RSA1_5 decryption; ours also says why and what to do.
        expect(our.message, where).toBe(`${their.message}: ${rsa15Refusal}`);
        expect(our.constructor, where).toBe(their.constructor);
        return;
      }
      expectSame(theirs, mine);
      return;
    }
    if ("rejected" in theirs) {
      // Named difference: ours does it locally; the official cannot.
      expect((theirs.rejected as Error).message, where).toMatch(unsupported);
      await expectRoundTrip(operation, algorithm, args, mine);
      return;
    }
    if (/^PS/.test(algorithm) && operation === "verifyData") {
      // Named difference: the official local verifyData checks PS* signatures with PKCS#1 v1.5 padding.
      expectSame(theirs, mine, { "resolved.result": true });
      return;
    }
    if ((operation === "encrypt" || operation === "wrapKey") && algorithm.startsWith("RSA")) {
      const wrap = operation === "wrapKey";
      expectSame(
        await opened(theirs, algorithm, privateOurs, wrap, unrestricted),
        await opened(mine, algorithm, privateOurs, wrap, unrestricted),
      );
      return;
    }
    expect(deepDiff(theirs, mine), where).toEqual([]);
  }

  /** Ours' result of an operation the official cannot do: the other half of the pair gives the input back. */
  async function expectRoundTrip(operation: Operation, algorithm: string, args: unknown[], mine: Outcome<unknown>) {
    const where = `${operation} ${algorithm}`;
    expect(mine, where).toHaveProperty("resolved");
    const result = (mine as { resolved: { result: unknown } }).resolved;
    if (typeof result.result !== "boolean") expect(Buffer.isBuffer(result.result), where).toBe(true);
    switch (operation) {
      case "encrypt": {
        const out = result as { result: Uint8Array; iv?: Uint8Array; authenticationTag?: Uint8Array };
        const back = await privateOurs.decrypt({
          algorithm,
          ciphertext: out.result,
          iv: out.iv,
          authenticationTag: out.authenticationTag,
        } as never);
        expect(Buffer.from(back.result), where).toEqual(Buffer.from(plaintext));
        break;
      }
      case "decrypt":
      case "unwrapKey":
        expect(Buffer.from(result.result as Uint8Array), where).toEqual(Buffer.from(plaintext));
        break;
      case "wrapKey":
        expect(
          Buffer.from((await privateOurs.unwrapKey(algorithm as never, result.result as Uint8Array)).result),
        ).toEqual(Buffer.from(plaintext));
        break;
      case "sign":
        expect((await ours.verify(algorithm, args[1] as Uint8Array, result.result as Uint8Array)).result, where).toBe(
          true,
        );
        break;
      case "signData":
        expect((await ours.verifyData(algorithm, data, result.result as Uint8Array)).result, where).toBe(true);
        break;
      default:
        expect(result.result, where).toBe(true);
    }
  }
});

describe("what one local client encrypts or signs, the other one decrypts or verifies", () => {
  it("RSA1_5: the official encrypts (locally); neither decrypts locally, ours says the vault is needed", async () => {
    const encrypted = await new OfficialCryptographyClient(officialJwk(rsa.publicJwk)).encrypt({
      algorithm: "RSA1_5",
      plaintext,
    } as never);
    expect(openRsa15(rsa.jwk, encrypted.result)).toEqual(Buffer.from(plaintext));
    await expect(
      new CryptographyClient(rsa.jwk).decrypt({ algorithm: "RSA1_5", ciphertext: encrypted.result } as never),
    ).rejects.toThrow(
      `Unable to support operation: "decrypt" with algorithm: "RSA1_5" using a local JsonWebKey: ${rsa15Refusal}`,
    );
  });

  it.each(["RSA-OAEP"])("%s: the official encrypts (locally), ours decrypts", async (algorithm) => {
    const encrypted = await new OfficialCryptographyClient(officialJwk(rsa.publicJwk)).encrypt({
      algorithm,
      plaintext,
    } as never);
    expect(
      Buffer.from(
        (await new CryptographyClient(rsa.jwk).decrypt({ algorithm, ciphertext: encrypted.result } as never)).result,
      ),
    ).toEqual(Buffer.from(plaintext));
  });

  it.each(["RS256", "RS384", "RS512"])("%s: ours signs, the official verifies", async (algorithm) => {
    const signed = await new CryptographyClient(rsa.jwk).signData(algorithm, data);
    expect(
      (await new OfficialCryptographyClient(officialJwk(rsa.publicJwk)).verifyData(algorithm, data, signed.result))
        .result,
    ).toBe(true);
  });

  it.each(["A128CBCPAD", "A256CBCPAD"])(
    "%s without an iv: each decrypts what the other encrypted",
    async (algorithm) => {
      const jwk = octTestKey(algorithm === "A128CBCPAD" ? 16 : 32);
      const ours = new CryptographyClient(jwk);
      const official = new OfficialCryptographyClient(officialJwk(jwk)) as unknown as Client;
      const theirs = await official.encrypt({ algorithm, plaintext } as never);
      const mine = await ours.encrypt({ algorithm, plaintext } as never);
      // Both made a random 16-byte iv, as a Buffer, and return it.
      expect(Buffer.isBuffer(mine.iv) && mine.iv.length === 16).toBe(true);
      expect(
        Buffer.from((await ours.decrypt({ algorithm, ciphertext: theirs.result, iv: theirs.iv! } as never)).result),
      ).toEqual(Buffer.from(plaintext));
      expect(
        Buffer.from((await official.decrypt({ algorithm, ciphertext: mine.result, iv: mine.iv! } as never)).result),
      ).toEqual(Buffer.from(plaintext));
    },
  );
});
