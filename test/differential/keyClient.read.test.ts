/**
 * Differential tests of the single-request KeyClient methods other than create and import: get, get
 * attestation, get deleted, update, purge, backup, restore, rotate, rotation policies, random bytes,
 * release, getCryptographyClient and parseKeyVaultKeyIdentifier. Requests and whole results compared
 * by expectSameRun / expectSame; every difference named.
 */
import { parseKeyVaultKeyIdentifier as officialParse } from "@azure/keyvault-keys";
import { describe, expect, it } from "vitest";
import { parseKeyVaultKeyIdentifier } from "../../src/index.js";
import { ABSENT, expectSame } from "../helpers/deepDiff.js";
import { differentialVault, expectSameRun, resolved, runBoth, settle } from "../helpers/differential/clients.js";
import { BACKUP_VALUE, EC_VERSION, RANDOM_100, RELEASE_VALUE } from "../helpers/differential/cannedValues.js";

const t = differentialVault();

const releasePolicy = {
  contentType: "application/json; charset=utf-8",
  encodedPolicy: new TextEncoder().encode('{"version":"1.0.0","anyOf":[]}'),
  immutable: false,
};

describe("get", () => {
  it("getKey without version: GET /keys/{name}/ (empty version segment), same key", async () => {
    const run = await runBoth(
      t.vault,
      () => t.official.getKey("read-me"),
      () => t.ours.getKey("read-me"),
    );
    expectSameRun(run);
    expect(run.ourRequests[0]).toMatchObject({ method: "GET", path: "/keys/read-me/" });
    // Byte fields are Node Buffers, as the official package's.
    expect(Buffer.isBuffer(resolved(run.ours).key?.n)).toBe(true);
  });

  it("getKey with version: same request, same key", async () => {
    const run = await runBoth(
      t.vault,
      () => t.official.getKey("read-me", { version: EC_VERSION }),
      () => t.ours.getKey("read-me", { version: EC_VERSION }),
    );
    expectSameRun(run);
    expect(run.ourRequests[0]!.path).toBe(`/keys/read-me/${EC_VERSION}`);
  });

  it("getKey of a soft-deleted-then-recovered EC key: same key (no release policy)", async () => {
    const run = await runBoth(
      t.vault,
      async () => {
        await (await t.official.beginRecoverDeletedKey("recover-me", { intervalInMs: 1 })).pollUntilDone();
        return t.official.getKey("recover-me");
      },
      async () => {
        await (await t.ours.beginRecoverDeletedKey("recover-me", { intervalInMs: 1 })).pollUntilDone();
        return t.ours.getKey("recover-me");
      },
    );
    // The recover pollers' requests differ (keyClient.pollers.test.ts names it); the keys do not.
    expectSame(run.official, run.ours);
  });

  it("getKeyAttestation with and without version: same requests, same key with attestation", async () => {
    for (const options of [{ version: EC_VERSION }, {}]) {
      const run = await runBoth(
        t.vault,
        () => t.official.getKeyAttestation("attested", options),
        () => t.ours.getKeyAttestation("attested", options),
      );
      expectSameRun(run);
      expect(resolved(run.ours).properties.attestation?.version).toBe("1.0");
    }
  });

  it("getDeletedKey: same request, same deleted key (the Python names are accessors, not own keys)", async () => {
    const run = await runBoth(
      t.vault,
      () => t.official.getDeletedKey("gone"),
      () => t.ours.getDeletedKey("gone"),
    );
    expectSameRun(run);
    const deleted = resolved(run.ours);
    expect(deleted.deletedDate).toEqual(deleted.properties.deletedOn);
    expect(deleted.scheduledPurgeDate).toEqual(deleted.properties.scheduledPurgeDate);
    expect(deleted.recoveryId).toBe(deleted.properties.recoveryId);
    expect(deleted.recoveryId).toBe(`${t.vault.url}/deletedkeys/gone`);
  });
});

describe("update", () => {
  it("updateKeyProperties with version and every option: same request, same key", async () => {
    const options = {
      keyOps: ["decrypt", "encrypt"],
      enabled: false,
      notBefore: new Date("2026-03-01T00:00:00Z"),
      expiresOn: new Date("2037-12-31T08:00:00Z"),
      tags: { foo: "updated tag" },
      releasePolicy,
    };
    const run = await runBoth(
      t.vault,
      () => t.official.updateKeyProperties("upd", EC_VERSION, options),
      () => t.ours.updateKeyProperties("upd", EC_VERSION, options),
    );
    expectSameRun(run);
    expect(run.ourRequests[0]).toMatchObject({ method: "PATCH", path: `/keys/upd/${EC_VERSION}` });
  });

  it("updateKeyProperties without version (options only): PATCH /keys/{name}/, same key", async () => {
    const options = { tags: { only: "tags" }, enabled: true };
    const run = await runBoth(
      t.vault,
      () => t.official.updateKeyProperties("upd", options),
      () => t.ours.updateKeyProperties("upd", options),
    );
    expectSameRun(run);
    expect(run.ourRequests[0]).toMatchObject({ path: "/keys/upd/", body: { attributes: { enabled: true } } });
  });

  it("updateKeyProperties with nothing to change: named difference, no empty attributes object", async () => {
    const run = await runBoth(
      t.vault,
      () => t.official.updateKeyProperties("upd", EC_VERSION),
      () => t.ours.updateKeyProperties("upd", EC_VERSION),
    );
    expectSameRun(run, { "requests[0].body.attributes": ABSENT });
    expect(run.ourRequests[0]!.body).toEqual({});
  });

  it("exportable is not an update option: neither sends it", async () => {
    const options = { exportable: true, enabled: true } as { enabled: boolean };
    const run = await runBoth(
      t.vault,
      () => t.official.updateKeyProperties("upd", EC_VERSION, options),
      () => t.ours.updateKeyProperties("upd", EC_VERSION, options),
    );
    expectSameRun(run);
  });
});

