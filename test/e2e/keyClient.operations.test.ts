/**
 * End to end through OUR KeyClient against the built-in emulator over HTTPS: every operation.
 */
import { createPublicKey, randomBytes, verify as cryptoVerify, createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CryptographyClient,
  KeyClient,
  retryWhileBeingDeleted,
  type JsonWebKeyFields,
  type KeyVaultKey,
} from "../../src/index.js";
import { collect, e2eName, expectRestError, startE2EVault, type E2EVault } from "../helpers/e2eVault.js";
import { generateTestKeyPair } from "../helpers/cryptographyKeys.js";

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

const privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k"] as const;

function expectNoPrivateMembers(key: Pick<KeyVaultKey, "key">): void {
  for (const member of privateMembers) expect(key.key?.[member], member).toBeUndefined();
}

function expectWellFormed(key: KeyVaultKey, name: string): void {
  expect(key.name).toBe(name);
  expect(key.id).toMatch(new RegExp(`^${vault.emulator.url}/keys/${name}/[0-9a-f]{32}$`));
  expect(key.properties.version).toMatch(/^[0-9a-f]{32}$/);
  expect(key.properties.vaultUrl).toBe(vault.emulator.url);
  expect(key.properties.enabled).toBe(true);
  expect(key.properties.createdOn).toBeInstanceOf(Date);
  expect(key.properties.updatedOn).toBeInstanceOf(Date);
  expect(key.properties.recoveryLevel).toBe("Recoverable+Purgeable");
  expect(key.properties.recoverableDays).toBe(90);
  expectNoPrivateMembers(key);
}

/** The public key of a vault key as a node:crypto KeyObject. */
function publicKeyOf(key: KeyVaultKey) {
  const jwk = key.key!;
  const b64 = (bytes?: Uint8Array) => (bytes ? Buffer.from(bytes).toString("base64url") : undefined);
  const fields =
    jwk.n !== undefined
      ? { kty: "RSA", n: b64(jwk.n), e: b64(jwk.e) }
      : { kty: "EC", crv: jwk.crv === "P-256K" ? "secp256k1" : jwk.crv, x: b64(jwk.x), y: b64(jwk.y) };
  return createPublicKey({ key: fields as never, format: "jwk" });
}

