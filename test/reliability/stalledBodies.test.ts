/*
 * Issue 10: the request timeout bounds the whole exchange, headers and body. A body that stalls after
 * the headers, or drips a byte at a time, ends in a RestError with code REQUEST_TIMEOUT, which is
 * retried like any other timeout; a delete poller whose GET stalls mid-body fails the same way.
 */
import type * as http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { KeyClient, type KeyClientOptions } from "../../src/index.js";
import * as local from "../helpers/localServers.js";
import { FAST_RETRY, RecordingCredential, json, keyBundle, vault, type LocalServer } from "../helpers/localServers.js";

const servers = local.closedAfterEachTest();
const timers: Array<ReturnType<typeof setInterval>> = [];
afterEach(() => {
  for (const timer of timers.splice(0)) clearInterval(timer);
});

/** Sends the headers and the first half of the body, then nothing more. */
function stall(response: http.ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.write(text.slice(0, text.length / 2));
}

/** Sends the headers, then one byte of the body every 20 ms. */
function drip(response: http.ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  let sent = 0;
  const timer = setInterval(() => {
    if (response.destroyed) {
      clearInterval(timer);
      return;
    }
    response.write(text[sent++]);
    if (sent === text.length) {
      clearInterval(timer);
      response.end();
    }
  }, 20);
  timers.push(timer);
}

function httpsVault(handler: Parameters<typeof vault>[0]): Promise<LocalServer> {
  return servers.start(vault(handler), { https: true });
}

function clientFor(server: LocalServer, options: KeyClientOptions = {}): KeyClient {
  return new KeyClient(server.url, new RecordingCredential(), {
    retryOptions: { ...FAST_RETRY, maxRetries: 1 },
    ...local.trustingTlsOptions(),
    ...options,
  });
}

describe("the timeout covers the body", () => {
  it("ends a body that stalls after the headers with REQUEST_TIMEOUT, after one retry", async () => {
    const server = await httpsVault((request, response, self) => stall(response, keyBundle(self.url, "k")));
    const error: unknown = await clientFor(server, { requestTimeoutInMs: 200 })
      .getKey("k")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "RestError", code: "REQUEST_TIMEOUT" });
    expect((error as Error).message).toMatch(/^GetKey: the vault did not answer GET \/keys\/k\/ in full within 200 ms/);
    // The attempt and its one retry, both authorized.
    expect(server.authorized()).toHaveLength(2);
  });

  it("ends a dripping body that would outlast the timeout", async () => {
    const server = await httpsVault((request, response, self) => drip(response, keyBundle(self.url, "k")));
    await expect(clientFor(server).getKey("k", { requestOptions: { timeout: 300 } })).rejects.toMatchObject({
      name: "RestError",
      code: "REQUEST_TIMEOUT",
    });
  });

  it("retries a timed-out exchange like any other timeout, and succeeds when the vault answers", async () => {
    let attempts = 0;
    const server = await httpsVault((request, response, self) => {
      attempts++;
      if (attempts === 1) stall(response, keyBundle(self.url, "k"));
      else json(response, 200, keyBundle(self.url, "k"));
    });
    await expect(clientFor(server, { requestTimeoutInMs: 200 }).getKey("k")).resolves.toMatchObject({ name: "k" });
    expect(attempts).toBe(2);
  });

  it("retries an answer cut off mid-body (the connection reset), like a reset before the answer", async () => {
    let attempts = 0;
    const server = await httpsVault((request, response, self) => {
      attempts++;
      if (attempts === 1) {
        stall(response, keyBundle(self.url, "k"));
        setTimeout(() => response.socket?.destroy(), 20);
      } else json(response, 200, keyBundle(self.url, "k"));
    });
    await expect(clientFor(server).getKey("k")).resolves.toMatchObject({ name: "k" });
    expect(attempts).toBe(2);
  });

  it("fails a delete poller whose GET stalls mid-body instead of hanging", async () => {
    const server = await httpsVault((request, response, self) => {
      if (request.method === "DELETE") {
        json(response, 200, {
          ...keyBundle(self.url, "k"),
          recoveryId: `${self.url}/deletedkeys/k`,
          deletedDate: 1777476606,
          scheduledPurgeDate: 1785252606,
        });
      } else stall(response, { recoveryId: `${self.url}/deletedkeys/k`, ...keyBundle(self.url, "k") });
    });
    const poller = await clientFor(server, { requestTimeoutInMs: 200 }).beginDeleteKey("k", {
      intervalInMs: 10,
    });
    await expect(poller.pollUntilDone()).rejects.toMatchObject({ name: "RestError", code: "REQUEST_TIMEOUT" });
  });

  it("lets the caller's abort end a stalled body at once, as an AbortError", async () => {
    const server = await httpsVault((request, response, self) => stall(response, keyBundle(self.url, "k")));
    await expect(
      clientFor(server, { requestTimeoutInMs: 60_000 }).getKey("k", { abortSignal: AbortSignal.timeout(150) }),
    ).rejects.toMatchObject({ name: "AbortError" });
  });
});
