/**
 * Listing: every key, every version of one key, and page by page with a continuation token, the way
 * a web API would hand pages to its own callers.
 *
 *   npx tsx samples/listAndPaging.ts
 */
import { KeyClient, type KeyProperties, type KeyVaultPage } from "../src/index.js";
import { connect, runIfMain, uniqueName } from "./common/connect.js";

export async function main(): Promise<void> {
  const vault = await connect();
  try {
    const client = new KeyClient(vault.vaultUrl, vault.credential, vault.clientOptions);
    const prefix = uniqueName("paging");
    const names = Array.from({ length: 5 }, (_, i) => `${prefix}-${i}`);
    for (const name of names) await client.createEcKey(name, { curve: "P-256" });
    await client.createEcKey(names[0]!, { curve: "P-256" }); // a second version of the first key

    for await (const version of client.listPropertiesOfKeyVersions(names[0]!)) {
      console.log(`${names[0]} version ${version.version}, created ${version.createdOn?.toISOString()}`);
    }

    // Two keys a page; keep the token of the first page and resume from it, as a stateless API would.
    const first = await client.listPropertiesOfKeys().byPage({ maxPageSize: 2 }).next();
    const firstPage: KeyVaultPage<KeyProperties> = first.done ? [] : first.value;
    const token = firstPage.continuationToken;
    console.log(`first page: ${firstPage.map((p) => p.name).join(", ")}; more: ${token ? "yes" : "no"}`);
    if (token) {
      let pages = 1;
      for await (const page of client.listPropertiesOfKeys().byPage({ maxPageSize: 2, continuationToken: token })) {
        pages++;
        console.log(`page ${pages}: ${page.map((p) => p.name).join(", ")}`);
      }
    }

    for (const name of names) {
      await (await client.beginDeleteKey(name, { intervalInMs: vault.emulated ? 50 : 2000 })).pollUntilDone();
    }
    for await (const deleted of client.listDeletedKeys()) {
      if (deleted.name.startsWith(prefix)) {
        console.log(
          `deleted ${deleted.name}, recoverable until ${deleted.properties.scheduledPurgeDate?.toISOString()}`,
        );
        await client.purgeDeletedKey(deleted.name);
      }
    }
  } finally {
    await vault.close();
  }
}

runIfMain(import.meta.url, main);
