/*
 * Issue 10: NO_PROXY, as core-rest-pipeline reads it (once per process, when the first client's
 * pipeline is made: hence a file of its own, with the variables set before any request).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyClient } from "../../src/index.js";
import { startProxy, type LocalProxy } from "../helpers/localProxy.js";
import * as servers from "../helpers/localServers.js";
import { FAST_RETRY, RecordingCredential, json, keyBundle, vault, type LocalServer } from "../helpers/localServers.js";

let server: LocalServer;
let local: LocalProxy;

beforeAll(async () => {
  server = await servers.startServer(
    vault((request, response, self) => json(response, 200, keyBundle(self.url, "k"))),
    { https: true },
  );
  local = await startProxy();
  process.env["HTTPS_PROXY"] = local.url;
  process.env["NO_PROXY"] = "localhost, .example.invalid";
});

afterAll(async () => {
  delete process.env["HTTPS_PROXY"];
  delete process.env["NO_PROXY"];
  await Promise.all([server.close(), local.close()]);
});

function clientAt(url: string): KeyClient {
  return new KeyClient(url, new RecordingCredential(), {
    retryOptions: FAST_RETRY,
    ...servers.trustingTlsOptions(),
    // The test vault's challenge names 127.0.0.1, which is not localhost's domain.
    disableChallengeResourceVerification: true,
  });
}

describe("NO_PROXY", () => {
  it("sends a host NO_PROXY names directly, and the others through the proxy", async () => {
    const port = new URL(server.url).port;
    await expect(clientAt(`https://localhost:${port}`).getKey("k")).resolves.toMatchObject({ name: "k" });
    expect(local.seen).toEqual([]);
    await expect(clientAt(`https://127.0.0.1:${port}`).getKey("k")).resolves.toMatchObject({ name: "k" });
    expect(local.seen).toEqual([`127.0.0.1:${port}`, `127.0.0.1:${port}`]);
  });
});