describe("purge, backup, restore", () => {
  it("purgeDeletedKey: same DELETE, both resolve to undefined", async () => {
    const run = await runBoth(
      t.vault,
      () => t.official.purgeDeletedKey("purge-me"),
      () => t.ours.purgeDeletedKey("purge-me"),
    );
    expectSameRun(run);
    expect(run.ourRequests[0]).toMatchObject({ method: "DELETE", path: "/deletedkeys/purge-me", rawBody: "" });
  });

  it("backupKey: same request, the same Node Buffer", async () => {
    const run = await runBoth(
      t.vault,
      () => t.official.backupKey("backed-up"),
      () => t.ours.backupKey("backed-up"),
    );
    expectSameRun(run);
    const backup = resolved(run.ours)!;
    expect(Buffer.isBuffer(backup)).toBe(true);
    expect((backup as Buffer).toString("base64url")).toBe(BACKUP_VALUE);
    // Its own memory, not a slice of Node's shared pool.
    expect(backup.byteOffset).toBe(0);
    expect(backup.buffer.byteLength).toBe(backup.length);
  });

  it("restoreKeyBackup of a Buffer and of a plain Uint8Array: same base64url body, same key", async () => {
    for (const blob of [
      Buffer.from(BACKUP_VALUE, "base64url"),
      new Uint8Array(Buffer.from(BACKUP_VALUE, "base64url")),
    ]) {
      const run = await runBoth(
        t.vault,
        () => t.official.restoreKeyBackup(blob),
        () => t.ours.restoreKeyBackup(blob),
      );
      expectSameRun(run);
      expect(run.ourRequests[0]!.body).toEqual({ value: BACKUP_VALUE });
    }
  });
});

describe("rotation", () => {
  it("rotateKey: same request, same key", async () => {
    const run = await runBoth(
      t.vault,
      () => t.official.rotateKey("rotating"),
      () => t.ours.rotateKey("rotating"),
    );
    expectSameRun(run);
    expect(run.ourRequests[0]).toMatchObject({ method: "POST", path: "/keys/rotating/rotate", rawBody: "" });
  });

  it("getKeyRotationPolicy: same request, same policy (each action has both trigger keys)", async () => {
    const run = await runBoth(
      t.vault,
      () => t.official.getKeyRotationPolicy("rotating"),
      () => t.ours.getKeyRotationPolicy("rotating"),
    );
    expectSameRun(run);
    expect(resolved(run.ours).lifetimeActions).toStrictEqual([
      { action: "Rotate", timeAfterCreate: "P30D", timeBeforeExpiry: undefined },
      { action: "Notify", timeAfterCreate: undefined, timeBeforeExpiry: "P30D" },
    ]);
  });

  it("updateKeyRotationPolicy with expiresIn and both triggers: same request, same policy", async () => {
    const policy = {
      expiresIn: "P90D",
      lifetimeActions: [
        { action: "Rotate" as const, timeAfterCreate: "P30D" },
        { action: "Notify" as const, timeBeforeExpiry: "P7D" },
      ],
    };
    const run = await runBoth(
      t.vault,
      () => t.official.updateKeyRotationPolicy("rotating", policy),
      () => t.ours.updateKeyRotationPolicy("rotating", policy),
    );
    expectSameRun(run);
    expect(run.ourRequests[0]!.body).toEqual({
      lifetimeActions: [
        { trigger: { timeAfterCreate: "P30D" }, action: { type: "Rotate" } },
        { trigger: { timeBeforeExpiry: "P7D" }, action: { type: "Notify" } },
      ],
      attributes: { expiryTime: "P90D" },
    });
  });

  it("updateKeyRotationPolicy without expiresIn: named difference, no empty attributes object; same policy", async () => {
    const policy = { lifetimeActions: [{ action: "Rotate" as const, timeBeforeExpiry: "P10D" }] };
    const run = await runBoth(
      t.vault,
      () => t.official.updateKeyRotationPolicy("rotating", policy),
      () => t.ours.updateKeyRotationPolicy("rotating", policy),
    );
    expectSameRun(run, { "requests[0].body.attributes": ABSENT });
  });

  it("updateKeyRotationPolicy with an empty policy: named difference, no empty attributes object", async () => {
    const run = await runBoth(
      t.vault,
      () => t.official.updateKeyRotationPolicy("rotating", {}),
      () => t.ours.updateKeyRotationPolicy("rotating", {}),
    );
    expectSameRun(run, { "requests[0].body.attributes": ABSENT });
    expect(run.ourRequests[0]!.body).toEqual({});
  });
});

