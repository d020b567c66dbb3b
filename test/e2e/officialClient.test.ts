/**
 * The OFFICIAL `@azure/keyvault-keys` client, unchanged, runs a full lifecycle against the built-in
 * emulator over HTTPS; what the vault computes is checked with node:crypto.
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  publicEncrypt,
  randomBytes,
  sign as cryptoSign,
  verify as cryptoVerify,
} from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CryptographyClient, KeyClient, type JsonWebKey, type KeyVaultKey } from "@azure/keyvault-keys";
import { retryWhileBeingDeleted } from "../../src/index.js";
import { collect, e2eName, expectRestError, expectUnique, startE2EVault, type E2EVault } from "../helpers/e2eVault.js";
import { generateTestKeyPair, publicKeyOf } from "../helpers/cryptographyKeys.js";

let vault: E2EVault;
let client: KeyClient;
const poll = { intervalInMs: 10 };

beforeAll(async () => {
  vault = await startE2EVault();
  client = new KeyClient(vault.emulator.url, vault.emulator.credential, vault.clientOptions);
});
afterAll(async () => {
  await vault?.close();
});

function cryptoClient(key: KeyVaultKey | string): CryptographyClient {
  return new CryptographyClient(key, vault.emulator.credential, vault.clientOptions);
}

const b64 = (bytes?: Uint8Array): string | undefined => (bytes ? Buffer.from(bytes).toString("base64url") : undefined);

function sha(bits: 256 | 384 | 512, data: Buffer): Buffer {
  return createHash(`sha${bits}`).update(data).digest();
}

describe("keys", () => {
  it("creates each key type and size with the official client", async () => {
    for (const keySize of [2048, 3072, 4096]) {
      const key = await client.createRsaKey(e2eName("off-rsa"), { keySize });
      expect(key.keyType).toBe("RSA");
      expect(publicKeyOf(key).asymmetricKeyDetails?.modulusLength).toBe(keySize);
      expect(key.key?.d).toBeUndefined();
    }
    for (const curve of ["P-256", "P-256K", "P-384", "P-521"] as const) {
      const key = await client.createEcKey(e2eName("off-ec"), { curve });
      expect(key.keyType).toBe("EC");
      expect(key.key?.crv).toBe(curve);
      expect(publicKeyOf(key).asymmetricKeyType).toBe("ec");
    }
    const oct = await client.createOctKey(e2eName("off-oct"), { hsm: true, keySize: 256 });
    expect(oct.keyType).toBe("oct-HSM");
    expect(oct.key?.k).toBeUndefined();
    const hsm = await client.createKey(e2eName("off-rsahsm"), "RSA-HSM", { keySize: 2048 });
    expect(hsm.keyType).toBe("RSA-HSM");
    expect(hsm.properties.hsmPlatform).toBe("2");
  });

  it("versions, get by version, update latest and a version", async () => {
    const name = e2eName("off-versions");
    const v1 = await client.createEcKey(name, { curve: "P-256", tags: { v: "1" } });
    const v2 = await client.createEcKey(name, { curve: "P-256", tags: { v: "2" } });
    expect((await client.getKey(name)).id).toBe(v2.id);
    expect((await client.getKey(name, { version: v1.properties.version! })).properties.tags).toEqual({ v: "1" });
    const expiresOn = new Date("2037-12-31T00:00:00Z"); // the official client writes exp as an int32 (`| 0`): dates after 2038-01-19 wrap;
    const updated = await client.updateKeyProperties(name, v2.properties.version!, { tags: { v: "2b" }, expiresOn });
    expect(updated.properties.tags).toEqual({ v: "2b" });
    expect(updated.properties.expiresOn).toEqual(expiresOn);
    const disabled = await client.updateKeyProperties(name, v1.properties.version!, { enabled: false });
    expect(disabled.properties.enabled).toBe(false);
    const versions = await collect(client.listPropertiesOfKeyVersions(name));
    expect(versions.map((item) => item.version).sort()).toEqual([v1.properties.version, v2.properties.version].sort());
  });

  it("imports RSA, EC and oct keys made with node:crypto", async () => {
    const rsa = generateTestKeyPair("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }) as Record<
      string,
      string
    >;
    const bytes = (text?: string): Uint8Array => new Uint8Array(Buffer.from(text ?? "", "base64url"));
    const rsaJwk: JsonWebKey = {
      kty: "RSA",
      keyOps: ["sign", "verify", "encrypt", "decrypt"],
      n: bytes(rsa["n"]),
      e: bytes(rsa["e"]),
      d: bytes(rsa["d"]),
      p: bytes(rsa["p"]),
      q: bytes(rsa["q"]),
      dp: bytes(rsa["dp"]),
      dq: bytes(rsa["dq"]),
      qi: bytes(rsa["qi"]),
    };
    const importedRsa = await client.importKey(e2eName("off-import-rsa"), rsaJwk, { tags: { origin: "node" } });
    expect(b64(importedRsa.key?.n)).toBe(rsa["n"]);
    expect(importedRsa.key?.d).toBeUndefined();
    expect(importedRsa.properties.tags).toEqual({ origin: "node" });

    const ec = generateTestKeyPair("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" }) as Record<
      string,
      string
    >;
    const importedEc = await client.importKey(e2eName("off-import-ec"), {
      kty: "EC",
      crv: "P-256",
      x: bytes(ec["x"]),
      y: bytes(ec["y"]),
      d: bytes(ec["d"]),
    });
    expect(b64(importedEc.key?.x)).toBe(ec["x"]);

    const k = randomBytes(32);
    const importedOct = await client.importKey(
      e2eName("off-import-oct"),
      { kty: "oct", k, keyOps: ["wrapKey", "unwrapKey"] },
      { hardwareProtected: true },
    );
    expect(importedOct.keyType).toBe("oct-HSM");
    // The vault wraps with the imported AES key exactly as RFC 3394 does locally.
    const cek = randomBytes(32);
    const wrapped = await cryptoClient(importedOct).wrapKey("A256KW", cek);
    const local = createCipheriv("id-aes256-wrap", k, Buffer.from("A6A6A6A6A6A6A6A6", "hex"));
    expect(Buffer.from(wrapped.result)).toEqual(Buffer.concat([local.update(cek), local.final()]));
  });

  it("lists with paging (byPage maxPageSize), no duplicates, no gaps", async () => {
    const prefix = e2eName("off-page");
    const names = Array.from({ length: 7 }, (_, i) => `${prefix}-${i}`);
    await Promise.all(names.map((name) => client.createOctKey(name)));
    const pages = await collect(client.listPropertiesOfKeys().byPage({ maxPageSize: 3 }));
    expect(pages.length).toBeGreaterThan(2);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(3);
    const all = pages.flat().map((item) => item.name);
    expectUnique(all);
    expect(all).toEqual(expect.arrayContaining(names));
    // The official 4.10 pages are plain arrays (no continuationToken on them), so no resume here;
    // resuming is covered through our KeyClient in keyClient.paging.test.ts.
    const versionsName = names[0]!;
    await client.createOctKey(versionsName);
    await client.createOctKey(versionsName);
    const versionPages = await collect(client.listPropertiesOfKeyVersions(versionsName).byPage({ maxPageSize: 2 }));
    expect(versionPages.map((page) => page.length)).toEqual([2, 1]);
    expectUnique(versionPages.flat().map((item) => item.version!));
    const items = await collect(client.listPropertiesOfKeys());
    expect(items.map((item) => item.name)).toEqual(all);
  });

  it("deletes, recovers, lists deleted keys and purges with its pollers", async () => {
    const name = e2eName("off-delete");
    await client.createRsaKey(name);
    const deletePoller = await client.beginDeleteKey(name, poll);
    const deleted = await deletePoller.pollUntilDone();
    expect(deleted.name).toBe(name);
    expect(deleted.properties.recoveryId).toBe(`${vault.emulator.url}/deletedkeys/${name}`);
    expect(deleted.properties.scheduledPurgeDate).toBeInstanceOf(Date);
    expect((await client.getDeletedKey(name)).name).toBe(name);
    const deletedPages = await collect(client.listDeletedKeys().byPage({ maxPageSize: 2 }));
    expect(deletedPages.flat().map((item) => item.name)).toContain(name);

    const recovered = await (await client.beginRecoverDeletedKey(name, poll)).pollUntilDone();
    expect(recovered.name).toBe(name);
    expect((await client.getKey(name)).name).toBe(name);

    await (await client.beginDeleteKey(name, poll)).pollUntilDone();
    await client.purgeDeletedKey(name);
    await expectRestError(client.getDeletedKey(name), 404, "KeyNotFound");
    await expectRestError(client.getKey(name), 404, "KeyNotFound");
  });

  it("backs up and restores every version", async () => {
    const name = e2eName("off-backup");
    const v1 = await client.createEcKey(name);
    const v2 = await client.rotateKey(name);
    const backup = await client.backupKey(name);
    await (await client.beginDeleteKey(name, poll)).pollUntilDone();
    await client.purgeDeletedKey(name);
    // Right after a purge the name is still being deleted for a moment (409 ObjectIsBeingDeleted).
    const restored = await retryWhileBeingDeleted(() => client.restoreKeyBackup(backup!), {
      intervalInMs: 50,
      maxAttempts: 100,
    });
    expect(restored.id).toBe(v2.id);
    const versions = (await collect(client.listPropertiesOfKeyVersions(name))).map((item) => item.version).sort();
    expect(versions).toEqual([v1.properties.version, v2.properties.version].sort());
    await expectRestError(client.restoreKeyBackup(backup!), 409, "Conflict");
  });

  it("rotates and reads/writes the rotation policy; gets random bytes", async () => {
    const name = e2eName("off-rotate");
    const created = await client.createRsaKey(name, { keySize: 2048 });
    const policy = await client.updateKeyRotationPolicy(name, {
      expiresIn: "P90D",
      lifetimeActions: [
        { action: "Rotate", timeBeforeExpiry: "P30D" },
        { action: "Notify", timeBeforeExpiry: "P10D" },
      ],
    });
    expect(policy.expiresIn).toBe("P90D");
    const fetched = await client.getKeyRotationPolicy(name);
    expect(fetched.expiresIn).toBe("P90D");
    expect(fetched.lifetimeActions).toEqual(expect.arrayContaining([{ action: "Rotate", timeBeforeExpiry: "P30D" }]));
    const rotated = await client.rotateKey(name);
    expect(rotated.properties.version).not.toBe(created.properties.version);
    expect(rotated.keyType).toBe("RSA");
    expect(rotated.properties.expiresOn).toBeInstanceOf(Date);

    const random = await client.getRandomBytes(32);
    expect(random.length).toBe(32);
  });
});

describe("cryptography through the official CryptographyClient", () => {
  let rsa: KeyVaultKey;
  beforeAll(async () => {
    rsa = await client.createRsaKey(e2eName("off-crypto-rsa"), { keySize: 2048 });
  });

  it("RSA-OAEP-256: encrypt/decrypt round trip; local publicEncrypt decrypts in the vault", async () => {
    const crypto = cryptoClient(rsa.id!);
    const plaintext = Buffer.from("the official client and the emulator");
    const encrypted = await crypto.encrypt({ algorithm: "RSA-OAEP-256", plaintext });
    const decrypted = await crypto.decrypt({ algorithm: "RSA-OAEP-256", ciphertext: encrypted.result });
    expect(Buffer.from(decrypted.result)).toEqual(plaintext);

    const local = publicEncrypt(
      { key: publicKeyOf(rsa), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      plaintext,
    );
    expect(Buffer.from((await crypto.decrypt({ algorithm: "RSA-OAEP-256", ciphertext: local })).result)).toEqual(
      plaintext,
    );
    const sha1 = publicEncrypt(
      { key: publicKeyOf(rsa), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
      plaintext,
    );
    expect(Buffer.from((await crypto.decrypt({ algorithm: "RSA-OAEP", ciphertext: sha1 })).result)).toEqual(plaintext);
  });

  it("RS256 and PS256: the vault's signatures verify with crypto.verify; local signatures verify in the vault", async () => {
    const crypto = cryptoClient(rsa);
    const data = Buffer.from("signed by the vault");
    const rs = await crypto.sign("RS256", sha(256, data));
    expect(cryptoVerify("sha256", data, publicKeyOf(rsa), Buffer.from(rs.result))).toBe(true);
    const ps = await crypto.sign("PS256", sha(256, data));
    expect(
      cryptoVerify(
        "sha256",
        data,
        { key: publicKeyOf(rsa), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        Buffer.from(ps.result),
      ),
    ).toBe(true);
    expect((await crypto.verify("RS256", sha(256, data), rs.result)).result).toBe(true);
    expect((await crypto.verify("PS256", sha(256, data), ps.result)).result).toBe(true);
    expect((await crypto.verify("RS256", sha(256, Buffer.from("other")), rs.result)).result).toBe(false);
    const viaData = await crypto.signData("RS256", data);
    expect(cryptoVerify("sha256", data, publicKeyOf(rsa), Buffer.from(viaData.result))).toBe(true);
  });

  it.each([
    ["ES256", "P-256", 256],
    ["ES384", "P-384", 384],
  ] as const)("%s: the vault's signature verifies with crypto.verify (ieee-p1363)", async (algorithm, curve, bits) => {
    const key = await client.createEcKey(e2eName("off-crypto-ec"), { curve });
    const crypto = cryptoClient(key.id!);
    const data = randomBytes(100);
    const signature = await crypto.sign(algorithm, sha(bits, data));
    expect(signature.result.length).toBe((bits / 8) * 2);
    expect(
      cryptoVerify(
        `sha${bits}`,
        data,
        { key: publicKeyOf(key), dsaEncoding: "ieee-p1363" },
        Buffer.from(signature.result),
      ),
    ).toBe(true);
    expect((await crypto.verify(algorithm, sha(bits, data), signature.result)).result).toBe(true);
  });

  it("ES256 with an imported key: a signature made locally verifies in the vault (remotely and locally)", async () => {
    const { privateKey } = generateTestKeyPair("ec", { namedCurve: "P-256" });
    const jwk = privateKey.export({ format: "jwk" }) as Record<string, string>;
    const bytes = (text?: string): Uint8Array => new Uint8Array(Buffer.from(text ?? "", "base64url"));
    const key = await client.importKey(e2eName("off-ec-import"), {
      kty: "EC",
      crv: "P-256",
      x: bytes(jwk["x"]),
      y: bytes(jwk["y"]),
      d: bytes(jwk["d"]),
    });
    const data = Buffer.from("made locally");
    const local = cryptoSign("sha256", data, { key: privateKey, dsaEncoding: "ieee-p1363" });
    expect((await cryptoClient(key.id!).verify("ES256", sha(256, data), local)).result).toBe(true);
    const vaultSignature = await cryptoClient(key.id!).sign("ES256", sha(256, data));
    expect(
      cryptoVerify("sha256", data, { key: privateKey, dsaEncoding: "ieee-p1363" }, Buffer.from(vaultSignature.result)),
    ).toBe(true);
  });

  it("wrap/unwrap RSA-OAEP with an RSA key", async () => {
    const crypto = cryptoClient(rsa.id!);
    const cek = randomBytes(32);
    const wrapped = await crypto.wrapKey("RSA-OAEP", cek);
    expect(Buffer.from((await crypto.unwrapKey("RSA-OAEP", wrapped.result)).result)).toEqual(cek);
    const local = publicEncrypt(
      { key: publicKeyOf(rsa), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
      cek,
    );
    expect(Buffer.from((await crypto.unwrapKey("RSA-OAEP", local)).result)).toEqual(cek);
  });

  it("wrap/unwrap A256KW and AES-GCM encrypt/decrypt with an oct-HSM key", async () => {
    const key = await client.createOctKey(e2eName("off-oct-crypto"), { hsm: true, keySize: 256 });
    const crypto = cryptoClient(key);
    const cek = randomBytes(32);
    const wrapped = await crypto.wrapKey("A256KW", cek);
    expect(wrapped.result.length).toBe(40);
    expect(Buffer.from((await crypto.unwrapKey("A256KW", wrapped.result)).result)).toEqual(cek);

    const plaintext = Buffer.from("authenticated encryption in the vault");
    const additionalAuthenticatedData = Buffer.from("header");
    const encrypted = await crypto.encrypt({ algorithm: "A256GCM", plaintext, additionalAuthenticatedData });
    expect(encrypted.iv?.length).toBe(12);
    expect(encrypted.authenticationTag?.length).toBe(16);
    const decrypted = await crypto.decrypt({
      algorithm: "A256GCM",
      ciphertext: encrypted.result,
      iv: encrypted.iv!,
      authenticationTag: encrypted.authenticationTag!,
      additionalAuthenticatedData,
    });
    expect(Buffer.from(decrypted.result)).toEqual(plaintext);
    // A wrong tag does not decrypt.
    const badTag = Buffer.from(encrypted.authenticationTag!);
    badTag[0] = badTag[0]! ^ 1;
    await expect(
      crypto.decrypt({
        algorithm: "A256GCM",
        ciphertext: encrypted.result,
        iv: encrypted.iv!,
        authenticationTag: badTag,
        additionalAuthenticatedData,
      }),
    ).rejects.toThrow();
  });

  it("AES-GCM with an imported oct-HSM key matches node:crypto both ways", async () => {
    const k = randomBytes(32);
    const key = await client.importKey(e2eName("off-gcm"), { kty: "oct-HSM", k, keyOps: ["encrypt", "decrypt"] });
    const crypto = cryptoClient(key.id!);
    const plaintext = randomBytes(70);
    const encrypted = await crypto.encrypt({ algorithm: "A256GCM", plaintext });
    const decipher = createDecipheriv("aes-256-gcm", k, encrypted.iv!);
    decipher.setAuthTag(encrypted.authenticationTag!);
    expect(Buffer.concat([decipher.update(encrypted.result), decipher.final()])).toEqual(plaintext);

    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", k, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const decrypted = await crypto.decrypt({
      algorithm: "A256GCM",
      ciphertext,
      iv,
      authenticationTag: cipher.getAuthTag(),
    });
    expect(Buffer.from(decrypted.result)).toEqual(plaintext);
  });

  it("errors surface as RestErrors from the official client too", async () => {
    await expectRestError(client.getKey(e2eName("off-missing")), 404, "KeyNotFound");
    const name = e2eName("off-conflict");
    await client.createEcKey(name);
    await (await client.beginDeleteKey(name, poll)).pollUntilDone();
    const conflict = await expectRestError(client.createEcKey(name), 409, "Conflict");
    expect(JSON.stringify(conflict.details)).toContain("ObjectIsDeletedButRecoverable");
    await expectRestError(client.createRsaKey(e2eName("off-bad"), { keySize: 1000 }), 400, "BadParameter");
  });
});
