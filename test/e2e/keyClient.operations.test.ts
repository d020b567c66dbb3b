/**
 * End to end through OUR KeyClient against the built-in emulator over HTTPS: every operation on keys
 * that exist (properties, attestation, rotation and its policy, random bytes, release, the
 * CryptographyClient of a key) and their lifecycle (delete, recover, purge, backup, restore, pollers
 * resumed). Creating and importing keys is keyClient.create.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CryptographyClient, KeyClient, retryWhileBeingDeleted } from "../../src/index.js";
import {
  collect,
  e2eName,
  expectNoPrivateMembers,
  expectRestError,
  startE2EKeyClient,
  type E2EVault,
} from "../helpers/e2eVault.js";

let vault: E2EVault;
let client: KeyClient;

beforeAll(async () => {
  ({ vault, client } = await startE2EKeyClient());
});
afterAll(() => vault?.close());
const poll = { intervalInMs: 10 };

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