describe("create", () => {
  it.each([2048, 3072, 4096])("createRsaKey %i bits, software and hsm", async (keySize) => {
    for (const hsm of [false, true]) {
      const name = e2eName(`rsa${keySize}`);
      const key = await client.createRsaKey(name, { keySize, hsm, tags: { size: String(keySize) } });
      expectWellFormed(key, name);
      expect(key.keyType).toBe(hsm ? "RSA-HSM" : "RSA");
      expect(key.key!.n!.length).toBe(keySize / 8);
      expect(Buffer.from(key.key!.e!).toString("hex")).toBe("010001");
      expect(key.properties.tags).toEqual({ size: String(keySize) });
      expect(key.properties.hsmPlatform).toBe(hsm ? "2" : "0");
      expect(publicKeyOf(key).asymmetricKeyDetails?.modulusLength).toBe(keySize);
    }
  });

  it("createRsaKey with publicExponent 3", async () => {
    const key = await client.createRsaKey(e2eName("rsa-e3"), { publicExponent: 3 });
    expect(Buffer.from(key.key!.e!).toString("hex")).toBe("03");
  });

  it.each(["P-256", "P-256K", "P-384", "P-521"] as const)("createEcKey %s, software and hsm", async (curve) => {
    for (const hsm of [false, true]) {
      const name = e2eName("ec");
      const key = await client.createEcKey(name, { curve, hsm });
      expectWellFormed(key, name);
      expect(key.keyType).toBe(hsm ? "EC-HSM" : "EC");
      expect(key.key!.crv).toBe(curve);
      const coordinateBytes = { "P-256": 32, "P-256K": 32, "P-384": 48, "P-521": 66 }[curve];
      expect(key.key!.x!.length).toBe(coordinateBytes);
      expect(key.key!.y!.length).toBe(coordinateBytes);
      expect(publicKeyOf(key).asymmetricKeyType).toBe("ec");
    }
  });

  it("createEcKey defaults to P-256", async () => {
    const key = await client.createEcKey(e2eName("ec-default"));
    expect(key.key!.crv).toBe("P-256");
  });

  it.each([128, 192, 256])("createOctKey %i bits, software and hsm", async (keySize) => {
    for (const hsm of [false, true]) {
      const name = e2eName("oct");
      const key = await client.createOctKey(name, { keySize, hsm });
      expectWellFormed(key, name);
      expect(key.keyType).toBe(hsm ? "oct-HSM" : "oct");
      expect(key.key!.k).toBeUndefined();
    }
  });

  it("createKey with each key type and options", async () => {
    const notBefore = new Date("2020-01-01T00:00:00Z");
    const expiresOn = new Date("2099-01-01T00:00:00Z");
    const cases = [
      ["RSA", { keySize: 2048 }],
      ["RSA-HSM", {}],
      ["EC", { curve: "P-384" }],
      ["EC-HSM", { curve: "P-521" }],
      ["oct", {}],
      ["oct-HSM", { keySize: 256 }],
    ] as const;
    for (const [keyType, extra] of cases) {
      const name = e2eName("generic");
      const key = await client.createKey(name, keyType, {
        ...extra,
        notBefore,
        expiresOn,
        enabled: false,
        keyOps: ["sign", "verify"],
        tags: { kind: keyType },
      });
      expect(key.keyType).toBe(keyType);
      expect(key.keyOperations).toEqual(["sign", "verify"]);
      expect(key.properties.enabled).toBe(false);
      expect(key.properties.notBefore).toEqual(notBefore);
      expect(key.properties.expiresOn).toEqual(expiresOn);
      expect(key.properties.tags).toEqual({ kind: keyType });
      expectNoPrivateMembers(key);
    }
  });

  it("creating again makes a new version; getKey answers the latest and each version", async () => {
    const name = e2eName("versions");
    const v1 = await client.createEcKey(name);
    const v2 = await client.createEcKey(name, { tags: { v: "2" } });
    expect(v2.properties.version).not.toBe(v1.properties.version);
    const latest = await client.getKey(name);
    expect(latest.id).toBe(v2.id);
    expect(Buffer.from(latest.key!.x!)).toEqual(Buffer.from(v2.key!.x!));
    const first = await client.getKey(name, { version: v1.properties.version! });
    expect(first.id).toBe(v1.id);
    expect(Buffer.from(first.key!.x!)).toEqual(Buffer.from(v1.key!.x!));
    expect(first.properties.tags).toBeUndefined();
    // Names are case-insensitive, as in the service.
    expect((await client.getKey(name.toUpperCase())).properties.version).toBe(v2.properties.version);
  });
});

