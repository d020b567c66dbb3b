/**
 * Weak RSA public keys are refused by every local public-key operation (encrypt, wrapKey, verify,
 * verifyData), with an error naming the key size or the exponent: a modulus under 2048 bits (Key Vault
 * never holds one), or a public exponent that is not an odd number of at least 3 (with e = 1 the
 * "ciphertext" is the plaintext). Nothing is sent anywhere, and a client with a vault refuses them too.
 */
import { createHash, sign } from "node:crypto";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CryptographyClient, KeyVaultKey, type JsonWebKeyFields } from "../../src/index.js";
import { b64, generateTestKeyPair, rsaTestKey } from "../helpers/cryptographyKeys.js";
import { FakeCredential } from "../helpers/fakeCredential.js";

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

const data = Buffer.from("weak keys");
const digest = createHash("sha256").update(data).digest();

/** Every local public-key operation of a client, as a thunk. */
function publicOperations(client: CryptographyClient): Record<string, () => Promise<unknown>> {
  const signature = new Uint8Array(256);
  return {
    "encrypt RSA-OAEP-256": () => client.encrypt({ algorithm: "RSA-OAEP-256", plaintext: data }),
    "encrypt RSA1_5": () => client.encrypt({ algorithm: "RSA1_5", plaintext: data }),
    "wrapKey RSA-OAEP": () => client.wrapKey("RSA-OAEP", new Uint8Array(32)),
    "verify RS256": () => client.verify("RS256", digest, signature),
    "verify PS256": () => client.verify("PS256", digest, signature),
    "verifyData RS256": () => client.verifyData("RS256", data, signature),
    "verifyData PS384": () => client.verifyData("PS384", data, signature),
  };
}

function publicJwkOf(bits: number, e?: Uint8Array): JsonWebKeyFields {
  const { publicKey } = generateTestKeyPair("rsa", { modulusLength: bits });
  const j = publicKey.export({ format: "jwk" });
  return { kty: "RSA", n: b64(j.n), e: e ?? b64(j.e) };
}

describe.each([
  [512, /its modulus has 512 bits, and at least 2048 are needed/],
  [1024, /its modulus has 1024 bits, and at least 2048 are needed/],
  [1536, /its modulus has 1536 bits, and at least 2048 are needed/],
])("a %i-bit RSA key", (bits, message) => {
  const jwk = publicJwkOf(bits);
  it.each(Object.keys(publicOperations(new CryptographyClient(jwk))))("%s is refused, naming the size", async (op) => {
    await expect(publicOperations(new CryptographyClient(jwk))[op]!()).rejects.toThrow(message);
  });

  it("is refused the same way by a client with a vault, which sends nothing", async () => {
    const key = new KeyVaultKey("https://weak.vault.azure.net/keys/weak/0123456789abcdef0123456789abcdef", jwk);
    const client = new CryptographyClient(key, new FakeCredential());
    for (const [op, run] of Object.entries(publicOperations(client))) await expect(run(), op).rejects.toThrow(message);
  });
});

describe.each([
  ["1", [1]],
  ["0", [0]],
  ["2", [2]],
  ["65536", [1, 0, 0]],
])("public exponent %s", (shown, bytes) => {
  const jwk = publicJwkOf(2048, new Uint8Array(bytes));
  it("refuses every public-key operation, naming the exponent", async () => {
    const client = new CryptographyClient(jwk);
    for (const [op, run] of Object.entries(publicOperations(client))) {
      await expect(run(), op).rejects.toThrow(
        `The RSA key's public exponent ${shown} is not allowed: it must be an odd number of at least 3 (65537 in practice).`,
      );
    }
  });
});

describe("strong keys", () => {
  it("2048 bits with e = 65537 and e = 3 work; a key's private operations are not affected", async () => {
    for (const publicExponent of [65537, 3]) {
      const { privateKey, publicKey } = generateTestKeyPair("rsa", { modulusLength: 2048, publicExponent });
      const j = publicKey.export({ format: "jwk" });
      const client = new CryptographyClient({ kty: "RSA", n: b64(j.n), e: b64(j.e) });
      expect((await client.encrypt({ algorithm: "RSA-OAEP-256", plaintext: data })).result).toHaveLength(256);
      expect((await client.verifyData("RS256", data, sign("sha256", data, privateKey))).result).toBe(true);
    }
    const signer = new CryptographyClient(rsaTestKey("RSA", 2048).jwk);
    expect((await signer.sign("RS256", digest)).result).toHaveLength(256);
  });
});
