/**
 * RSA1_5 (PKCS#1 v1.5) decryption must not be a padding oracle: a caller who sends ciphertexts must not
 * learn from the outcome whether a block was valid PKCS#1 v1.5 (Bleichenbacher; a probe recovered a
 * secret from one ciphertext in 44,387 calls when a bad block threw and a good one did not).
 * - A local-only client refuses RSA1_5 decrypt and unwrapKey for every ciphertext, valid or not, with
 *   one error that says the vault is needed.
 * - The emulator, which must decrypt RSA1_5 as the service does, answers 200 with a message for every
 *   ciphertext of the modulus's length (implicit rejection): the decrypted message of a valid block,
 *   a pseudo-random one, always the same for the same ciphertext, for an invalid block.
 */
import { type KeyObject, constants, createPublicKey, publicEncrypt, randomBytes } from "node:crypto";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CryptographyClient } from "../../src/index.js";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { generateTestKeyPair, rsaTestKey } from "../helpers/cryptographyKeys.js";
import { startTestEmulator, uniqueName, type EmulatorTestClient } from "../helpers/emulatorTestClient.js";

const message = Buffer.from("a 32-byte data encryption key!!!");

/** Raw RSA of a block chosen byte by byte: what an attacker probing the oracle sends. */
function rawBlock(publicKey: KeyObject, em: Buffer): Buffer {
  return publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, em);
}

function belowModulus(ciphertext: Buffer): Buffer {
  const copy = Buffer.from(ciphertext);
  copy[0] = (copy[0] ?? 0) & 0x7f;
  return copy;
}

/** Valid and invalid RSA1_5 ciphertexts for a 2048-bit public key, by name. */
function probes(publicKey: KeyObject, otherPublicKey: KeyObject): Record<string, Buffer> {
  const nonzero = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i % 250) + 1));
  return {
    "a valid block": publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, message),
    "another valid block": publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, message),
    "a block with no 00 separator": rawBlock(publicKey, Buffer.concat([Buffer.from([0, 2]), nonzero(254)])),
    "a block with 7 bytes of padding": rawBlock(
      publicKey,
      Buffer.concat([Buffer.from([0, 2]), nonzero(7), Buffer.from([0]), nonzero(246)]),
    ),
    "a block of type 1": rawBlock(
      publicKey,
      Buffer.concat([Buffer.from([0, 1]), nonzero(200), Buffer.from([0]), nonzero(53)]),
    ),
    "a block not starting with 00": rawBlock(
      publicKey,
      Buffer.concat([Buffer.from([1, 2]), nonzero(200), Buffer.from([0]), nonzero(53)]),
    ),
    // Below this key's modulus (top bit cleared), so that it is a block of this key: which ciphertext is
    // above the modulus is public, and answered as such.
    "a ciphertext for another key": belowModulus(
      publicEncrypt({ key: otherPublicKey, padding: constants.RSA_PKCS1_PADDING }, message),
    ),
  };
}

describe("a local-only client", () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());

  it("gives one and the same outcome for valid and invalid RSA1_5 blocks, decrypt and unwrapKey: a refusal naming the vault", async () => {
    const key = rsaTestKey("RSA", 2048, "local-rsa");
    const client = new CryptographyClient(key.jwk);
    const outcomes = new Map<string, string>();
    for (const [what, ciphertext] of Object.entries(probes(key.publicKey, rsaTestKey().publicKey))) {
      for (const operation of ["decrypt", "unwrapKey"] as const) {
        const outcome = await (
          operation === "decrypt"
            ? client.decrypt({ algorithm: "RSA1_5", ciphertext })
            : client.unwrapKey("RSA1_5", ciphertext)
        ).then(
          (result) => `result of ${result.result.length} bytes`,
          (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
        );
        outcomes.set(`${operation} ${what}`, outcome.replace(operation, "<operation>"));
      }
    }
    const distinct = new Set(outcomes.values());
    expect(distinct.size, JSON.stringify(Object.fromEntries(outcomes), null, 2)).toBe(1);
    expect([...distinct][0]).toBe(
      'Error: Unable to support operation: "<operation>" with algorithm: "RSA1_5" using a local JsonWebKey: ' +
        "RSA1_5 decryption needs the vault (done locally it would be a padding oracle). Use a CryptographyClient " +
        "for the key in its vault, or RSA-OAEP-256.",
    );
  });
});

describe("the emulator", () => {
  let emulator: RunningEmulator;
  let client: EmulatorTestClient;
  beforeAll(async () => {
    ({ emulator, client } = await startTestEmulator());
  });
  afterAll(async () => {
    await emulator.close();
  });

  it("answers every RSA1_5 ciphertext alike (200 and a message), valid blocks with their message, invalid ones deterministically", async () => {
    const { privateKey } = generateTestKeyPair("rsa", { modulusLength: 2048 });
    const name = uniqueName("rsa15-oracle");
    const imported = await client.request("PUT", `/keys/${name}`, { key: privateKey.export({ format: "jwk" }) });
    expect(imported.status).toBe(200);
    const publicKey = createPublicKey({
      key: { kty: "RSA", n: imported.body.key.n, e: imported.body.key.e },
      format: "jwk",
    });
    const other = generateTestKeyPair("rsa", { modulusLength: 2048 }).publicKey;
    const shapes = new Set<string>();
    for (const [what, ciphertext] of Object.entries(probes(publicKey, other))) {
      for (const operation of ["decrypt", "unwrapkey"]) {
        const send = (): Promise<{ status: number; body: { kid: string; value: string } }> =>
          client.post(`/keys/${name}/${operation}`, { alg: "RSA1_5", value: ciphertext.toString("base64url") });
        const first = await send();
        shapes.add(`${first.status} ${Object.keys(first.body).sort().join(",")}`);
        const plaintext = Buffer.from(first.body.value, "base64url");
        if (what.startsWith("a valid") || what.startsWith("another valid")) expect(plaintext, what).toEqual(message);
        else {
          expect(plaintext.equals(message), what).toBe(false);
          expect((await send()).body.value, `${what}: the same answer again`).toBe(first.body.value);
        }
      }
    }
    expect([...shapes]).toEqual(["200 kid,value"]);
    // A random block decrypts too (to noise), however many are tried.
    for (let i = 0; i < 20; i++) {
      const block = Buffer.concat([Buffer.from([0]), randomBytes(255)]);
      const answer = await client.post(`/keys/${name}/decrypt`, {
        alg: "RSA1_5",
        value: rawBlock(publicKey, block).toString("base64url"),
      });
      expect(answer.status).toBe(200);
    }
  });
});