describe("importKey", () => {
  const b64 = (jwk: Record<string, unknown>, field: string): Uint8Array =>
    new Uint8Array(Buffer.from(String(jwk[field]), "base64url"));

  it("imports an RSA key made with node:crypto; the vault signs with it", async () => {
    const { privateKey, publicKey } = generateTestKeyPair("rsa", { modulusLength: 2048 });
    const jwk = privateKey.export({ format: "jwk" }) as Record<string, unknown>;
    const fields: JsonWebKeyFields = {
      kty: "RSA",
      keyOps: ["sign", "verify"],
      ...Object.fromEntries(["n", "e", "d", "p", "q", "dp", "dq", "qi"].map((f) => [f, b64(jwk, f)])),
    };
    const name = e2eName("import-rsa");
    const imported = await client.importKey(name, fields, { tags: { origin: "node" }, hardwareProtected: true });
    expect(imported.keyType).toBe("RSA-HSM");
    expect(imported.properties.tags).toEqual({ origin: "node" });
    expect(Buffer.from(imported.key!.n!).toString("base64url")).toBe(jwk["n"]);
    expectNoPrivateMembers(imported);
    const digest = createHash("sha256").update("imported").digest();
    const { result } = await client.getCryptographyClient(name).sign("RS256", digest);
    expect(cryptoVerify("sha256", Buffer.from("imported"), publicKey, Buffer.from(result))).toBe(true);
  });

  it("imports an EC key made with node:crypto", async () => {
    const { privateKey } = generateTestKeyPair("ec", { namedCurve: "P-384" });
    const jwk = privateKey.export({ format: "jwk" }) as Record<string, unknown>;
    const name = e2eName("import-ec");
    const imported = await client.importKey(name, {
      kty: "EC",
      crv: "P-384",
      x: b64(jwk, "x"),
      y: b64(jwk, "y"),
      d: b64(jwk, "d"),
    });
    expect(imported.keyType).toBe("EC");
    expect(imported.key!.crv).toBe("P-384");
    expect(Buffer.from(imported.key!.x!).toString("base64url")).toBe(jwk["x"]);
    expectNoPrivateMembers(imported);
  });

  it("imports an oct key; wrap in the vault, unwrap gives the same bytes", async () => {
    const name = e2eName("import-oct");
    const k = randomBytes(32);
    const imported = await client.importKey(
      name,
      { kty: "oct", k, keyOps: ["wrapKey", "unwrapKey"] },
      { hardwareProtected: true },
    );
    expect(imported.keyType).toBe("oct-HSM");
    expect(imported.key?.k).toBeUndefined();
    const crypto = client.getCryptographyClient(name);
    const cek = randomBytes(32);
    const wrapped = await crypto.wrapKey("A256KW", cek);
    expect(Buffer.from((await crypto.unwrapKey("A256KW", wrapped.result)).result)).toEqual(cek);
  });
});

