/**
 * Hello world: create a key, read it, update it, list keys, then delete, recover and finally
 * delete and purge it. Runs against the built-in emulator unless KEYVAULT_URI is set.
 *
 *   npm run sample
 */
import { KeyClient } from "../src/index.js";
import { connect, runIfMain, uniqueName } from "./common/connect.js";

export async function main(): Promise<void> {
  const vault = await connect();
  try {
    const client = new KeyClient(vault.vaultUrl, vault.credential, vault.clientOptions);
    console.log(`Vault: ${client.vaultUrl}${vault.emulated ? " (built-in emulator)" : ""}`);
    const name = uniqueName("hello");

    const created = await client.createRsaKey(name, { keySize: 2048, tags: { purpose: "sample" } });
    console.log(`created ${created.name} version ${created.properties.version} (${created.keyType})`);

    const fetched = await client.getKey(name);
    console.log(`fetched ${fetched.id}, created on ${fetched.properties.createdOn?.toISOString()}`);

    const expiresOn = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    const updated = await client.updateKeyProperties(name, created.properties.version!, {
      expiresOn,
      tags: { purpose: "sample", updated: "yes" },
    });
    console.log(
      `updated: expires on ${updated.properties.expiresOn?.toISOString()}, tags ${JSON.stringify(updated.properties.tags)}`,
    );

    let count = 0;
    for await (const properties of client.listPropertiesOfKeys()) {
      if (properties.name === name) console.log(`listed ${properties.name} (enabled: ${properties.enabled})`);
      count++;
    }
    console.log(`the vault holds ${count} key(s)`);

    const deletePoller = await client.beginDeleteKey(name, { intervalInMs: vault.emulated ? 100 : 2000 });
    const deleted = await deletePoller.pollUntilDone();
    console.log(
      `deleted on ${deleted.properties.deletedOn?.toISOString()}, purge scheduled ${deleted.properties.scheduledPurgeDate?.toISOString()}`,
    );

    const recoverPoller = await client.beginRecoverDeletedKey(name, { intervalInMs: vault.emulated ? 100 : 2000 });
    const recovered = await recoverPoller.pollUntilDone();
    console.log(`recovered ${recovered.name}`);

    await (await client.beginDeleteKey(name, { intervalInMs: vault.emulated ? 100 : 2000 })).pollUntilDone();
    await client.purgeDeletedKey(name);
    console.log(`purged ${name}`);
  } finally {
    await vault.close();
  }
}

runIfMain(import.meta.url, main);
