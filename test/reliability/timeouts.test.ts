/*
 * Issue 6, time: every request attempt has a default timeout (120 s) that the client option
 * `requestTimeoutInMs` and the per-call `requestOptions.timeout` change; a vault that never answers
 * gives a RestError with code REQUEST_TIMEOUT, not a hang.
 */
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { KeyClient, type KeyClientOptions } from "../../src/index.js";
import {
  closedAfterEachTest,
  FAST_RETRY,
  json,
  RecordingCredential,
  vault,
  type LocalServer,
} from "../helpers/localServers.js";

const servers = closedAfterEachTest();

/** A vault that challenges, then answers list pages at once and never answers anything else. */
async function hangingVault(): Promise<LocalServer> {
  const server = await servers.start(
    vault((request, response, self) => {
      if (request.url.startsWith("/keys?")) {
        const second = request.url.includes("skiptoken");
        json(response, 200, {
          value: [],
          nextLink: second ? null : `${self.url}/keys?api-version=2025-07-01&$skiptoken=2`,
        });
      }
    }),
  );
  return server;
}

/** A client whose spy policy records each attempt's timeout. */
function spiedClient(url: string, options: KeyClientOptions = {}): { client: KeyClient; timeouts: number[] } {
  const timeouts: number[] = [];
  const spy: PipelinePolicy = {
    name: "timeoutSpy",
    sendRequest(request, next) {
      timeouts.push(request.timeout);
      return next(request);
    },
  };
  const client = new KeyClient(url, new RecordingCredential(), {
    allowInsecureConnection: true,
    retryOptions: FAST_RETRY,
    additionalPolicies: [{ policy: spy, position: "perRetry" }],
    ...options,
  });
  return { client, timeouts };
}

describe("request timeouts", () => {
  it("gives every attempt a 120 s timeout by default, pages included", async () => {
    const server = await hangingVault();
    const { client, timeouts } = spiedClient(server.url);
    for await (const _ of client.listPropertiesOfKeys()) {
      // drain every page
    }
    expect(timeouts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(timeouts)).toEqual(new Set([120_000]));
  });

  it("takes the client's requestTimeoutInMs, and a call's requestOptions.timeout over it", async () => {
    const server = await hangingVault();
    const { client, timeouts } = spiedClient(server.url, { requestTimeoutInMs: 30_000 });
    for await (const _ of client.listPropertiesOfKeys()) {
      // drain every page
    }
    for await (const _ of client.listPropertiesOfKeys({ requestOptions: { timeout: 5_000 } })) {
      // drain every page
    }
    for await (const _ of client.listPropertiesOfKeys({ requestOptions: { timeout: 0 } })) {
      // drain every page
    }
    expect(timeouts.filter((t) => t === 30_000).length).toBeGreaterThanOrEqual(2);
    expect(timeouts.filter((t) => t === 5_000)).toHaveLength(2);
    expect(timeouts.filter((t) => t === 0)).toHaveLength(2);
  });

  it("fails a hanging request after requestOptions.timeout with REQUEST_TIMEOUT", async () => {
    const server = await hangingVault();
    const { client } = spiedClient(server.url);
    const started = performance.now();
    const error: unknown = await client.getKey("k", { requestOptions: { timeout: 100 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestError);
    expect(error).toMatchObject({ name: "RestError", code: "REQUEST_TIMEOUT" });
    expect((error as Error).message).toMatch(/^GetKey: the vault did not answer GET \/keys\/k\/ in full within 100 ms/);
    // It stopped: the server would never have answered.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("fails a hanging request after the client's requestTimeoutInMs", async () => {
    const server = await hangingVault();
    const { client } = spiedClient(server.url, { requestTimeoutInMs: 100 });
    await expect(client.createEcKey("k")).rejects.toMatchObject({ code: "REQUEST_TIMEOUT" });
  });

  it("says AbortError, not timeout, when the caller aborts", async () => {
    const server = await hangingVault();
    const { client } = spiedClient(server.url, { requestTimeoutInMs: 60_000 });
    const error: unknown = await client.getKey("k", { abortSignal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
  });

  it("refuses a requestTimeoutInMs that is not a usable number of milliseconds", () => {
    for (const value of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expect(
        () =>
          new KeyClient("https://myvault.vault.azure.net", new RecordingCredential(), { requestTimeoutInMs: value }),
      ).toThrow(RangeError);
    }
  });
});
