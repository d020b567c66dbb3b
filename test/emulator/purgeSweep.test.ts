/**
 * Deleted keys past their scheduled purge date: gone at once for reads and writes (get, list,
 * recover, purge answer as for no key; a create of the name makes a new key, not a version of the
 * old one), removed from the store by the sweep, and still so after a restart.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";
import { internalsOf } from "../../src/emulator/internals.js";
import { EmulatorTestClient } from "../helpers/emulatorTestClient.js";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "kv-emulator-purge-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
});

describe("deleted keys past their purge date", () => {
  it("are gone for every read and write at once, removed by the sweep, and stay gone after a restart", async () => {
    // About the purge date, not the deletion window (which a frozen clock would never end): instant.
    const emulator = await startEmulator({ dataDir, https: false, recoverableDays: 7, instant: true });
    let client = new EmulatorTestClient(emulator);
    for (const name of ["expired", "recreated", "recent"]) await client.createKey(name, { kty: "EC" });
    await client.createKey("recreated", { kty: "EC" }); // two versions before its deletion
    await client.request("DELETE", "/keys/expired");
    await client.request("DELETE", "/keys/recreated");

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 8 * 86400 * 1000);
    client = new EmulatorTestClient(emulator); // a token valid at the new time
    expect((await client.request("DELETE", "/keys/recent")).status).toBe(200); // deleted "now": within its retention
    expect((await client.get("/deletedkeys/expired")).status).toBe(404);
    expect((await client.get("/deletedkeys/recent")).status).toBe(200);
    const listed = await client.get("/deletedkeys");
    expect(listed.body.value.map((item: { recoveryId: string }) => item.recoveryId.split("/").pop())).toEqual([
      "recent",
    ]);
    expect((await client.post("/deletedkeys/expired/recover")).status).toBe(404);
    expect((await client.request("DELETE", "/deletedkeys/expired")).status).toBe(404);
    await client.createKey("recreated", { kty: "EC" }); // no 409: the name is free
    expect((await client.get("/keys/recreated/versions")).body.value).toHaveLength(1);

    const { store } = internalsOf(emulator);
    await store.flush(); // the sweep's removals are committed in the background
    expect(store.get("expired")).toBeUndefined();
    await emulator.close();

    const restarted = await startEmulator({ dataDir, https: false, recoverableDays: 7, instant: true });
    try {
      const names = internalsOf(restarted)
        .store.snapshot()
        .keys.map((key) => key.name)
        .sort();
      expect(names).toEqual(["recent", "recreated"]);
      const again = new EmulatorTestClient(restarted);
      expect((await again.get("/keys/recreated/versions")).body.value).toHaveLength(1);
      expect((await again.get("/deletedkeys/recent")).status).toBe(200);
    } finally {
      await restarted.close();
    }
  });
});
