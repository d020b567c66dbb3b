/**
 * Clients that reach the emulator by another name than its listen address: through `localhost` and
 * through another loopback address (127.0.0.2), with our KeyClient and the official one. Ids, list
 * pages and clients built from a key's id stay on the address the client used, TLS verifies for each
 * name, and with a data folder the certificate a client trusts is still the one served after a restart.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CryptographyClient as OfficialCryptographyClient, KeyClient as OfficialKeyClient } from "@azure/keyvault-keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CryptographyClient, KeyClient } from "../../src/index.js";
import { collect, e2eName, startE2EVault, type E2EVault } from "../helpers/e2eVault.js";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "kv-emulator-hosts-"));
let vault: E2EVault;
let port: string;
beforeAll(async () => {
  // Every interface, so that 127.0.0.2 reaches it too; that address is one more name of the certificate.
  vault = await startE2EVault({ host: "0.0.0.0", hostnames: ["127.0.0.2"], dataDir, instant: true });
  port = new URL(vault.emulator.url).port;
});
afterAll(async () => {
  await vault?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const hosts = ["localhost", "127.0.0.2"];

describe.each(hosts)("through %s", (host) => {
  const base = (): string => `https://${host}:${port}`;

  it("our KeyClient: ids, every page of a list and a CryptographyClient from key.id stay on that address", async () => {
    const client = new KeyClient(base(), vault.emulator.credential, vault.clientOptions);
    const name = e2eName("host");
    const first = await client.createEcKey(name);
    expect(first.id?.startsWith(`${base()}/keys/${name}/`)).toBe(true);
    await client.createEcKey(name);
    await client.createEcKey(name);
    const pages = await collect(client.listPropertiesOfKeyVersions(name).byPage({ maxPageSize: 1 }));
    expect(pages).toHaveLength(3);
    for (const item of pages.flat()) expect(item.id?.startsWith(`${base()}/keys/${name}/`)).toBe(true);
    const crypto = new CryptographyClient(first.id!, vault.emulator.credential, vault.clientOptions);
    const signed = await crypto.sign("ES256", Buffer.alloc(32, 1));
    expect(signed.keyID?.startsWith(`${base()}/keys/${name}/`)).toBe(true);
    const deleted = await (await client.beginDeleteKey(name, { intervalInMs: 10 })).pollUntilDone();
    expect(deleted.recoveryId).toBe(`${base()}/deletedkeys/${name}`);
  });

  it("the official KeyClient: ids, list pages and a CryptographyClient from key.id stay on that address", async () => {
    const client = new OfficialKeyClient(base(), vault.emulator.credential, vault.clientOptions);
    const name = e2eName("host-official");
    const key = await client.createRsaKey(name);
    expect(key.id?.startsWith(`${base()}/keys/${name}/`)).toBe(true);
    await client.createRsaKey(name);
    const versions = await collect(client.listPropertiesOfKeyVersions(name).byPage({ maxPageSize: 1 }));
    expect(versions.flat()).toHaveLength(2);
    for (const item of versions.flat()) expect(item.id?.startsWith(`${base()}/keys/${name}/`)).toBe(true);
    const crypto = new OfficialCryptographyClient(key.id!, vault.emulator.credential, vault.clientOptions);
    const wrapped = await crypto.wrapKey("RSA-OAEP", Buffer.alloc(32, 2));
    expect(Buffer.from((await crypto.unwrapKey("RSA-OAEP", wrapped.result)).result)).toEqual(Buffer.alloc(32, 2));
  });
});

describe("after a restart with the same data folder", () => {
  it("serves the certificate clients already trust", async () => {
    const trusted = vault.emulator.certificate;
    const name = e2eName("kept");
    await new KeyClient(vault.emulator.url, vault.emulator.credential, vault.clientOptions).createEcKey(name);
    await vault.close();
    vault = await startE2EVault({ host: "0.0.0.0", hostnames: ["127.0.0.2"], dataDir, instant: true });
    port = new URL(vault.emulator.url).port;
    expect(vault.emulator.certificate).toBe(trusted);
    // A client holding only the certificate of before the restart connects, by each name.
    for (const host of hosts) {
      const client = new KeyClient(`https://${host}:${port}`, vault.emulator.credential, {
        tlsOptions: { ca: trusted ?? "" },
        disableChallengeResourceVerification: true,
      });
      expect((await client.getKey(name)).name).toBe(name);
    }
  });
});