describe("properties, attestation, rotation", () => {
  it("updateKeyProperties of the latest version and of a given version", async () => {
    const name = e2eName("update");
    const v1 = await client.createRsaKey(name);
    const v2 = await client.createRsaKey(name);
    const expiresOn = new Date("2098-05-05T05:05:05Z");
    const latest = await client.updateKeyProperties(name, {
      tags: { a: "b" },
      expiresOn,
      keyOps: ["encrypt", "decrypt"],
    });
    expect(latest.id).toBe(v2.id);
    expect(latest.properties.tags).toEqual({ a: "b" });
    expect(latest.properties.expiresOn).toEqual(expiresOn);
    expect(latest.keyOperations).toEqual(["encrypt", "decrypt"]);
    const first = await client.updateKeyProperties(name, v1.properties.version!, { enabled: false });
    expect(first.id).toBe(v1.id);
    expect(first.properties.enabled).toBe(false);
    expect((await client.getKey(name, { version: v1.properties.version! })).properties.enabled).toBe(false);
    expect((await client.getKey(name)).properties.enabled).toBe(true);
  });

  it("getKeyAttestation of an HSM key; 400 for a software key", async () => {
    const name = e2eName("attest");
    const created = await client.createRsaKey(name, { hsm: true });
    const attested = await client.getKeyAttestation(name);
    expect(attested.id).toBe(created.id);
    const attestation = attested.properties.attestation!;
    expect(Buffer.from(attestation.certificatePemFile!).toString()).toContain("BEGIN CERTIFICATE");
    expect(attestation.privateKeyAttestation!.length).toBeGreaterThan(0);
    expect(attestation.publicKeyAttestation!.length).toBeGreaterThan(0);
    const byVersion = await client.getKeyAttestation(name, { version: created.properties.version! });
    expect(byVersion.id).toBe(created.id);

    const software = e2eName("attest-sw");
    await client.createEcKey(software);
    await expectRestError(client.getKeyAttestation(software), 400, "BadParameter");
  });

  it("rotateKey makes a new version of the same type; rotation policy round trip", async () => {
    const name = e2eName("rotate");
    const original = await client.createEcKey(name, { curve: "P-384", tags: { t: "1" } });
    const defaultPolicy = await client.getKeyRotationPolicy(name);
    expect(defaultPolicy.lifetimeActions).toEqual([{ action: "Notify", timeBeforeExpiry: "P30D" }]);

    const policy = await client.updateKeyRotationPolicy(name, {
      expiresIn: "P90D",
      lifetimeActions: [
        { action: "Rotate", timeAfterCreate: "P30D" },
        { action: "Notify", timeBeforeExpiry: "P7D" },
      ],
    });
    expect(policy.expiresIn).toBe("P90D");
    expect(policy.id).toContain(`/keys/${name}/rotationpolicy`);
    expect(policy.createdOn).toBeInstanceOf(Date);
    expect(policy.updatedOn).toBeInstanceOf(Date);
    expect(policy.lifetimeActions).toEqual(
      expect.arrayContaining([
        { action: "Rotate", timeAfterCreate: "P30D" },
        { action: "Notify", timeBeforeExpiry: "P7D" },
      ]),
    );
    const fetched = await client.getKeyRotationPolicy(name);
    expect(fetched.expiresIn).toBe("P90D");
    expect(fetched.lifetimeActions).toHaveLength(2);

    const rotated = await client.rotateKey(name);
    expect(rotated.properties.version).not.toBe(original.properties.version);
    expect(rotated.keyType).toBe("EC");
    expect(rotated.key!.crv).toBe("P-384");
    expect(rotated.properties.tags).toEqual({ t: "1" });
    expect(rotated.properties.expiresOn).toBeInstanceOf(Date);
    expect(rotated.properties.expiresOn!.getTime()).toBeGreaterThan(rotated.properties.createdOn!.getTime());
    expect((await client.getKey(name)).id).toBe(rotated.id);
    expect(await collect(client.listPropertiesOfKeyVersions(name))).toHaveLength(2);
  });

  it("getRandomBytes answers the count asked for", async () => {
    for (const count of [1, 16, 128]) {
      const bytes = await client.getRandomBytes(count);
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(bytes.length).toBe(count);
    }
    const a = Buffer.from(await client.getRandomBytes(32));
    const b = Buffer.from(await client.getRandomBytes(32));
    expect(a.equals(b)).toBe(false);
  });

  it("releaseKey of an exportable key with a release policy answers a signed token with the key", async () => {
    const name = e2eName("release");
    const encodedPolicy = new TextEncoder().encode(
      JSON.stringify({
        version: "1.0.0",
        anyOf: [{ authority: "https://attest.example", allOf: [{ claim: "x", equals: true }] }],
      }),
    );
    const created = await client.createRsaKey(name, {
      hsm: true,
      exportable: true,
      keyOps: ["encrypt", "decrypt"],
      releasePolicy: { contentType: "application/json; charset=utf-8", encodedPolicy },
    });
    expect(created.properties.exportable).toBe(true);
    expect(Buffer.from(created.properties.releasePolicy!.encodedPolicy!).toString()).toContain("attest.example");
    const released = await client.releaseKey(name, "any-attestation-token", { nonce: "n-1" });
    const parts = released.value.split(".");
    expect(parts).toHaveLength(3);
    const payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
    expect(payload.request.kid).toContain(`/keys/${name}`);
    expect(payload.request.nonce).toBe("n-1");
    expect(payload.response.key.key.n).toBe(Buffer.from(created.key!.n!).toString("base64url"));
    const byVersion = await client.releaseKey(name, "token", {
      version: created.properties.version!,
      algorithm: "RSA_AES_KEY_WRAP_256",
    });
    expect(byVersion.value.split(".")).toHaveLength(3);
  });

  it("getCryptographyClient gives a CryptographyClient for the key", async () => {
    const name = e2eName("crypto");
    const key = await client.createRsaKey(name);
    const latest = client.getCryptographyClient(name);
    expect(latest).toBeInstanceOf(CryptographyClient);
    expect(latest.vaultUrl).toBe(vault.emulator.url);
    const pinned = client.getCryptographyClient(name, { keyVersion: key.properties.version! });
    expect(pinned.keyID).toBe(key.id);
    const { result } = await pinned.encrypt({ algorithm: "RSA-OAEP-256", plaintext: Buffer.from("hello") });
    expect(
      Buffer.from((await latest.decrypt({ algorithm: "RSA-OAEP-256", ciphertext: result })).result).toString(),
    ).toBe("hello");
  });
});

