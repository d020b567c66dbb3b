/**
 * Every algorithm through a local-only CryptographyClient (a JsonWebKey, no vault), each result judged
 * by node:crypto: what the client signs node verifies and the other way round; what it encrypts node
 * decrypts and the other way round. No request may leave the process.
 */
import {
  type CipherGCM,
  type DecipherGCM,
  constants,
  createCipheriv,
  createDecipheriv,
  createHmac,
  privateDecrypt,
  privateEncrypt,
  publicDecrypt,
  publicEncrypt,
  randomBytes,
  sign,
  verify,
} from "node:crypto";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CryptographyClient } from "../../src/index.js";
import { digestOf, ecTestKey, hashOf, octTestKey, rsaTestKey } from "../helpers/cryptographyKeys.js";

const data = new Uint8Array(Buffer.from("The quick brown fox jumps over the lazy dog"));
const tamper = (bytes: Uint8Array): Uint8Array => {
  const copy = new Uint8Array(bytes);
  copy[copy.length >> 1] = (copy[copy.length >> 1] ?? 0) ^ 0x01;
  return copy;
};

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe.each(["RSA", "RSA-HSM"])("local %s", (kty) => {
  const key = rsaTestKey(kty, 2048, "local-rsa");
  const client = new CryptographyClient(key.jwk);

  it("is local only: no vault, the JWK's kid", () => {
    expect(client.vaultUrl).toBe("");
    expect(client.keyID).toBe("local-rsa");
  });

  it.each(["RSA-OAEP", "RSA-OAEP-256"])(
    "%s encrypt and wrapKey decrypt with node; node's ciphertexts decrypt here",
    async (algorithm) => {
      const oaepHash = algorithm === "RSA-OAEP" ? "sha1" : "sha256";
      const encrypted = await client.encrypt({ algorithm: algorithm as "RSA-OAEP", plaintext: data });
      expect(encrypted).toMatchObject({ algorithm, keyID: "local-rsa" });
      expect(
        privateDecrypt({ key: key.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, encrypted.result),
      ).toEqual(Buffer.from(data));
      const wrapped = await client.wrapKey(algorithm as "RSA-OAEP", data);
      expect(
        privateDecrypt({ key: key.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, wrapped.result),
      ).toEqual(Buffer.from(data));

      const theirs = publicEncrypt({ key: key.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
      expect((await client.decrypt({ algorithm: algorithm as "RSA-OAEP", ciphertext: theirs })).result).toEqual(
        Buffer.from(data),
      );
      expect((await client.unwrapKey(algorithm as "RSA-OAEP", theirs)).result).toEqual(Buffer.from(data));
    },
  );

  it("RSA1_5 encrypt gives EME-PKCS1-v1_5 blocks; RSA1_5 decrypt and unwrapKey are refused locally, naming the vault", async () => {
    const encrypted = await client.encrypt("RSA1_5", data);
    const em = privateDecrypt({ key: key.privateKey, padding: constants.RSA_NO_PADDING }, encrypted.result);
    expect([em[0], em[1]]).toEqual([0, 2]);
    const separator = em.indexOf(0, 2);
    expect(separator).toBeGreaterThanOrEqual(10);
    expect(em.subarray(separator + 1)).toEqual(Buffer.from(data));

    const theirs = publicEncrypt({ key: key.publicKey, padding: constants.RSA_PKCS1_PADDING }, data);
    await expect(client.decrypt("RSA1_5", theirs)).rejects.toThrow(
      'Unable to support operation: "decrypt" with algorithm: "RSA1_5" using a local JsonWebKey: RSA1_5 decryption needs the vault',
    );
    await expect(client.unwrapKey("RSA1_5", theirs)).rejects.toThrow(
      'Unable to support operation: "unwrapKey" with algorithm: "RSA1_5" using a local JsonWebKey: RSA1_5 decryption needs the vault',
    );
  });

  it.each(["RS256", "RS384", "RS512"])(
    "%s: sign, verify, signData and verifyData agree with node",
    async (algorithm) => {
      const hash = hashOf(algorithm);
      const digest = digestOf(algorithm, data);
      const signed = await client.sign(algorithm, digest);
      expect(signed).toMatchObject({ algorithm, keyID: "local-rsa" });
      expect(verify(hash, data, key.publicKey, signed.result)).toBe(true);
      expect((await client.signData(algorithm, data)).result).toEqual(signed.result); // PKCS#1 v1.5 is deterministic

      const theirs = sign(hash, data, key.privateKey);
      expect((await client.verify(algorithm, digest, theirs)).result).toBe(true);
      expect((await client.verifyData(algorithm, data, theirs)).result).toBe(true);
      expect((await client.verify(algorithm, digest, tamper(theirs))).result).toBe(false);
      expect((await client.verifyData(algorithm, tamper(data), theirs)).result).toBe(false);
    },
  );

  it.each(["PS256", "PS384", "PS512"])(
    "%s: salt length = digest length, both ways, digest and data",
    async (algorithm) => {
      const hash = hashOf(algorithm);
      const saltLength = { sha256: 32, sha384: 48, sha512: 64 }[hash];
      const digest = digestOf(algorithm, data);
      const pss = { key: key.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength };
      const signed = await client.sign(algorithm, digest);
      expect(verify(hash, data, pss, signed.result)).toBe(true);
      const signedData = await client.signData(algorithm, data);
      expect(verify(hash, data, pss, signedData.result)).toBe(true);

      const theirs = sign(hash, data, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
      expect((await client.verify(algorithm, digest, theirs)).result).toBe(true);
      // The official package's local verifyData answers false here (it checks PKCS#1 v1.5).
      expect((await client.verifyData(algorithm, data, theirs)).result).toBe(true);
      expect((await client.verify(algorithm, digest, tamper(theirs))).result).toBe(false);
      expect((await client.verifyData(algorithm, data, tamper(theirs))).result).toBe(false);
    },
  );

  it("RSNULL signs the raw digest with PKCS#1 v1.5 padding; no signData (no hash)", async () => {
    const digest = digestOf("RS256", data);
    const signed = await client.sign("RSNULL", digest);
    expect(publicDecrypt({ key: key.publicKey, padding: constants.RSA_PKCS1_PADDING }, signed.result)).toEqual(
      Buffer.from(digest),
    );
    const theirs = privateEncrypt({ key: key.privateKey, padding: constants.RSA_PKCS1_PADDING }, digest);
    expect((await client.verify("RSNULL", digest, theirs)).result).toBe(true);
    // As the official client words it: RSNULL has no hash to apply to data.
    await expect(client.signData("RSNULL", data)).rejects.toThrow(
      'Unable to support operation: "signData" with algorithm: "RSNULL" using a local JsonWebKey',
    );
  });

  it("a public-only JWK encrypts and verifies, and refuses to decrypt or sign as the official client does", async () => {
    const publicOnly = new CryptographyClient(key.publicJwk);
    const encrypted = await publicOnly.encrypt({ algorithm: "RSA-OAEP-256", plaintext: data });
    expect((await client.decrypt({ algorithm: "RSA-OAEP-256", ciphertext: encrypted.result })).result).toEqual(
      Buffer.from(data),
    );
    await expect(publicOnly.decrypt({ algorithm: "RSA-OAEP-256", ciphertext: encrypted.result })).rejects.toThrow(
      'Unable to support operation: "decrypt" with algorithm: "RSA-OAEP-256" using a local JsonWebKey',
    );
    await expect(publicOnly.sign("RS256", digestOf("RS256", data))).rejects.toThrow(
      'Unable to support operation: "sign" with algorithm: "RS256" using a local JsonWebKey',
    );
    const signed = await client.sign("PS256", digestOf("PS256", data));
    expect((await publicOnly.verify("PS256", digestOf("PS256", data), signed.result)).result).toBe(true);
  });
});

describe.each([
  ["ES256", "P-256"],
  ["ES384", "P-384"],
  ["ES512", "P-521"],
  ["ES256K", "P-256K"],
])("local %s (%s)", (algorithm, crv) => {
  for (const kty of ["EC", "EC-HSM"]) {
    it(`${kty}: raw r||s signatures over digests and data, both ways`, async () => {
      const key = ecTestKey(crv, kty);
      const client = new CryptographyClient(key.jwk);
      const hash = hashOf(algorithm);
      const digest = digestOf(algorithm, data);
      const p1363 = { key: key.publicKey, dsaEncoding: "ieee-p1363" as const };

      const signed = await client.sign(algorithm, digest);
      expect(signed.result.length).toBe({ "P-256": 64, "P-256K": 64, "P-384": 96, "P-521": 132 }[crv]);
      expect(verify(hash, data, p1363, signed.result)).toBe(true);
      const signedData = await client.signData(algorithm, data);
      expect(verify(hash, data, p1363, signedData.result)).toBe(true);

      const theirs = sign(hash, data, { key: key.privateKey, dsaEncoding: "ieee-p1363" });
      expect((await client.verify(algorithm, digest, theirs)).result).toBe(true);
      expect((await client.verifyData(algorithm, data, theirs)).result).toBe(true);
      expect((await client.verify(algorithm, digest, tamper(theirs))).result).toBe(false);
      expect((await client.verify(algorithm, tamper(digest), theirs)).result).toBe(false);
      expect((await client.verifyData(algorithm, tamper(data), theirs)).result).toBe(false);
      expect((await client.verify(algorithm, digest, theirs.subarray(1))).result).toBe(false);

      const publicOnly = new CryptographyClient(key.publicJwk);
      expect((await publicOnly.verify(algorithm, digest, signed.result)).result).toBe(true);
      await expect(publicOnly.sign(algorithm, digest)).rejects.toThrow(/^Unable to support operation: "sign"/);
    });
  }
});

describe.each(["oct", "oct-HSM"])("local AES with an %s key", (kty) => {
  describe.each([16, 24, 32])("%i-byte key", (size) => {
    const bits = size * 8;
    const jwk = octTestKey(size, kty);
    const k = jwk.k as Uint8Array;
    const client = new CryptographyClient(jwk);

    it(`A${bits}GCM: random 12-byte iv, 16-byte tag, aad; node agrees both ways`, async () => {
      const aad = new Uint8Array([1, 2, 3]);
      const algorithm = `A${bits}GCM` as "A128GCM";
      const encrypted = await client.encrypt({ algorithm, plaintext: data, additionalAuthenticatedData: aad });
      expect(encrypted.iv?.length).toBe(12);
      expect(encrypted.authenticationTag?.length).toBe(16);
      expect(encrypted.additionalAuthenticatedData).toEqual(Buffer.from(aad));
      const decipher = createDecipheriv(`aes-${bits}-gcm`, k, encrypted.iv as Uint8Array) as DecipherGCM;
      decipher.setAuthTag(encrypted.authenticationTag as Uint8Array);
      decipher.setAAD(aad);
      expect(Buffer.concat([decipher.update(encrypted.result), decipher.final()])).toEqual(Buffer.from(data));

      const iv = randomBytes(12);
      const cipher = createCipheriv(`aes-${bits}-gcm`, k, iv) as CipherGCM;
      cipher.setAAD(aad);
      const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
      const params = {
        algorithm,
        ciphertext,
        iv,
        authenticationTag: cipher.getAuthTag(),
        additionalAuthenticatedData: aad,
      };
      expect((await client.decrypt(params)).result).toEqual(Buffer.from(data));
      await expect(client.decrypt({ ...params, authenticationTag: tamper(params.authenticationTag) })).rejects.toThrow(
        /authentication tag/,
      );
      await expect(client.decrypt({ ...params, additionalAuthenticatedData: undefined })).rejects.toThrow(
        /authentication tag/,
      );
    });

    it.each([
      [`A${bits}CBC`, false],
      [`A${bits}CBCPAD`, true],
    ])("%s: a random 16-byte iv when none is given; node agrees both ways", async (algorithm, padded) => {
      const plaintext = padded ? data : data.subarray(0, 32);
      const encrypted = await client.encrypt({ algorithm: algorithm as "A128CBC", plaintext });
      expect(encrypted.iv?.length).toBe(16);
      const decipher = createDecipheriv(`aes-${bits}-cbc`, k, encrypted.iv as Uint8Array).setAutoPadding(padded);
      expect(Buffer.concat([decipher.update(encrypted.result), decipher.final()])).toEqual(Buffer.from(plaintext));

      const iv = randomBytes(16);
      const given = await client.encrypt({ algorithm: algorithm as "A128CBC", plaintext, iv });
      expect(given.iv).toEqual(iv);
      const cipher = createCipheriv(`aes-${bits}-cbc`, k, iv).setAutoPadding(padded);
      const theirs = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      expect(Buffer.from(given.result)).toEqual(theirs);
      expect((await client.decrypt({ algorithm: algorithm as "A128CBC", ciphertext: theirs, iv })).result).toEqual(
        Buffer.from(plaintext),
      );
    });

    it(`A${bits}KW and CKM_AES_KEY_WRAP(_PAD) wrap as node's id-aes${bits}-wrap does`, async () => {
      const dataKey = randomBytes(32);
      const wrapped = await client.wrapKey(`A${bits}KW` as "A128KW", dataKey);
      const unwrap = createDecipheriv(`id-aes${bits}-wrap`, k, Buffer.from("a6a6a6a6a6a6a6a6", "hex"));
      expect(Buffer.concat([unwrap.update(wrapped.result), unwrap.final()])).toEqual(dataKey);
      expect((await client.unwrapKey(`A${bits}KW` as "A128KW", wrapped.result)).result).toEqual(dataKey);
      expect((await client.wrapKey("CKM_AES_KEY_WRAP", dataKey)).result).toEqual(wrapped.result);

      const odd = randomBytes(20);
      const padded = await client.wrapKey("CKM_AES_KEY_WRAP_PAD", odd);
      const unwrapPad = createDecipheriv(`id-aes${bits}-wrap-pad`, k, Buffer.from("a65959a6", "hex"));
      expect(Buffer.concat([unwrapPad.update(padded.result), unwrapPad.final()])).toEqual(odd);
      expect((await client.unwrapKey("CKM_AES_KEY_WRAP_PAD", padded.result)).result).toEqual(Buffer.from(odd));
      await expect(client.unwrapKey(`A${bits}KW` as "A128KW", tamper(wrapped.result))).rejects.toThrow(/integrity/);
    });

    it(`HS${bits === 128 ? 256 : bits === 192 ? 384 : 512}: HMAC of the digest`, async () => {
      const algorithm = `HS${bits === 128 ? 256 : bits === 192 ? 384 : 512}`;
      const digest = digestOf(algorithm, data);
      const signed = await client.sign(algorithm, digest);
      expect(Buffer.from(signed.result)).toEqual(createHmac(hashOf(algorithm), k).update(digest).digest());
      expect((await client.verify(algorithm, digest, signed.result)).result).toBe(true);
      expect((await client.verifyData(algorithm, data, signed.result)).result).toBe(true);
      expect((await client.signData(algorithm, data)).result).toEqual(signed.result);
      expect((await client.verify(algorithm, digest, tamper(signed.result))).result).toBe(false);
    });
  });

  it("A128KW matches the RFC 3394 test vector (4.1)", async () => {
    const client = new CryptographyClient({ kty, k: Buffer.from("000102030405060708090A0B0C0D0E0F", "hex") });
    const wrapped = await client.wrapKey("A128KW", Buffer.from("00112233445566778899AABBCCDDEEFF", "hex"));
    expect(Buffer.from(wrapped.result).toString("hex")).toBe("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5");
  });
});