describe("random bytes and release", () => {
  it.each([100, 16, 1, 128])("getRandomBytes(%i): same request, the same Node Buffer", async (count) => {
    const run = await runBoth(
      t.vault,
      () => t.official.getRandomBytes(count),
      () => t.ours.getRandomBytes(count),
    );
    expectSameRun(run);
    expect(run.ourRequests[0]!.body).toEqual({ count });
    expect(Buffer.isBuffer(resolved(run.ours))).toBe(true);
    if (count === 100) expect(Buffer.from(resolved(run.ours)).toString("base64url")).toBe(RANDOM_100);
  });

  it("releaseKey with version, nonce and algorithm: same request, same result", async () => {
    const options = { version: EC_VERSION, nonce: "nonce-1", algorithm: "RSA_AES_KEY_WRAP_256" };
    const run = await runBoth(
      t.vault,
      () => t.official.releaseKey("exportable", "attestation-token", options),
      () => t.ours.releaseKey("exportable", "attestation-token", options),
    );
    expectSameRun(run);
    expect(run.ourRequests[0]).toMatchObject({
      path: `/keys/exportable/${EC_VERSION}/release`,
      body: { target: "attestation-token", nonce: "nonce-1", enc: "RSA_AES_KEY_WRAP_256" },
    });
    expect(resolved(run.ours)).toStrictEqual({ value: RELEASE_VALUE });
  });

  it("releaseKey without version: same request (/keys/{name}/release), same result", async () => {
    const run = await runBoth(
      t.vault,
      () => t.official.releaseKey("exportable", "attestation-token"),
      () => t.ours.releaseKey("exportable", "attestation-token"),
    );
    expectSameRun(run);
    expect(run.ourRequests[0]).toMatchObject({
      path: "/keys/exportable/release",
      body: { target: "attestation-token" },
    });
  });
});

describe("getCryptographyClient", () => {
  it("keyID and vaultUrl without and with version are the same, and nothing is sent", async () => {
    const run = await runBoth(
      t.vault,
      () =>
        [undefined, EC_VERSION].map((keyVersion) => {
          const client = t.official.getCryptographyClient("crypto-key", { keyVersion });
          return { keyID: client.keyID, vaultUrl: client.vaultUrl };
        }),
      () =>
        [undefined, EC_VERSION].map((keyVersion) => {
          const client = t.ours.getCryptographyClient("crypto-key", { keyVersion });
          return { keyID: client.keyID, vaultUrl: client.vaultUrl };
        }),
    );
    expectSameRun(run);
    expect(resolved(run.ours)).toStrictEqual([
      { keyID: `${t.vault.url}/keys/crypto-key`, vaultUrl: t.vault.url },
      { keyID: `${t.vault.url}/keys/crypto-key/${EC_VERSION}`, vaultUrl: t.vault.url },
    ]);
  });
});

describe("parseKeyVaultKeyIdentifier", () => {
  const vault = "https://myvault.vault.azure.net";
  it.each([
    `${vault}/keys/my-key/0123456789abcdef`,
    `${vault}/keys/my-key`,
    `${vault}/keys/my-key/`,
    `${vault}/deletedkeys/my-key`,
    `${vault}:443/keys/k/v`,
    "https://localhost:8443/keys/k/v",
    `${vault}/keys/a%20b/v`,
    `${vault}/keys/k/v?api-version=7.5#x`,
    `${vault}/secrets/s/v`,
    `HTTPS://MyVault.Vault.Azure.Net/keys/K/V`,
    ` ${vault}/keys/k/v `,
  ])("%s: the same parts, version an own key even when undefined", async (id) => {
    expectSame(await settle(() => officialParse(id)), await settle(() => parseKeyVaultKeyIdentifier(id)));
  });

  it.each([
    "",
    "not a url",
    `${vault}/keys`,
    `${vault}/keys/k/v/extra`,
    `${vault}/`,
    "https:",
    "https://myvault.vault.azure.net",
  ])("%j: the same Error, with the same message", async (id) => {
    const official = await settle(() => officialParse(id));
    expect(official).toHaveProperty("rejected");
    expectSame(official, await settle(() => parseKeyVaultKeyIdentifier(id)));
  });

  it.each([undefined, null, 42])("%j: the same TypeError", async (id) => {
    expectSame(
      await settle(() => officialParse(id as unknown as string)),
      await settle(() => parseKeyVaultKeyIdentifier(id as unknown as string)),
    );
  });
});