describe("delete, recover, purge, backup, restore", () => {
  it("beginDeleteKey / getDeletedKey / beginRecoverDeletedKey / purgeDeletedKey", async () => {
    const name = e2eName("lifecycle");
    const created = await client.createRsaKey(name);
    await client.createRsaKey(name);
    const deletePoller = await client.beginDeleteKey(name, poll);
    const deleted = await deletePoller.pollUntilDone();
    expect(deletePoller.isDone()).toBe(true);
    expect(deleted.name).toBe(name);
    expect(deleted.properties.recoveryId).toBe(`${vault.emulator.url}/deletedkeys/${name}`);
    expect(deleted.properties.deletedOn).toBeInstanceOf(Date);
    expect(deleted.properties.scheduledPurgeDate).toBeInstanceOf(Date);
    expect(deleted.properties.scheduledPurgeDate!.getTime() - deleted.properties.deletedOn!.getTime()).toBe(
      90 * 24 * 3600 * 1000,
    );
    expect(deletePoller.getOperationState().result?.name).toBe(name);

    const fetched = await client.getDeletedKey(name);
    expect(fetched.properties.recoveryId).toBe(deleted.properties.recoveryId);
    expect(fetched.key?.kty).toBe("RSA");
    expectNoPrivateMembers(fetched);

    const recoverPoller = await client.beginRecoverDeletedKey(name, poll);
    const recovered = await recoverPoller.pollUntilDone();
    expect(recovered.name).toBe(name);
    expect((await client.getKey(name)).properties.version).toBe(recovered.properties.version);
    expect(await collect(client.listPropertiesOfKeyVersions(name))).toHaveLength(2);
    expect((await client.getKey(name, { version: created.properties.version! })).id).toBe(created.id);

    await (await client.beginDeleteKey(name, poll)).pollUntilDone();
    await client.purgeDeletedKey(name);
    await expectRestError(client.getDeletedKey(name), 404, "KeyNotFound");
    await expectRestError(client.getKey(name), 404, "KeyNotFound");
  });

  it("a delete poller resumes from its serialized state", async () => {
    const name = e2eName("resume");
    await client.createEcKey(name);
    const poller = await client.beginDeleteKey(name, poll);
    const serialized = poller.toString();
    const resumed = await client.beginDeleteKey(name, { ...poll, resumeFrom: serialized });
    const result = await resumed.pollUntilDone();
    expect(result.name).toBe(name);
    expect(result.properties.deletedOn).toBeInstanceOf(Date);
  });

  it("backupKey / restoreKeyBackup bring back every version", async () => {
    const name = e2eName("backup");
    const v1 = await client.createOctKey(name, { hsm: true, tags: { a: "1" } });
    const v2 = await client.rotateKey(name);
    await client.updateKeyRotationPolicy(name, { expiresIn: "P60D", lifetimeActions: [] });
    const backup = await client.backupKey(name);
    expect(backup).toBeInstanceOf(Uint8Array);
    expect(backup!.length).toBeGreaterThan(32);
    await (await client.beginDeleteKey(name, poll)).pollUntilDone();
    await client.purgeDeletedKey(name);

    // Right after a purge the name is still being deleted for a moment (409 ObjectIsBeingDeleted).
    const restored = await retryWhileBeingDeleted(() => client.restoreKeyBackup(backup!), {
      intervalInMs: 50,
      maxAttempts: 100,
    });
    expect(restored.name).toBe(name);
    expect(restored.id).toBe(v2.id);
    expect(restored.properties.tags).toEqual({ a: "1" });
    const versions = (await collect(client.listPropertiesOfKeyVersions(name))).map((p) => p.version).sort();
    expect(versions).toEqual([v1.properties.version, v2.properties.version].sort());
    expect((await client.getKeyRotationPolicy(name)).expiresIn).toBe("P60D");
  });
});
