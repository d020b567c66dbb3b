import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { EmulatorTestClient, startTestEmulator } from "../helpers/emulatorTestClient.js";

let emulator: RunningEmulator;
let client: EmulatorTestClient;

beforeAll(async () => {
  ({ emulator, client } = await startTestEmulator());
});
afterAll(async () => {
  await emulator.close();
  vi.useRealTimers();
});

describe("authentication", () => {
  it("challenges a request without a token in the recorded format", async () => {
    const response = await client.post("/keys/challenged/create", undefined, { token: null });
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toBe(
      'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"',
    );
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.body).toEqual({
      error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer, PoP, or MTLS_POP token." },
    });
  });

  it("refuses malformed tokens and tokens of another emulator instance", async () => {
    const other = await startEmulator({ https: false });
    try {
      for (const token of ["not-a-jwt", "a.b.c", other.createToken()]) {
        const response = await client.get("/keys", { token });
        expect(response.status).toBe(401);
        expect(response.body.error.code).toBe("Unauthorized");
        expect(response.body.error.message).toMatch(/^AKV100\d\d: /);
        expect(response.headers["www-authenticate"]).toContain('resource="https://vault.azure.net"');
      }
    } finally {
      await other.close();
    }
  });

  it("accepts tokens from the credential for the vault scope and refuses other scopes", async () => {
    const token = await emulator.credential.getToken("https://vault.azure.net/.default");
    expect(token?.tokenType).toBe("Bearer");
    const response = await client.get("/keys", { token: token?.token ?? "" });
    expect(response.status).toBe(200);
    await expect(emulator.credential.getToken("https://storage.azure.com/.default")).rejects.toThrow(
      /only issues tokens/,
    );
  });

  it("refuses an expired token", async () => {
    const token = emulator.createToken(60);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 2 * 60 * 60 * 1000);
    try {
      const response = await client.get("/keys", { token });
      expect(response.status).toBe(401);
      expect(response.body.error.message).toMatch(/expired/);
    } finally {
      vi.useRealTimers();
    }
  });
});
