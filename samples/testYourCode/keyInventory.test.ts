/**
 * Sample: test your own code against the built-in emulator with vitest. Each test file starts its own
 * emulator on a free port (no Azure subscription, no Docker, nothing to clean up), and the code under
 * test gets an ordinary KeyClient.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyClient } from "../../src/index.js";
import { startEmulator } from "../../src/emulator/index.js";
import { keyInventory } from "./keyInventory.js";

describe("keyInventory, against the emulator", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let client: KeyClient;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    client = new KeyClient(emulator.url, emulator.credential, {
      tlsOptions: { ca: emulator.certificate },
      disableChallengeResourceVerification: true,
    });
  });

  afterAll(async () => {
    await emulator.close();
  });

  it("flags disabled, expired and soon-expiring keys", async () => {
    const day = 24 * 3600 * 1000;
    await client.createEcKey("healthy", { expiresOn: new Date(Date.now() + 400 * day) });
    await client.createEcKey("switched-off", { enabled: false });
    await client.createEcKey("ending", { expiresOn: new Date(Date.now() + 5 * day) });
    await client.createEcKey("ended", { expiresOn: new Date(Date.now() - day) });

    const inventory = await keyInventory(client);

    expect(inventory.map((e) => [e.name, e.attention])).toEqual([
      ["ended", "expired"],
      ["ending", "expires-soon"],
      ["healthy", undefined],
      ["switched-off", "disabled"],
    ]);
  });
});
