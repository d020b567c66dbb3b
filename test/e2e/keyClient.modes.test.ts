/**
 * End to end through OUR KeyClient against emulators started with other options: persistence across a
 * restart (`dataDir`), no soft delete, and a custom retention (`recoverableDays`); and a client given
 * its own `agent` (every other end-to-end test trusts the emulator through `tlsOptions`).
 */
import { afterAll, describe, expect, it } from "vitest";
import { KeyClient, retryWhileBeingDeleted } from "../../src/index.js";
import { collect, expectRestError, startE2EVault, type E2EVault } from "../helpers/e2eVault.js";
import { temporaryFolders } from "../helpers/temporaryFolders.js";

const poll = { intervalInMs: 10 };
const newFolder = temporaryFolders("kv-e2e");
const vaults: E2EVault[] = [];

afterAll(async () => {
  await Promise.all(vaults.map((vault) => vault.close()));
});

async function start(options: Parameters<typeof startE2EVault>[0]): Promise<{ vault: E2EVault; client: KeyClient }> {
  const vault = await startE2EVault(options);
  vaults.push(vault);
  return { vault, client: new KeyClient(vault.emulator.url, vault.emulator.credential, vault.clientOptions) };
}

describe("dataDir: a restart keeps everything", () => {
  it("keys, versions, properties, deleted keys, rotation policies and backups survive", async () => {
    const dataDir = newFolder();

    const first = await start({ dataDir });
    const rsa1 = await first.client.createRsaKey("rsa", { tags: { v: "1" } });
    const rsa2 = await first.client.createRsaKey("rsa", { tags: { v: "2" } });
    await first.client.updateKeyProperties("rsa", rsa1.properties.version!, { enabled: false });
    const ec = await first.client.createEcKey("ec", { curve: "P-384", hsm: true });
    const oct = await first.client.createOctKey("oct", { hsm: true, keySize: 256 });
    await first.client.createEcKey("binned");
    const deleted = await (await first.client.beginDeleteKey("binned", poll)).pollUntilDone();
    await first.client.updateKeyRotationPolicy("ec", {
      expiresIn: "P60D",
      lifetimeActions: [{ action: "Rotate", timeBeforeExpiry: "P10D" }],
    });
    const backup = (await first.client.backupKey("oct"))!;
    const signature = await first.client.getCryptographyClient("ec").sign("ES384", Buffer.alloc(48, 7));
    await first.vault.close();

    const second = await start({ dataDir });
    const client = second.client;
    // A new instance, on another port: ids are reported with the new URL.
    const latest = await client.getKey("rsa");
    expect(latest.properties.version).toBe(rsa2.properties.version);
    expect(latest.properties.tags).toEqual({ v: "2" });
    expect(Buffer.from(latest.key!.n!)).toEqual(Buffer.from(rsa2.key!.n!));
    const old = await client.getKey("rsa", { version: rsa1.properties.version! });
    expect(old.properties.enabled).toBe(false);
    expect(Buffer.from(old.key!.n!)).toEqual(Buffer.from(rsa1.key!.n!));
    const versions = (await collect(client.listPropertiesOfKeyVersions("rsa"))).map((item) => item.version).sort();
    expect(versions).toEqual([rsa1.properties.version, rsa2.properties.version].sort());

    const ecAgain = await client.getKey("ec");
    expect(ecAgain.keyType).toBe("EC-HSM");
    expect(Buffer.from(ecAgain.key!.x!)).toEqual(Buffer.from(ec.key!.x!));
    expect((await client.getKey("oct")).properties.version).toBe(oct.properties.version);

    const names = (await collect(client.listPropertiesOfKeys())).map((item) => item.name).sort();
    expect(names).toEqual(["ec", "oct", "rsa"]);
    const deletedAgain = await client.getDeletedKey("binned");
    expect(deletedAgain.properties.deletedOn).toEqual(deleted.properties.deletedOn);
    expect(deletedAgain.properties.scheduledPurgeDate).toEqual(deleted.properties.scheduledPurgeDate);
    expect((await collect(client.listDeletedKeys())).map((item) => item.name)).toEqual(["binned"]);

    const policy = await client.getKeyRotationPolicy("ec");
    expect(policy.expiresIn).toBe("P60D");
    expect(policy.lifetimeActions).toEqual(expect.arrayContaining([{ action: "Rotate", timeBeforeExpiry: "P10D" }]));

    // The private keys survived: the vault still verifies a signature made before the restart.
    const verified = await client.getCryptographyClient("ec").verify("ES384", Buffer.alloc(48, 7), signature.result);
    expect(verified.result).toBe(true);

    // The backup key survived too: a backup made before the restart restores after it.
    await (await client.beginDeleteKey("oct", poll)).pollUntilDone();
    await client.purgeDeletedKey("oct");
    const restored = await retryWhileBeingDeleted(() => client.restoreKeyBackup(backup), {
      intervalInMs: 50,
      maxAttempts: 100,
    });
    expect(restored.properties.version).toBe(oct.properties.version);

    // A soft-deleted key recovers after the restart with its versions.
    const recovered = await (await client.beginRecoverDeletedKey("binned", poll)).pollUntilDone();
    expect(recovered.name).toBe("binned");
    await second.vault.close();

    // And a third start sees the changes of the second.
    const third = await start({ dataDir });
    expect((await collect(third.client.listPropertiesOfKeys())).map((item) => item.name).sort()).toEqual([
      "binned",
      "ec",
      "oct",
      "rsa",
    ]);
    expect(await collect(third.client.listDeletedKeys())).toEqual([]);
  });
});

