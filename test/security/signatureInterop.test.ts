/**
 * Every ES*, PS* and RS* signature interoperates with node:crypto (OpenSSL) in both directions, from the
 * client and from the emulator: what ours signs (a digest, or data) node:crypto verifies over the data,
 * and what node:crypto signs ours verifies (a digest, or data); a changed byte makes it false. PS*
 * signatures are checked by node:crypto with the salt exactly as long as the digest, and one with another
 * salt length verifies neither in the client nor in the emulator (Key Vault's PSS salt is the digest's length).
 */
import { type KeyObject, constants, createHash, randomBytes, sign, verify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { CryptographyClient, KeyClient } from "../../src/index.js";
import { ecTestKey, hashOf, rsaTestKey } from "../helpers/cryptographyKeys.js";

const data = randomBytes(300);
const curveOf: Record<string, string> = { ES256: "P-256", ES256K: "P-256K", ES384: "P-384", ES512: "P-521" };
const algorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES256K", "ES384", "ES512"];

/** node:crypto's options for an algorithm and key. */
function nodeOptions(algorithm: string, key: KeyObject): Parameters<typeof verify>[2] {
  if (algorithm.startsWith("ES")) return { key, dsaEncoding: "ieee-p1363" };
  if (algorithm.startsWith("PS")) {
    const saltLength = createHash(hashOf(algorithm)).digest().length;
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength };
  }
  return { key };
}

const tampered = (bytes: Uint8Array): Uint8Array => {
  const copy = new Uint8Array(bytes);
  copy[7] = (copy[7] ?? 0) ^ 0x10;
  return copy;
};

/** Checks one signer (ours) and one verifier (ours) against node:crypto with the key pair of `algorithm`. */
async function interoperate(
  algorithm: string,
  ours: { signer: CryptographyClient; verifier: CryptographyClient },
  keys: { privateKey?: KeyObject; publicKey: KeyObject },
): Promise<void> {
  const hash = hashOf(algorithm);
  const digest = createHash(hash).update(data).digest();
  for (const signature of [
    (await ours.signer.sign(algorithm, digest)).result,
    (await ours.signer.signData(algorithm, data)).result,
  ]) {
    expect(
      verify(hash, data, nodeOptions(algorithm, keys.publicKey), signature),
      `${algorithm}: node verifies ours`,
    ).toBe(true);
    expect((await ours.verifier.verify(algorithm, digest, signature)).result).toBe(true);
  }
  if (keys.privateKey) {
    const theirs = sign(hash, data, nodeOptions(algorithm, keys.privateKey) as Parameters<typeof sign>[2]);
    expect((await ours.verifier.verify(algorithm, digest, theirs)).result, `${algorithm}: we verify node's`).toBe(true);
    expect((await ours.verifier.verifyData(algorithm, data, theirs)).result).toBe(true);
    expect((await ours.verifier.verify(algorithm, digest, tampered(theirs))).result).toBe(false);
    expect((await ours.verifier.verifyData(algorithm, data, tampered(theirs))).result).toBe(false);
    const otherDigest = createHash(hash).update("other").digest();
    expect((await ours.verifier.verify(algorithm, otherDigest, theirs)).result).toBe(false);
  }
}

describe("the client, local keys", () => {
  const rsa = rsaTestKey("RSA", 2048);
  const ec = Object.fromEntries(Object.values(curveOf).map((crv) => [crv, ecTestKey(crv)]));

  it.each(algorithms)("%s: both directions, private and public-only JsonWebKeys", async (algorithm) => {
    const key = algorithm.startsWith("ES") ? ec[curveOf[algorithm] ?? ""]! : rsa;
    await interoperate(
      algorithm,
      { signer: new CryptographyClient(key.jwk), verifier: new CryptographyClient(key.publicJwk) },
      key,
    );
    // A private JsonWebKey verifies with its public part too.
    await interoperate(
      algorithm,
      { signer: new CryptographyClient(key.jwk), verifier: new CryptographyClient(key.jwk) },
      key,
    );
  });
});

describe("the emulator", () => {
  let emulator: RunningEmulator;
  let keys: KeyClient;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, https: false });
    keys = new KeyClient(emulator.url, emulator.credential, {
      allowInsecureConnection: true,
      disableChallengeResourceVerification: true,
    });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it.each(algorithms)("%s: the vault signs and verifies; node:crypto agrees both ways", async (algorithm) => {
    const crv = curveOf[algorithm];
    const name = `interop-${algorithm.toLowerCase()}-${randomBytes(3).toString("hex")}`;
    // Imported, so that node:crypto holds the private key too.
    const pair = crv ? ecTestKey(crv) : rsaTestKey("RSA", 2048);
    const created = await keys.importKey(name, { ...pair.jwk, keyOps: ["sign", "verify"] });
    const signer = keys.getCryptographyClient(name, { keyVersion: created.properties.version });
    // The vault's public key, known to the client: verify and verifyData run locally.
    const localVerifier = new CryptographyClient(created, emulator.credential, {
      allowInsecureConnection: true,
      disableChallengeResourceVerification: true,
    });
    await interoperate(algorithm, { signer, verifier: localVerifier }, pair);

    // The emulator's own verify: its signature and node's verify there, changed ones do not.
    const hash = hashOf(algorithm);
    const digest = createHash(hash).update(data).digest();
    const theirs = sign(hash, data, nodeOptions(algorithm, pair.privateKey) as Parameters<typeof sign>[2]);
    const raw = (signature: Uint8Array): Promise<Response> =>
      fetch(`${emulator.url}/keys/${name}/verify?api-version=7.6`, {
        method: "POST",
        headers: { authorization: `Bearer ${emulator.createToken()}`, "content-type": "application/json" },
        body: JSON.stringify({
          alg: algorithm,
          digest: digest.toString("base64url"),
          value: Buffer.from(signature).toString("base64url"),
        }),
      });
    const ours = (await signer.sign(algorithm, digest)).result;
    for (const signature of [theirs, ours]) {
      expect(await (await raw(signature)).json()).toEqual({ value: true });
      expect(await (await raw(tampered(signature))).json()).toEqual({ value: false });
    }
    if (algorithm.startsWith("PS")) {
      // The salt is as long as the digest, on both sides: a PSS signature with another salt verifies nowhere.
      const otherSalt = sign(hash, data, {
        key: pair.privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 20,
      });
      expect(await (await raw(otherSalt)).json()).toEqual({ value: false });
      expect((await localVerifier.verify(algorithm, digest, otherSalt)).result).toBe(false);
      expect((await localVerifier.verifyData(algorithm, data, otherSalt)).result).toBe(false);
    }
  });
});
