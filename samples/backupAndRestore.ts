/**
 * Backup and restore: back up a key with all its versions, delete and purge it, then restore it from
 * the backup. The backup is opaque: only Key Vault (or, here, the same emulator) can read it.
 *
 *   npx tsx samples/backupAndRestore.ts
 */
import { KeyClient, retryWhileBeingDeleted } from "../src/index.js";
import { connect, runIfMain, uniqueName } from "./common/connect.js";

export async function main(): Promise<void> {
  const vault = await connect();
  try {
    const client = new KeyClient(vault.vaultUrl, vault.credential, vault.clientOptions);
    const name = uniqueName("backup");
    await client.createRsaKey(name, { keySize: 2048 });
    await client.rotateKey(name);

    const backup = await client.backupKey(name);
    if (!backup) throw new Error("The vault returned no backup.");
    console.log(`backed up ${name}: ${backup.length} bytes`);

    await (await client.beginDeleteKey(name, { intervalInMs: vault.emulated ? 50 : 2000 })).pollUntilDone();
    await client.purgeDeletedKey(name);
    console.log(`deleted and purged ${name}`);

    // Right after a purge the vault answers 409 ObjectIsBeingDeleted for a short while: retry that.
    const restored = await retryWhileBeingDeleted(() => client.restoreKeyBackup(backup), {
      intervalInMs: vault.emulated ? 100 : 2000,
    });
    console.log(`restored ${restored.name} (version ${restored.properties.version})`);
    let versions = 0;
    for await (const _ of client.listPropertiesOfKeyVersions(name)) versions++;
    console.log(`${name} has ${versions} versions again`);

    await (await client.beginDeleteKey(name, { intervalInMs: vault.emulated ? 50 : 2000 })).pollUntilDone();
    await client.purgeDeletedKey(name);
  } finally {
    await vault.close();
  }
}

runIfMain(import.meta.url, main);
