/**
 * The CryptographyClient end to end against the emulator: every algorithm through a vault key, the
 * results checked by the other side (vault signs, client verifies; client encrypts, vault decrypts),
 * by node:crypto, and by a local-only client on the same key. (The 403 fallback is in the unit tests.) Plain HTTP for most tests; one suite over HTTPS trusting the emulator's
 * self-signed certificate.
 */
import { constants, createHash, privateDecrypt, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { CryptographyClient, KeyClient, type KeyVaultKey } from "../../src/index.js";
import { hashOf, rsaTestKey } from "../helpers/cryptographyKeys.js";

let emu: RunningEmulator;
let keys: KeyClient;
const data = Buffer.from("end-to-end document");
const name = (prefix: string): string => `${prefix}-${randomBytes(4).toString("hex")}`;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, https: false });
  keys = new KeyClient(emu.url, emu.credential, {
    allowInsecureConnection: true,
    disableChallengeResourceVerification: true,
  });
});
afterAll(async () => {
  await emu?.close();
});

describe("RSA key in the vault", () => {
  let key: KeyVaultKey;
  let crypto: CryptographyClient;
  beforeAll(async () => {
    key = await keys.createRsaKey(name("rsa"), { keySize: 2048 });
    crypto = keys.getCryptographyClient(key.name);
  });

  it.each(["RSA1_5", "RSA-OAEP", "RSA-OAEP-256"] as const)(
    "%s: encrypt (local, public key) then decrypt (vault); wrap then unwrap",
    async (algorithm) => {
      const encrypted = await crypto.encrypt({ algorithm, plaintext: data });
      expect(encrypted.keyID).toBe(key.id);
      expect((await crypto.decrypt({ algorithm, ciphertext: encrypted.result })).result).toEqual(data);
      const dataKey = randomBytes(32);
      const wrapped = await crypto.wrapKey(algorithm, dataKey);
      expect((await crypto.unwrapKey(algorithm, wrapped.result)).result).toEqual(dataKey);
    },
  );

  it.each(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"])(
    "%s: the vault signs, the client verifies locally (digest and data)",
    async (algorithm) => {
      const digest = createHash(hashOf(algorithm)).update(data).digest();
      const signed = await crypto.sign(algorithm, digest);
      expect((await crypto.verify(algorithm, digest, signed.result)).result).toBe(true);
      expect((await crypto.verifyData(algorithm, data, signed.result)).result).toBe(true);
      const signedData = await crypto.signData(algorithm, data);
      expect((await crypto.verifyData(algorithm, data, signedData.result)).result).toBe(true);
      expect((await crypto.verifyData(algorithm, Buffer.from("other"), signedData.result)).result).toBe(false);
    },
  );

  it("a KeyVaultKey client verifies with no request; an id-only client without a version works too", async () => {
    const fromKey = new CryptographyClient(key, emu.credential, {
      allowInsecureConnection: true,
      disableChallengeResourceVerification: true,
    });
    const unversioned = new CryptographyClient(`${emu.url}/keys/${key.name}`, emu.credential, {
      allowInsecureConnection: true,
      disableChallengeResourceVerification: true,
    });
    const signed = await unversioned.signData("PS256", data);
    expect(signed.keyID).toBe(key.id);
    expect((await fromKey.verifyData("PS256", data, signed.result)).result).toBe(true);
  });
});

describe.each([
  ["ES256", "P-256"],
  ["ES384", "P-384"],
  ["ES512", "P-521"],
  ["ES256K", "P-256K"],
] as const)("%s with an EC %s key in the vault", (algorithm, curve) => {
  it("the vault signs digests and data; the client and a local-only client on the public key verify", async () => {
    const key = await keys.createEcKey(name("ec"), { curve });
    const crypto = keys.getCryptographyClient(key.name, { keyVersion: key.properties.version });
    const digest = createHash(hashOf(algorithm)).update(data).digest();
    const signed = await crypto.sign(algorithm, digest);
    expect((await crypto.verify(algorithm, digest, signed.result)).result).toBe(true);
    const signedData = await crypto.signData(algorithm, data);
    expect((await crypto.verifyData(algorithm, data, signedData.result)).result).toBe(true);
    // The same signature through a local-only client on the public key.
    const local = new CryptographyClient(key.key as NonNullable<KeyVaultKey["key"]>);
    expect((await local.verify(algorithm, digest, signedData.result)).result).toBe(true);
  });
});

