/**
 * The App Service managed-identity endpoint, on the wire, as MSAL (JS identity) and azure-identity
 * (Python) call it: GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=... with X-IDENTITY-HEADER.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { EmulatorTestClient } from "../helpers/emulatorTestClient.js";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ https: false, faults: { throttleRate: 1 } });
});
afterAll(async () => {
  await emulator.close();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, string>;
}

function ask(query: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${emulator.identityEndpoint}${query}`, { method, headers }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(text) }),
      );
    });
    request.on("error", reject);
    request.end();
  });
}

const vaultQuery = "?api-version=2019-08-01&resource=https%3A%2F%2Fvault.azure.net";

describe("managed-identity endpoint", () => {
  it("is served at /msi/token of the emulator's URL, with a secret header value", () => {
    expect(emulator.identityEndpoint).toBe(`${emulator.url}/msi/token`);
    expect(emulator.identityHeader).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("answers a token the vault accepts, in the App Service 2019-08-01 shape", async () => {
    const before = Math.floor(Date.now() / 1000);
    const answer = await ask(vaultQuery, { "X-IDENTITY-HEADER": emulator.identityHeader });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(Object.keys(answer.body).sort()).toEqual([
      "access_token",
      "client_id",
      "expires_on",
      "resource",
      "token_type",
    ]);
    expect(answer.body.token_type).toBe("Bearer");
    expect(answer.body.resource).toBe("https://vault.azure.net");
    expect(answer.body.client_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(answer.body.expires_on).toMatch(/^\d+$/);
    expect(Number(answer.body.expires_on)).toBeGreaterThanOrEqual(before + 24 * 3600 - 5);
    // The vault checks that token as any other (faults are on: a good token is what gets throttled).
    const vault = await new EmulatorTestClient(emulator).get("/keys", { token: answer.body.access_token ?? "" });
    expect(vault.status).toBe(429);
    const refused = await new EmulatorTestClient(emulator).get("/keys", { token: "x.y.z" });
    expect(refused.status).toBe(401);
  });

  it("accepts the scope form, a trailing slash and a user-assigned identity parameter", async () => {
    for (const resource of ["https://vault.azure.net/", "https://vault.azure.net/.default"]) {
      const answer = await ask(`?api-version=2019-08-01&resource=${encodeURIComponent(resource)}&client_id=abc`, {
        "x-identity-header": emulator.identityHeader,
      });
      expect(answer.status, resource).toBe(200);
      expect(answer.body.resource).toBe(resource);
    }
  });

  it("refuses a missing or wrong secret, another api-version or resource, and other methods", async () => {
    const missing = await ask(vaultQuery);
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      error: "unauthorized_client",
      error_description: "The X-IDENTITY-HEADER header is missing or wrong.",
    });
    expect((await ask(vaultQuery, { "X-IDENTITY-HEADER": `${emulator.identityHeader}x` })).status).toBe(401);
    const header = { "X-IDENTITY-HEADER": emulator.identityHeader };
    const version = await ask("?api-version=2017-09-01&resource=https://vault.azure.net", header);
    expect(version.status).toBe(400);
    expect(version.body.error_description).toContain("api-version must be 2019-08-01");
    const resource = await ask("?api-version=2019-08-01&resource=https://management.azure.com", header);
    expect(resource.status).toBe(400);
    expect(resource.body).toEqual({
      error: "invalid_resource",
      error_description:
        'This emulator issues tokens for https://vault.azure.net only; got "https://management.azure.com".',
    });
    expect((await ask("?api-version=2019-08-01", header)).status).toBe(400);
    const post = await ask(vaultQuery, header, "POST");
    expect(post.status).toBe(405);
    expect(post.headers["allow"]).toBe("GET");
  });

  it("keeps its secret across a restart with the same dataDir", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "kv-emulator-mi-"));
    try {
      const first = await startEmulator({ https: false, dataDir });
      const header = first.identityHeader;
      await first.close();
      const again = await startEmulator({ https: false, dataDir });
      expect(again.identityHeader).toBe(header);
      await again.close();
      const other = await startEmulator({ https: false });
      expect(other.identityHeader).not.toBe(header);
      await other.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
