import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiVersion, createTestClient, mockVault, resetNock, restoreNock } from "../helpers/mockVault.js";
import { JSON_HEADERS, keyBundle } from "../helpers/wire.js";

beforeEach(resetNock);
afterEach(restoreNock);

const throttled = { error: { code: "Throttled", message: "Too many requests" } };

describe("retries", () => {
  it.each([429, 503])("retries a %i with Retry-After, then succeeds, with the body every time", async (status) => {
    const vault = mockVault();
    vault.scope
      .post("/keys/k/create")
      .query(apiVersion())
      .reply(status, throttled, { ...JSON_HEADERS, "retry-after": "0" });
    vault.scope
      .post("/keys/k/create")
      .query(apiVersion())
      .reply(status, throttled, { ...JSON_HEADERS, "retry-after": "0" });
    vault.scope.post("/keys/k/create").query(apiVersion()).reply(200, keyBundle("k"));
    const { client, credential } = createTestClient();
    const key = await client.createKey("k", "EC");
    expect(key.name).toBe("k");
    const authorized = vault.authorized();
    expect(authorized).toHaveLength(3);
    for (const request of authorized) {
      expect(request.body).toEqual({ kty: "EC" });
      expect(request.headers["authorization"]).toBe("Bearer token-1");
    }
    // Same client request id on every try; one token for all.
    expect(new Set(authorized.map((r) => r.headers["x-ms-client-request-id"])).size).toBe(1);
    expect(credential.calls).toHaveLength(1);
    expect(vault.scope.isDone()).toBe(true);
  });

  it("retries a 503 without Retry-After with the (small) exponential delay", async () => {
    const vault = mockVault();
    vault.scope.get("/keys/k/").query(apiVersion()).reply(503, throttled, JSON_HEADERS);
    vault.scope.get("/keys/k/").query(apiVersion()).reply(200, keyBundle("k"));
    const { client } = createTestClient();
    await expect(client.getKey("k")).resolves.toMatchObject({ name: "k" });
  });

  it("gives up after maxRetries with the last RestError", async () => {
    const vault = mockVault();
    vault.scope
      .get("/keys/k/")
      .query(apiVersion())
      .times(3)
      .reply(429, throttled, { ...JSON_HEADERS, "retry-after": "0" });
    const { client } = createTestClient({ retryOptions: { maxRetries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 5 } });
    await expect(client.getKey("k")).rejects.toMatchObject({ statusCode: 429, code: "Throttled" });
    expect(vault.authorized()).toHaveLength(3);
  });

  it("does not retry a 404", async () => {
    const vault = mockVault();
    vault.scope
      .get("/keys/k/")
      .query(apiVersion())
      .reply(404, { error: { code: "KeyNotFound", message: "no" } }, JSON_HEADERS);
    const { client } = createTestClient();
    await expect(client.getKey("k")).rejects.toMatchObject({ statusCode: 404 });
    expect(vault.authorized()).toHaveLength(1);
  });
});
