/*
 * The direct path (a client with default options) and the standard core-rest-pipeline pipeline (any
 * customization, here one extra policy) send the same requests: same headers (user agent included,
 * which the direct path writes without loading core-rest-pipeline), same challenge flow, same retries.
 */
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { RestError } from "@azure/core-rest-pipeline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  apiVersion,
  createTestClient,
  mockVault,
  resetNock,
  restoreNock,
  type SeenRequest,
} from "../helpers/mockVault.js";
import { keyBundle } from "../helpers/wire.js";

beforeEach(resetNock);
afterEach(restoreNock);

/** A policy that changes nothing, so that the client takes the standard pipeline. */
const passThrough: PipelinePolicy = { name: "passThrough", sendRequest: (request, next) => next(request) };

async function requestsOf(
  standard: boolean,
  reply: (vault: ReturnType<typeof mockVault>) => void,
): Promise<SeenRequest[]> {
  resetNock();
  const vault = mockVault();
  reply(vault);
  const { client } = createTestClient(
    standard ? { additionalPolicies: [{ policy: passThrough, position: "perCall" }] } : {},
  );
  try {
    await client.getKey("k", { requestOptions: { headers: { "x-custom": "1" } } });
  } catch (error) {
    expect(error).toBeInstanceOf(RestError);
  }
  return vault.requests;
}

/** The headers of a request, with the per-request values (request id, token) reduced to their shape. */
function shape(request: SeenRequest): Record<string, string> {
  const headers = { ...request.headers };
  if (headers["x-ms-client-request-id"])
    headers["x-ms-client-request-id"] = /^[0-9a-f-]{36}$/.test(headers["x-ms-client-request-id"]) ? "<uuid>" : "bad";
  return headers;
}

describe("direct path and standard pipeline", () => {
  it("send the same requests, challenge included", async () => {
    const reply = (vault: ReturnType<typeof mockVault>): void => {
      vault.scope.get("/keys/k/").query(apiVersion()).reply(200, keyBundle("k"));
    };
    const direct = await requestsOf(false, reply);
    const standard = await requestsOf(true, reply);
    expect(direct.map(shape)).toEqual(standard.map(shape));
    expect(direct.map((r) => [r.method, r.path, r.query])).toEqual(standard.map((r) => [r.method, r.path, r.query]));
    expect(direct[0]!.headers["user-agent"]).toMatch(
      /^azsdk-js-keyvault-keys-lite\/\S+ core-rest-pipeline\/\S+ Node\//,
    );
  });

  it("retry a 503 and a 429 the same way", async () => {
    const reply = (vault: ReturnType<typeof mockVault>): void => {
      vault.scope.get("/keys/k/").query(apiVersion()).reply(503, {}, { "retry-after-ms": "1" });
      vault.scope.get("/keys/k/").query(apiVersion()).reply(429, {}, { "Retry-After": "0" });
      vault.scope.get("/keys/k/").query(apiVersion()).reply(500, {});
      vault.scope.get("/keys/k/").query(apiVersion()).reply(200, keyBundle("k"));
    };
    const direct = await requestsOf(false, reply);
    const standard = await requestsOf(true, reply);
    expect(direct.length).toBe(standard.length);
    expect(direct.map(shape)).toEqual(standard.map(shape));
  });

  it("give up after the same number of retries, with the same RestError", async () => {
    const errors: unknown[] = [];
    for (const standard of [false, true]) {
      resetNock();
      const vault = mockVault();
      vault.scope
        .get("/keys/k/")
        .query(apiVersion())
        .times(10)
        .reply(500, { error: { code: "Boom", message: "boom" } });
      const { client } = createTestClient(
        standard ? { additionalPolicies: [{ policy: passThrough, position: "perRetry" }] } : {},
      );
      errors.push(await client.getKey("k").catch((e: unknown) => e));
      expect(vault.authorized().length).toBe(4);
    }
    for (const error of errors) {
      expect(error).toBeInstanceOf(RestError);
      expect(error).toMatchObject({ statusCode: 500, code: "Boom", message: "boom" });
    }
  });
});
