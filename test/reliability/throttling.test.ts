/*
 * Issue 6, throttling and faults: 429 and 503 with Retry-After (seconds and HTTP-date), 500/502/504
 * and connection resets are retried with backoff up to a bound, then surface as a RestError with the
 * last status (or the socket error's code). Real loopback server, small retry delays.
 */
import { RestError } from "@azure/core-rest-pipeline";
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { KeyClient } from "../../src/index.js";
import {
  closedAfterEachTest,
  FAST_RETRY,
  json,
  keyBundle,
  RecordingCredential,
  vault,
  type LocalServer,
} from "../helpers/localServers.js";

const servers = closedAfterEachTest();

type Step = number | "reset" | { status: number; retryAfter: string };

/** A vault that answers its authorized requests with `steps` in order (the last one repeats). */
async function scriptedVault(steps: Step[]): Promise<LocalServer> {
  let i = 0;
  const server = await servers.start(
    vault((_, response, self) => {
      const step = steps[Math.min(i++, steps.length - 1)]!;
      answer(response, step, self.url);
    }),
  );
  return server;
}

function answer(response: ServerResponse, step: Step, url: string): void {
  if (step === "reset") {
    response.socket?.resetAndDestroy();
    return;
  }
  const { status, retryAfter } = typeof step === "number" ? { status: step, retryAfter: undefined } : step;
  if (status === 200) {
    json(response, 200, keyBundle(url, "k"));
    return;
  }
  json(
    response,
    status,
    { error: { code: `Status${status}`, message: `status ${status}` } },
    retryAfter !== undefined ? { "retry-after": retryAfter } : {},
  );
}

function clientFor(server: LocalServer, maxRetries?: number): KeyClient {
  return new KeyClient(server.url, new RecordingCredential(), {
    allowInsecureConnection: true,
    retryOptions: { ...FAST_RETRY, ...(maxRetries !== undefined ? { maxRetries } : {}) },
  });
}

describe("retried, then successful", () => {
  const cases: Array<[string, Step[]]> = [
    ["429 with Retry-After: 1 (seconds)", [{ status: 429, retryAfter: "1" }, 200]],
    ["429 with Retry-After: 0", [{ status: 429, retryAfter: "0" }, { status: 429, retryAfter: "0" }, 200]],
    [
      "503 with Retry-After as an HTTP-date",
      [{ status: 503, retryAfter: new Date(Date.now() + 1000).toUTCString() }, 200],
    ],
    ["503 with Retry-After as a date in the past", [{ status: 503, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT" }, 200]],
    ["503 without Retry-After", [503, 200]],
    ["500", [500, 200]],
    ["502", [502, 200]],
    ["504", [504, 200]],
    ["500, 502, 504 in a row", [500, 502, 504, 200]],
    ["a connection reset", ["reset", 200]],
    ["two connection resets", ["reset", "reset", 200]],
  ];
  for (const [label, steps] of cases) {
    it(label, async () => {
      const server = await scriptedVault(steps);
      await expect(clientFor(server).getKey("k")).resolves.toMatchObject({ name: "k" });
      expect(server.authorized()).toHaveLength(steps.length);
    });
  }

  it("sends the body again on every attempt of a POST", async () => {
    const server = await scriptedVault([503, "reset", 200]);
    await clientFor(server).createEcKey("k", { curve: "P-384" });
    expect(server.authorized().map((r) => r.body)).toEqual(Array(3).fill(JSON.stringify({ kty: "EC", crv: "P-384" })));
  });
});

describe("bounded, then a RestError with the last status", () => {
  for (const status of [429, 503, 500, 502, 504]) {
    it(`${status} every time: 1 + maxRetries attempts`, async () => {
      const server = await scriptedVault([status === 429 || status === 503 ? { status, retryAfter: "0" } : status]);
      const error: unknown = await clientFor(server, 2)
        .getKey("k")
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RestError);
      expect(error).toMatchObject({ statusCode: status, code: `Status${status}` });
      expect(server.authorized()).toHaveLength(3);
    });
  }

  it("the last of several statuses is the one reported", async () => {
    const server = await scriptedVault([500, 502, 504]);
    await expect(clientFor(server, 2).getKey("k")).rejects.toMatchObject({ statusCode: 504 });
  });

  it("the default bound is 3 retries (4 attempts)", async () => {
    const server = await scriptedVault([500]);
    await expect(clientFor(server).getKey("k")).rejects.toMatchObject({ statusCode: 500 });
    expect(server.authorized()).toHaveLength(4);
  });

  it("connection resets every time: a RestError with the socket's code", async () => {
    const server = await scriptedVault(["reset"]);
    const error: unknown = await clientFor(server, 2)
      .getKey("k")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestError);
    expect(["ECONNRESET", "REQUEST_SEND_ERROR"]).toContain((error as RestError).code);
    expect(server.authorized()).toHaveLength(3);
  });

  for (const status of [400, 401, 403, 404, 409, 501]) {
    it(`${status} is not retried`, async () => {
      const server = await scriptedVault([status, 200]);
      await expect(clientFor(server).getKey("k")).rejects.toMatchObject({ statusCode: status });
      expect(server.authorized()).toHaveLength(1);
    });
  }
});