describe("softDelete: false", () => {
  it("the delete poller is done at once, with no recoveryId, and the name is free again", async () => {
    const { client } = await start({ softDelete: false });
    const created = await client.createEcKey("hard");
    expect(created.properties.recoveryLevel).toBe("Purgeable");
    expect(created.properties.recoverableDays).toBeUndefined();
    const poller = await client.beginDeleteKey("hard", poll);
    expect(poller.isDone()).toBe(true);
    const deleted = await poller.pollUntilDone();
    expect(deleted.name).toBe("hard");
    expect(deleted.properties.recoveryId).toBeUndefined();
    expect(deleted.properties.scheduledPurgeDate).toBeUndefined();
    await expectRestError(client.getKey("hard"), 404, "KeyNotFound");
    await expectRestError(client.getDeletedKey("hard"), 404);
    expect(await collect(client.listDeletedKeys())).toEqual([]);
    await expectRestError(client.beginRecoverDeletedKey("hard", poll), 404);
    // No soft-deleted name in the way: creating it again works once the deletion has finished.
    const again = await retryWhileBeingDeleted(() => client.createEcKey("hard"), {
      intervalInMs: 50,
      maxAttempts: 100,
    });
    expect(again.properties.version).not.toBe(created.properties.version);
  });
});

describe("recoverableDays: 7", () => {
  it("is reflected in recoveryLevel, recoverableDays and scheduledPurgeDate", async () => {
    const { client } = await start({ recoverableDays: 7 });
    const created = await client.createRsaKey("short");
    expect(created.properties.recoveryLevel).toBe("CustomizedRecoverable+Purgeable");
    expect(created.properties.recoverableDays).toBe(7);
    const listed = (await collect(client.listPropertiesOfKeys()))[0]!;
    expect(listed.recoveryLevel).toBe("CustomizedRecoverable+Purgeable");
    const deleted = await (await client.beginDeleteKey("short", poll)).pollUntilDone();
    expect(deleted.properties.recoveryLevel).toBe("CustomizedRecoverable+Purgeable");
    expect(deleted.properties.recoverableDays).toBe(7);
    expect(deleted.properties.scheduledPurgeDate!.getTime() - deleted.properties.deletedOn!.getTime()).toBe(
      7 * 24 * 3600 * 1000,
    );
    const fetched = await client.getDeletedKey("short");
    expect(fetched.properties.scheduledPurgeDate).toEqual(deleted.properties.scheduledPurgeDate);
    const listedDeleted = (await collect(client.listDeletedKeys()))[0]!;
    expect(listedDeleted.properties.scheduledPurgeDate).toEqual(deleted.properties.scheduledPurgeDate);
    expect(listedDeleted.properties.recoveryLevel).toBe("CustomizedRecoverable+Purgeable");
  });
});

describe("a client given its own https agent", () => {
  it("sends every operation through that agent's sockets, the same road as every other client", async () => {
    const { vault } = await start({});
    const client = new KeyClient(vault.emulator.url, vault.emulator.credential, {
      agent: vault.agent,
      disableChallengeResourceVerification: true,
    });
    const created = await client.createEcKey("through-agent", { curve: "P-256" });
    expect((await client.getKey("through-agent")).id).toBe(created.id);
    const names = (await collect(client.listPropertiesOfKeys({ abortSignal: new AbortController().signal }))).map(
      (p) => p.name,
    );
    expect(names).toContain("through-agent");
    const signed = await client.getCryptographyClient("through-agent").sign("ES256", Buffer.alloc(32, 1));
    expect(signed.result).toHaveLength(64);
    await (await client.beginDeleteKey("through-agent", poll)).pollUntilDone();
    // The agent holds the client's connection: everything above went over its sockets.
    const sockets =
      Object.values(vault.agent.freeSockets).flat().length + Object.values(vault.agent.sockets).flat().length;
    expect(sockets).toBeGreaterThan(0);
  });
});
