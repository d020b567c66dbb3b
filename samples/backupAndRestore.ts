/**
 * Backup and restore: back up a key with all its versions, delete and purge it, then restore it from
 * the backup. The backup is opaque: only Key Vault (or, here, the same emulator) can read it.
 *
 *   npx tsx samples/backupAndRestore.ts
 */
import { KeyClient } from "../src/index.js";
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

    // Right after a purge the service may still answer 409 for a short while; retry a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        const restored = await client.restoreKeyBackup(backup);
        console.log(`restored ${restored.name} (version ${restored.properties.version})`);
        break;
      } catch (error) {
        if (attempt >= 10 || (error as { statusCode?: number }).statusCode !== 409) throw error;
        await new Promise((resolve) => setTimeout(resolve, 3000));
      }
    }
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
