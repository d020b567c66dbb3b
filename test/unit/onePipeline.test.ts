/*
 * Issue 10: one road for every request. A client with the default options and one with an extra
 * policy send the very same requests through the same pipeline: same headers (the user agent that
 * core-rest-pipeline's userAgentPolicy writes after ours, `Accept-Encoding` from its
 * decompressResponsePolicy), same challenge flow, same retries.
 */
import { readFileSync } from "node:fs";
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

/** A policy that changes nothing: a customized client, which used to take another road. */
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

describe("default and customized clients", () => {
  it("send the same requests, challenge included", async () => {
    const reply = (vault: ReturnType<typeof mockVault>): void => {
      vault.scope.get("/keys/k/").query(apiVersion()).reply(200, keyBundle("k"));
    };
    const plain = await requestsOf(false, reply);
    const standard = await requestsOf(true, reply);
    expect(plain.map(shape)).toEqual(standard.map(shape));
    expect(plain.map((r) => [r.method, r.path, r.query])).toEqual(standard.map((r) => [r.method, r.path, r.query]));
    const ours = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
    const core = (
      JSON.parse(readFileSync("node_modules/@azure/core-rest-pipeline/package.json", "utf8")) as { version: string }
    ).version;
    for (const request of [...plain, ...standard]) {
      expect(request.headers["user-agent"]).toMatch(
        new RegExp(
          `^azsdk-js-keyvault-keys/${ours.replace(/\./g, "\\.")} core-rest-pipeline/${core.replace(/\./g, "\\.")} Node/`,
        ),
      );
      expect(request.headers["accept-encoding"]).toBe("gzip,deflate");
    }
  });

  it("retry a 503 and a 429 the same way", async () => {
    const reply = (vault: ReturnType<typeof mockVault>): void => {
      vault.scope.get("/keys/k/").query(apiVersion()).reply(503, {}, { "retry-after-ms": "1" });
      vault.scope.get("/keys/k/").query(apiVersion()).reply(429, {}, { "Retry-After": "0" });
      vault.scope.get("/keys/k/").query(apiVersion()).reply(500, {});
      vault.scope.get("/keys/k/").query(apiVersion()).reply(200, keyBundle("k"));
    };
    const plain = await requestsOf(false, reply);
    const standard = await requestsOf(true, reply);
    expect(plain.length).toBe(standard.length);
    expect(plain.map(shape)).toEqual(standard.map(shape));
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
