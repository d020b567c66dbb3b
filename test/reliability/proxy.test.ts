/*
 * Issue 10: proxies from the environment, exactly as core-rest-pipeline reads them
 * (HTTPS_PROXY || ALL_PROXY || HTTP_PROXY, upper or lower case) or from `proxyOptions`, for every
 * request of every client, through a real CONNECT proxy on loopback. The vault's certificate is
 * trusted through `tlsOptions`, which holds through the proxy's tunnel too.
 */
import { afterEach, describe, expect, it } from "vitest";
import { KeyClient } from "../../src/index.js";
import { startProxy, type LocalProxy } from "../helpers/localProxy.js";
import * as local from "../helpers/localServers.js";
import { FAST_RETRY, RecordingCredential, json, keyBundle, vault, type LocalServer } from "../helpers/localServers.js";

const proxyVariables = ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy"];
const saved = Object.fromEntries(proxyVariables.map((name) => [name, process.env[name]]));
const servers = local.closedAfterEachTest();

afterEach(() => {
  for (const name of proxyVariables) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

function httpsVault(): Promise<LocalServer> {
  return servers.start(
    vault((request, response, self) => json(response, 200, keyBundle(self.url, "k"))),
    { https: true },
  );
}

async function proxy(): Promise<LocalProxy> {
  return servers.track(await startProxy());
}

function clientFor(server: LocalServer, options: ConstructorParameters<typeof KeyClient>[2] = {}): KeyClient {
  return new KeyClient(server.url, new RecordingCredential(), {
    retryOptions: FAST_RETRY,
    ...local.trustingTlsOptions(),
    ...options,
  });
}

describe("proxy from the environment", () => {
  for (const variable of proxyVariables) {
    it(`sends every request through ${variable} alone (a CONNECT tunnel for an https vault)`, async () => {
      const server = await httpsVault();
      const local = await proxy();
      process.env[variable] = local.url;
      const client = clientFor(server);
      await expect(client.getKey("k")).resolves.toMatchObject({ name: "k" });
      await expect(client.getKey("k", { abortSignal: new AbortController().signal })).resolves.toMatchObject({
        name: "k",
      });
      const host = new URL(server.url).host;
      // The challenge, the authorized retry and the second call each went through a tunnel to the
      // vault (core-rest-pipeline's proxy agents keep no connection alive).
      expect(server.requests).toHaveLength(3);
      expect(local.seen).toEqual([host, host, host]);
    });
  }

  it("prefers HTTPS_PROXY over ALL_PROXY over HTTP_PROXY, as core-rest-pipeline does", async () => {
    const server = await httpsVault();
    const [first, second, third] = [await proxy(), await proxy(), await proxy()];
    process.env["HTTP_PROXY"] = third.url;
    process.env["ALL_PROXY"] = second.url;
    await clientFor(server).getKey("k");
    expect([first.seen.length, second.seen.length, third.seen.length]).toEqual([0, 2, 0]);
    process.env["HTTPS_PROXY"] = first.url;
    await clientFor(server).getKey("k");
    expect([first.seen.length, second.seen.length, third.seen.length]).toEqual([2, 2, 0]);
  });

  it("forwards a plain-http vault's requests through HTTP_PROXY (allowInsecureConnection)", async () => {
    const server = await servers.start(
      vault((request, response, self) => json(response, 200, keyBundle(self.url, "k"))),
    );
    const local = await proxy();
    process.env["HTTP_PROXY"] = local.url;
    const client = new KeyClient(server.url, new RecordingCredential(), {
      retryOptions: FAST_RETRY,
      allowInsecureConnection: true,
    });
    await expect(client.getKey("k")).resolves.toMatchObject({ name: "k" });
    expect(local.seen).toEqual([
      `${server.url}/keys/k/?api-version=2025-07-01`,
      `${server.url}/keys/k/?api-version=2025-07-01`,
    ]);
  });

  it("takes proxyOptions over the environment", async () => {
    const server = await httpsVault();
    const fromEnvironment = await proxy();
    const fromOptions = await proxy();
    process.env["HTTPS_PROXY"] = fromEnvironment.url;
    const { hostname, port } = new URL(fromOptions.url);
    await clientFor(server, { proxyOptions: { host: `http://${hostname}`, port: Number(port) } }).getKey("k");
    expect(fromEnvironment.seen).toEqual([]);
    expect(fromOptions.seen).toEqual([new URL(server.url).host, new URL(server.url).host]);
  });

  it("goes direct without any proxy variable", async () => {
    const server = await httpsVault();
    const local = await proxy();
    await clientFor(server).getKey("k");
    expect(local.seen).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });
});
