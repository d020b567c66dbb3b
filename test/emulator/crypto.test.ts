import * as crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { startTestEmulator, uniqueName, type EmulatorTestClient } from "../helpers/emulatorTestClient.js";
import { generateTestKeyPair } from "../helpers/cryptographyKeys.js";

let emulator: RunningEmulator;
let client: EmulatorTestClient;

beforeAll(async () => {
  ({ emulator, client } = await startTestEmulator());
});
afterAll(async () => {
  await emulator.close();
});

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url");
const unb64 = (text: string): Buffer => Buffer.from(text, "base64url");

function publicKeyOf(jwk: Record<string, string>): crypto.KeyObject {
  const nodeJwk: crypto.JsonWebKey = jwk.kty?.startsWith("RSA")
    ? { kty: "RSA", n: jwk.n, e: jwk.e }
    : { kty: "EC", crv: jwk.crv === "P-256K" ? "secp256k1" : jwk.crv, x: jwk.x, y: jwk.y };
  return crypto.createPublicKey({ key: nodeJwk, format: "jwk" });
}

describe("RSA encryption and key wrapping", () => {
  let kid: string;
  let publicKey: crypto.KeyObject;
  beforeAll(async () => {
    const created = await client.createKey(uniqueName("rsa-enc"), { kty: "RSA", key_size: 2048 });
    kid = created.body.key.kid;
    publicKey = publicKeyOf(created.body.key);
  });
  const path = (op: string): string => `${new URL(kid).pathname}/${op}`;
  const paddings: Record<string, { padding: number; oaepHash?: string }> = {
    RSA1_5: { padding: crypto.constants.RSA_PKCS1_PADDING },
    "RSA-OAEP": { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
    "RSA-OAEP-256": { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
  };
  for (const [alg, padding] of Object.entries(paddings)) {
    for (const [encryptOp, decryptOp] of [
      ["encrypt", "decrypt"],
      ["wrapkey", "unwrapkey"],
    ] as const) {
      it(`${alg} ${encryptOp}: node:crypto ciphertext decrypts on the emulator, and the emulator's round-trips`, async () => {
        const plaintext = crypto.randomBytes(32);
        const ciphertext = crypto.publicEncrypt({ key: publicKey, ...padding }, plaintext);
        const decrypted = await client.post(path(decryptOp), { alg, value: b64(ciphertext) });
        expect(decrypted.status).toBe(200);
        expect(unb64(decrypted.body.value)).toEqual(plaintext);
        expect(decrypted.body.kid).toBe(kid);

        const encrypted = await client.post(path(encryptOp), { alg, value: b64(plaintext) });
        expect(encrypted.status).toBe(200);
        expect(unb64(encrypted.body.value)).toHaveLength(256);
        const back = await client.post(path(decryptOp), { alg, value: encrypted.body.value });
        expect(unb64(back.body.value)).toEqual(plaintext);
      });
    }
  }

  it("answers 400 for a corrupted ciphertext and for an algorithm of another key type", async () => {
    const bad = await client.post(path("decrypt"), { alg: "RSA-OAEP", value: b64(crypto.randomBytes(256)) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("BadParameter");
    const wrongAlg = await client.post(path("encrypt"), { alg: "A256GCM", value: b64(Buffer.from("x")) });
    expect(wrongAlg.status).toBe(400);
    const unknown = await client.post(path("encrypt"), { alg: "ROT13", value: b64(Buffer.from("x")) });
    expect(unknown.status).toBe(400);
  });
});

const rsaSignatures: Record<string, { hash: string; pss: boolean }> = {
  RS256: { hash: "sha256", pss: false },
  RS384: { hash: "sha384", pss: false },
  RS512: { hash: "sha512", pss: false },
  PS256: { hash: "sha256", pss: true },
  PS384: { hash: "sha384", pss: true },
  PS512: { hash: "sha512", pss: true },
};

describe("RSA signatures over digests", () => {
  for (const size of [2048, 3072]) {
    for (const [alg, { hash, pss }] of Object.entries(rsaSignatures)) {
      it(`${alg} with RSA-${size}: emulator signatures verify in node:crypto and node:crypto signatures verify on the emulator`, async () => {
        const created = await client.createKey(uniqueName("rsa-sig"), { kty: "RSA", key_size: size });
        const keyPath = new URL(created.body.key.kid).pathname;
        const publicKey = publicKeyOf(created.body.key);
        const data = crypto.randomBytes(100);
        const digest = crypto.createHash(hash).update(data).digest();
        const options = pss
          ? {
              key: publicKey,
              padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
              saltLength: crypto.createHash(hash).digest().length,
            }
          : { key: publicKey };

        const signed = await client.post(`${keyPath}/sign`, { alg, value: b64(digest) });
        expect(signed.status).toBe(200);
        expect(crypto.verify(hash, data, options, unb64(signed.body.value))).toBe(true);

        const verified = await client.post(`${keyPath}/verify`, { alg, digest: b64(digest), value: signed.body.value });
        expect(verified.body).toEqual({ value: true });
        const otherDigest = crypto.createHash(hash).update("other").digest();
        const mismatch = await client.post(`${keyPath}/verify`, {
          alg,
          digest: b64(otherDigest),
          value: signed.body.value,
        });
        expect(mismatch.body).toEqual({ value: false });
      });
    }
  }

  it("verifies signatures that node:crypto made with the imported private key", async () => {
    const { privateKey } = generateTestKeyPair("rsa", { modulusLength: 2048 });
    const jwk = privateKey.export({ format: "jwk" });
    const name = uniqueName("rsa-imported");
    const imported = await client.request("PUT", `/keys/${name}`, { key: { ...jwk, key_ops: ["sign", "verify"] } });
    expect(imported.status).toBe(200);
    const data = Buffer.from("signed by node");
    for (const [alg, { hash, pss }] of Object.entries(rsaSignatures)) {
      const signature = pss
        ? crypto.sign(hash, data, {
            key: privateKey,
            padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
            saltLength: crypto.createHash(hash).digest().length,
          })
        : crypto.sign(hash, data, privateKey);
      const digest = crypto.createHash(hash).update(data).digest();
      const verified = await client.post(`/keys/${name}/verify`, { alg, digest: b64(digest), value: b64(signature) });
      expect(verified.body, alg).toEqual({ value: true });
    }
  });

  it("refuses a digest of the wrong length with 400", async () => {
    const created = await client.createKey(uniqueName("rsa-len"), { kty: "RSA" });
    const response = await client.post(`${new URL(created.body.key.kid).pathname}/sign`, {
      alg: "RS256",
      value: b64(Buffer.alloc(20)),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("BadParameter");
  });
});

const ecSignatures: Array<{ alg: string; crv: string; hash: string; bytes: number }> = [
  { alg: "ES256", crv: "P-256", hash: "sha256", bytes: 32 },
  { alg: "ES256K", crv: "P-256K", hash: "sha256", bytes: 32 },
  { alg: "ES384", crv: "P-384", hash: "sha384", bytes: 48 },
  { alg: "ES512", crv: "P-521", hash: "sha512", bytes: 66 },
];

describe("ECDSA signatures over digests", () => {
  for (const { alg, crv, hash, bytes } of ecSignatures) {
    it(`${alg} on ${crv}: raw r||s signatures verify both ways`, async () => {
      const created = await client.createKey(uniqueName("ec-sig"), { kty: "EC-HSM", crv });
      expect(created.body.key.crv).toBe(crv);
      const keyPath = new URL(created.body.key.kid).pathname;
      const publicKey = publicKeyOf(created.body.key);
      const data = crypto.randomBytes(64);
      const digest = crypto.createHash(hash).update(data).digest();

      const signed = await client.post(`${keyPath}/sign`, { alg, value: b64(digest) });
      expect(signed.status).toBe(200);
      const signature = unb64(signed.body.value);
      expect(signature).toHaveLength(bytes * 2);
      expect(crypto.verify(hash, data, { key: publicKey, dsaEncoding: "ieee-p1363" }, signature)).toBe(true);
      const verified = await client.post(`${keyPath}/verify`, { alg, digest: b64(digest), value: signed.body.value });
      expect(verified.body).toEqual({ value: true });
      const tampered = Buffer.from(signature);
      tampered[5] = (tampered[5] ?? 0) ^ 1;
      expect((await client.post(`${keyPath}/verify`, { alg, digest: b64(digest), value: b64(tampered) })).body).toEqual(
        { value: false },
      );
    });

    it(`${alg}: node:crypto signatures of an imported ${crv} key verify on the emulator`, async () => {
      const { privateKey } = generateTestKeyPair("ec", { namedCurve: crv === "P-256K" ? "secp256k1" : crv });
      const jwk = privateKey.export({ format: "jwk" });
      const name = uniqueName("ec-imported");
      const imported = await client.request("PUT", `/keys/${name}`, { key: { ...jwk, crv } });
      expect(imported.status).toBe(200);
      expect(imported.body.key.d).toBeUndefined();
      const data = Buffer.from("data signed by node:crypto");
      const signature = crypto.sign(hash, data, { key: privateKey, dsaEncoding: "ieee-p1363" });
      const digest = crypto.createHash(hash).update(data).digest();
      const verified = await client.post(`/keys/${name}/verify`, { alg, digest: b64(digest), value: b64(signature) });
      expect(verified.body).toEqual({ value: true });
    });
  }

  it("refuses an algorithm of another curve with 400", async () => {
    const created = await client.createKey(uniqueName("ec-curve"), { kty: "EC", crv: "P-384" });
    const response = await client.post(`${new URL(created.body.key.kid).pathname}/sign`, {
      alg: "ES256",
      value: b64(Buffer.alloc(32)),
    });
    expect(response.status).toBe(400);
  });
});

describe("symmetric keys", () => {
  for (const size of [128, 192, 256]) {
    it(`A${size}GCM encrypts with a service-made iv and tag that node:crypto decrypts, and decrypts node:crypto's`, async () => {
      const name = uniqueName("oct");
      const keyBytes = crypto.randomBytes(size / 8);
      const imported = await client.request("PUT", `/keys/${name}`, { key: { kty: "oct", k: b64(keyBytes) } });
      expect(imported.status).toBe(200);
      expect(imported.body.key).toEqual({
        kid: expect.any(String),
        kty: "oct",
        key_ops: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
      });
      const plaintext = Buffer.from("secret message for gcm");
      const aad = Buffer.from("header");
      const encrypted = await client.post(`/keys/${name}/encrypt`, {
        alg: `A${size}GCM`,
        value: b64(plaintext),
        aad: b64(aad),
      });
      expect(encrypted.status).toBe(200);
      expect(unb64(encrypted.body.iv)).toHaveLength(12);
      const decipher = crypto.createDecipheriv(
        `aes-${size}-gcm`,
        keyBytes,
        unb64(encrypted.body.iv),
      ) as crypto.DecipherGCM;
      decipher.setAAD(aad);
      decipher.setAuthTag(unb64(encrypted.body.tag));
      expect(Buffer.concat([decipher.update(unb64(encrypted.body.value)), decipher.final()])).toEqual(plaintext);

      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv(`aes-${size}-gcm`, keyBytes, iv) as crypto.CipherGCM;
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const decrypted = await client.post(`/keys/${name}/decrypt`, {
        alg: `A${size}GCM`,
        value: b64(ciphertext),
        iv: b64(iv),
        tag: b64(cipher.getAuthTag()),
      });
      expect(unb64(decrypted.body.value)).toEqual(plaintext);
      const wrongTag = await client.post(`/keys/${name}/decrypt`, {
        alg: `A${size}GCM`,
        value: b64(ciphertext),
        iv: b64(iv),
        tag: b64(Buffer.alloc(16)),
      });
      expect(wrongTag.status).toBe(400);
    });

    it(`A${size}CBC and A${size}CBCPAD match node:crypto`, async () => {
      const name = uniqueName("oct-cbc");
      const created = await client.createKey(name, { kty: "oct-HSM", key_size: size });
      expect(created.body.key.kty).toBe("oct-HSM");
      expect(Object.keys(created.body.key).sort()).toEqual(["key_ops", "kid", "kty"]);
      const iv = crypto.randomBytes(16);
      const blockAligned = crypto.randomBytes(32);
      const cbc = await client.post(`/keys/${name}/encrypt`, {
        alg: `A${size}CBC`,
        value: b64(blockAligned),
        iv: b64(iv),
      });
      expect(cbc.status).toBe(200);
      const back = await client.post(`/keys/${name}/decrypt`, {
        alg: `A${size}CBC`,
        value: cbc.body.value,
        iv: b64(iv),
      });
      expect(unb64(back.body.value)).toEqual(blockAligned);
      const unaligned = await client.post(`/keys/${name}/encrypt`, {
        alg: `A${size}CBC`,
        value: b64(Buffer.from("short")),
        iv: b64(iv),
      });
      expect(unaligned.status).toBe(400);
      const padded = await client.post(`/keys/${name}/encrypt`, {
        alg: `A${size}CBCPAD`,
        value: b64(Buffer.from("plaintext")),
        iv: b64(iv),
      });
      expect(unb64(padded.body.value)).toHaveLength(16);
      const unpadded = await client.post(`/keys/${name}/decrypt`, {
        alg: `A${size}CBCPAD`,
        value: padded.body.value,
        iv: b64(iv),
      });
      expect(unb64(unpadded.body.value).toString()).toBe("plaintext");
    });

    it(`A${size}KW wraps like RFC 3394 in node:crypto`, async () => {
      const name = uniqueName("oct-kw");
      const keyBytes = crypto.randomBytes(size / 8);
      await client.request("PUT", `/keys/${name}`, { key: { kty: "oct", k: b64(keyBytes) } });
      const cek = crypto.randomBytes(32);
      const wrapped = await client.post(`/keys/${name}/wrapkey`, { alg: `A${size}KW`, value: b64(cek) });
      expect(wrapped.status).toBe(200);
      const decipher = crypto.createDecipheriv(`id-aes${size}-wrap`, keyBytes, Buffer.from("a6a6a6a6a6a6a6a6", "hex"));
      expect(Buffer.concat([decipher.update(unb64(wrapped.body.value)), decipher.final()])).toEqual(cek);
      const unwrapped = await client.post(`/keys/${name}/unwrapkey`, { alg: `A${size}KW`, value: wrapped.body.value });
      expect(unb64(unwrapped.body.value)).toEqual(cek);
      const wrongSize = await client.post(`/keys/${name}/wrapkey`, {
        alg: size === 128 ? "A256KW" : "A128KW",
        value: b64(cek),
      });
      expect(wrongSize.status).toBe(400);
    });
  }
});

describe("permissions of cryptographic operations", () => {
  it("answers 403 for a disabled, not-yet-valid or expired key, and for an operation missing from key_ops", async () => {
    const digest = b64(crypto.createHash("sha256").update("x").digest());
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ attributes: { enabled: false } }, /disabled/],
      [{ attributes: { nbf: now + 86400 } }, /activation|nbf/],
      [{ attributes: { exp: now - 86400 } }, /expired/],
      [{ key_ops: ["verify"] }, /Operation sign is not permitted on this key\./],
    ];
    for (const [extra, message] of cases) {
      const created = await client.createKey(uniqueName("forbidden"), { kty: "EC", ...extra });
      const response = await client.post(`${new URL(created.body.key.kid).pathname}/sign`, {
        alg: "ES256",
        value: digest,
      });
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe("Forbidden");
      expect(response.body.error.message).toMatch(message);
    }
  });

  it("answers 404 for a crypto operation on a missing key or version", async () => {
    const missing = await client.post(`/keys/${uniqueName("missing")}/sign`, {
      alg: "ES256",
      value: b64(Buffer.alloc(32)),
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("KeyNotFound");
  });
});