describe("an imported RSA key: local-only signatures and ciphertexts, vault results", () => {
  it("what a local-only client signs and encrypts, the vault verifies and decrypts", async () => {
    const material = rsaTestKey();
    const key = await keys.importKey(name("imported"), material.jwk);
    const vaultClient = keys.getCryptographyClient(key.name);
    const local = new CryptographyClient(material.jwk);
    for (const algorithm of ["RS256", "PS512"]) {
      const signed = await local.signData(algorithm, data);
      expect((await vaultClient.verifyData(algorithm, data, signed.result)).result).toBe(true);
    }
    const encrypted = await local.encrypt({ algorithm: "RSA-OAEP-256", plaintext: data });
    expect((await vaultClient.decrypt({ algorithm: "RSA-OAEP-256", ciphertext: encrypted.result })).result).toEqual(
      data,
    );
    const fromVault = await vaultClient.encrypt({ algorithm: "RSA-OAEP", plaintext: data });
    expect(
      privateDecrypt(
        { key: material.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
        fromVault.result,
      ),
    ).toEqual(data);
  });
});

describe("an oct-HSM key in the vault: AES in the vault", () => {
  it.each([128, 192, 256] as const)("%i bits: GCM, CBC, CBCPAD and KW round trips", async (keySize) => {
    const key = await keys.createOctKey(name("aes"), { keySize, hsm: true });
    const crypto = keys.getCryptographyClient(key.name);
    const aad = Buffer.from("header");
    const gcm = await crypto.encrypt({
      algorithm: `A${keySize}GCM` as "A128GCM",
      plaintext: data,
      additionalAuthenticatedData: aad,
    });
    expect(gcm.iv).toHaveLength(12);
    expect(gcm.authenticationTag).toHaveLength(16);
    const opened = await crypto.decrypt({
      algorithm: `A${keySize}GCM` as "A128GCM",
      ciphertext: gcm.result,
      iv: gcm.iv as Uint8Array,
      authenticationTag: gcm.authenticationTag as Uint8Array,
      additionalAuthenticatedData: aad,
    });
    expect(opened.result).toEqual(data);
    for (const algorithm of [`A${keySize}CBCPAD`, `A${keySize}CBC`] as const) {
      const plaintext = algorithm.endsWith("PAD") ? data : data.subarray(0, 16);
      const cbc = await crypto.encrypt({ algorithm: algorithm as "A128CBC", plaintext });
      expect(cbc.iv).toHaveLength(16);
      expect(
        (await crypto.decrypt({ algorithm: algorithm as "A128CBC", ciphertext: cbc.result, iv: cbc.iv as Uint8Array }))
          .result,
      ).toEqual(Buffer.from(plaintext));
    }
    const dataKey = randomBytes(32);
    const wrapped = await crypto.wrapKey(`A${keySize}KW` as "A128KW", dataKey);
    expect((await crypto.unwrapKey(`A${keySize}KW` as "A128KW", wrapped.result)).result).toEqual(dataKey);
  });
});

describe("key state is enforced", () => {
  it("key_ops and a disabled key are refused locally, before any request", async () => {
    const key = await keys.createRsaKey(name("limited"), { keyOps: ["verify"] });
    const crypto = keys.getCryptographyClient(key.name);
    await expect(crypto.encrypt({ algorithm: "RSA-OAEP", plaintext: data })).rejects.toThrow(
      /Operation encrypt is not supported on key/,
    );
    const disabled = await keys.updateKeyProperties(key.name, { enabled: false });
    const again = new CryptographyClient(disabled, emu.credential, {
      allowInsecureConnection: true,
      disableChallengeResourceVerification: true,
    });
    await expect(again.verifyData("RS256", data, new Uint8Array(256))).rejects.toThrow(/is disabled/);
  });

  it("a missing key is a RestError 404 from the GET", async () => {
    const crypto = keys.getCryptographyClient(name("missing"));
    await expect(crypto.sign("RS256", new Uint8Array(32))).rejects.toMatchObject({
      name: "RestError",
      statusCode: 404,
    });
  });
});

describe("over HTTPS, trusting the emulator's certificate", () => {
  let secure: RunningEmulator;
  beforeAll(async () => {
    secure = await startEmulator({ port: 0 });
  });
  afterAll(async () => {
    await secure?.close();
  });

  it("signs in the vault and verifies locally", async () => {
    const options = { disableChallengeResourceVerification: true, tlsOptions: { ca: secure.certificate } };
    const client = new KeyClient(secure.url, secure.credential, options);
    const key = await client.createEcKey(name("tls"), { curve: "P-256" });
    const crypto = new CryptographyClient(key.id as string, secure.credential, options);
    const signed = await crypto.signData("ES256", data);
    expect((await crypto.verifyData("ES256", data, signed.result)).result).toBe(true);
  });
});
