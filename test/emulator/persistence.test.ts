import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";
import { EmulatorTestClient } from "../helpers/emulatorTestClient.js";
import { temporaryFolders } from "../helpers/temporaryFolders.js";

const newFolder = temporaryFolders("kv-emulator");

describe("dataDir persistence", () => {
  it("keeps keys, versions, deleted keys, rotation policies, tokens and backups across a restart", async () => {
    const dataDir = newFolder();
    const first = await startEmulator({ dataDir, https: false, recoverableDays: 30 });
    const client = new EmulatorTestClient(first);
    const token = first.createToken(3600);
    const v1 = await client.createKey("kept", { kty: "RSA", tags: { a: "1" } });
    const v2 = await client.createKey("kept", { kty: "RSA" });
    await client.request("PUT", "/keys/kept/rotationpolicy", {
      lifetimeActions: [],
      attributes: { expiryTime: "P60D" },
    });
    await Promise.all(Array.from({ length: 10 }, (_, i) => client.createKey(`many-${i}`, { kty: "EC" })));
    await client.createKey("binned", { kty: "EC" });
    await client.request("DELETE", "/keys/binned");
    const backup = (await client.post("/keys/kept/backup")).body.value;
    await first.close();
    expect(readdirSync(dataDir).filter((file) => file.endsWith(".tmp"))).toEqual([]);

    const second = await startEmulator({ dataDir, https: false, recoverableDays: 30 });
    try {
      const again = new EmulatorTestClient(second);
      expect((await again.get("/keys/kept", { token })).status).toBe(200); // the old token still works
      const versions = await again.get("/keys/kept/versions");
      expect(versions.body.value.map((item: { kid: string }) => item.kid.split("/").pop())).toEqual([
        v1.body.key.kid.split("/").pop(),
        v2.body.key.kid.split("/").pop(),
      ]);
      expect((await again.get("/keys/kept")).body.key.n).toBe(v2.body.key.n);
      expect((await again.get("/keys/kept/rotationpolicy")).body.attributes.expiryTime).toBe("P60D");
      expect((await again.get("/keys?maxresults=25")).body.value).toHaveLength(11);
      expect((await again.get("/deletedkeys/binned")).status).toBe(200);
      await again.request("DELETE", "/keys/kept");
      await again.pollUntil("/deletedkeys/kept", 200);
      expect((await again.request("DELETE", "/deletedkeys/kept")).status).toBe(204);
      expect((await again.retryWhileBeingDeleted("POST", "/keys/restore", { value: backup })).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});

describe("softDelete: false", () => {
  it("deletes at once with recovery level Purgeable and no recoveryId", async () => {
    const emulator = await startEmulator({ https: false, softDelete: false });
    try {
      const client = new EmulatorTestClient(emulator);
      const created = await client.createKey("purgeable", { kty: "EC" });
      expect(created.body.attributes.recoveryLevel).toBe("Purgeable");
      expect(created.body.attributes.recoverableDays).toBeUndefined();
      const deleted = await client.request("DELETE", "/keys/purgeable");
      expect(deleted.status).toBe(200);
      expect(deleted.body.recoveryId).toBeUndefined();
      expect(deleted.body.key.kid).toBe(created.body.key.kid);
      expect((await client.get("/deletedkeys/purgeable")).status).toBe(404);
      expect((await client.get("/deletedkeys")).body).toEqual({ value: [], nextLink: null });
      // The name is free again once the deletion has finished (a moment, as on the service).
      expect((await client.retryWhileBeingDeleted("POST", "/keys/purgeable/create", { kty: "EC" })).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it("rejects recoverableDays outside 7..90 with a RangeError", async () => {
    await expect(startEmulator({ recoverableDays: 6 })).rejects.toThrow(RangeError);
    await expect(startEmulator({ recoverableDays: 91 })).rejects.toThrow(RangeError);
  });

  it("answers 90-day vaults with Recoverable+Purgeable", async () => {
    const emulator = await startEmulator({ https: false });
    try {
      const created = await new EmulatorTestClient(emulator).createKey("ninety", { kty: "EC" });
      expect(created.body.attributes).toMatchObject({ recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90 });
    } finally {
      await emulator.close();
    }
  });
});
