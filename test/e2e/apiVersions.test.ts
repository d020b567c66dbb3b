/**
 * Clients at every api-version: the official `@azure/keyvault-keys` client (whose `serviceVersion`
 * takes any string) at every published version, previews and 2016-10-01 included, and our KeyClient at
 * each `serviceVersion` it knows. Each creates, reads, lists across pages and deletes with its poller.
 */
import { KeyClient as OfficialKeyClient } from "@azure/keyvault-keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyClient } from "../../src/index.js";
import { knownServiceVersions } from "../../src/models/known.js";
import { collect, e2eName, startE2EVault, type E2EVault } from "../helpers/e2eVault.js";

let vault: E2EVault;
beforeAll(async () => {
  vault = await startE2EVault();
});
afterAll(async () => {
  await vault?.close();
});

const published = [
  "2016-10-01",
  "7.0",
  "7.1",
  "7.2",
  "7.3-preview",
  "7.3",
  "7.4-preview.1",
  "7.4",
  "7.5-preview.1",
  "7.5",
  "7.6-preview.1",
  "7.6-preview.2",
  "7.6",
  "2025-06-01-preview",
  "2025-07-01",
];

async function lifecycle(client: KeyClient | OfficialKeyClient, label: string): Promise<void> {
  const name = e2eName("apiv");
  const created = await client.createEcKey(name);
  await client.createEcKey(name);
  expect((await client.getKey(name)).name, label).toBe(name);
  const pages = await collect(client.listPropertiesOfKeyVersions(name).byPage({ maxPageSize: 1 }));
  expect(
    pages.flat().map((item) => item.version),
    label,
  ).toContain(created.properties.version);
  expect(pages, label).toHaveLength(2);
  const deleted = await (await client.beginDeleteKey(name, { intervalInMs: 10 })).pollUntilDone();
  expect(deleted.name, label).toBe(name);
}

describe("api-versions through the clients", () => {
  it.each(published)("the official KeyClient at %s", async (serviceVersion) => {
    const client = new OfficialKeyClient(vault.emulator.url, vault.emulator.credential, {
      ...vault.clientOptions,
      serviceVersion,
    });
    await lifecycle(client, serviceVersion);
  });

  it.each([...knownServiceVersions])("our KeyClient at %s", async (serviceVersion) => {
    const client = new KeyClient(vault.emulator.url, vault.emulator.credential, {
      ...vault.clientOptions,
      serviceVersion,
    });
    await lifecycle(client, serviceVersion);
  });
});
