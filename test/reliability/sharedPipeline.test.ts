/*
 * Issue 10: a client has one pipeline, one challenge, one token cache and one socket pool, whatever
 * options each call passes; concurrent requests share one `getToken` call, also while a token is
 * refreshed; one caller's abort does not fail the others waiting for the same token.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { describe, expect, it } from "vitest";
import { KeyClient } from "../../src/index.js";
import * as local from "../helpers/localServers.js";
import { FAST_RETRY, json, keyBundle, vault, type LocalServer } from "../helpers/localServers.js";

const servers = local.closedAfterEachTest();

function httpsVault(): Promise<LocalServer> {
  return servers.start(
    vault((request, response, self) => json(response, 200, keyBundle(self.url, "k"))),
    { https: true },
  );
}

/** A credential whose tokens the test shapes (lifetime, refresh time, delay), counting its calls. */
class ShapedCredential implements TokenCredential {
  calls = 0;
  constructor(
    private readonly shape: (call: number) => { lifetimeInMs: number; refreshInMs?: number; delayInMs?: number },
  ) {}

  async getToken(_scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    const call = ++this.calls;
    const { lifetimeInMs, refreshInMs, delayInMs } = this.shape(call);
    if (delayInMs) await new Promise((resolve) => setTimeout(resolve, delayInMs));
    const now = Date.now();
    return {
      token: `token-${call}`,
      expiresOnTimestamp: now + lifetimeInMs,
      ...(refreshInMs !== undefined ? { refreshAfterTimestamp: now + refreshInMs } : {}),
    };
  }
}

const hour = 3_600_000;

function clientFor(server: LocalServer, credential: TokenCredential): KeyClient {
  return new KeyClient(server.url, credential, {
    retryOptions: FAST_RETRY,
    ...local.trustingTlsOptions(),
  });
}

describe("one pipeline per client", () => {
  it("draws one challenge and opens one connection across calls with mixed options", async () => {
    const server = await httpsVault();
    const credential = new ShapedCredential(() => ({ lifetimeInMs: hour }));
    const client = clientFor(server, credential);
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) {
      const options =
        i % 2 === 0
          ? {}
          : {
              abortSignal: new AbortController().signal,
              requestOptions: { headers: { "x-test": String(i) }, timeout: 30_000 },
              onResponse: (response: { status: number }) => seen.push(response.status),
            };
      await expect(client.getKey("k", options)).resolves.toMatchObject({ name: "k" });
    }
    const challenges = server.requests.filter((r) => r.headers.authorization === undefined);
    expect(challenges).toHaveLength(1);
    expect(server.requests).toHaveLength(11);
    expect(server.connections()).toBe(1);
    expect(credential.calls).toBe(1);
    expect(seen).toEqual([200, 200, 200, 200, 200]);
  });

  it("opens a connection per request with keepAliveOptions: { enable: false }", async () => {
    const server = await httpsVault();
    const client = new KeyClient(server.url, new ShapedCredential(() => ({ lifetimeInMs: hour })), {
      retryOptions: FAST_RETRY,
      keepAliveOptions: { enable: false },
      ...local.trustingTlsOptions(),
    });
    for (let i = 0; i < 3; i++) await client.getKey("k");
    expect(server.requests).toHaveLength(4);
    expect(server.connections()).toBe(4);
  });

  it("calls getToken once for 50 concurrent requests on a fresh client", async () => {
    const server = await httpsVault();
    const credential = new ShapedCredential(() => ({ lifetimeInMs: hour, delayInMs: 20 }));
    const client = clientFor(server, credential);
    const keys = await Promise.all(Array.from({ length: 50 }, () => client.getKey("k")));
    expect(keys).toHaveLength(50);
    expect(credential.calls).toBe(1);
    expect(server.authorized().every((r) => r.headers.authorization === "Bearer token-1")).toBe(true);
  });

  it("refreshes a token in its refresh window once, in the background, for 50 concurrent requests", async () => {
    const server = await httpsVault();
    // The first token is valid for an hour but due for refresh at once; the second is not.
    const credential = new ShapedCredential((call) => ({
      lifetimeInMs: hour,
      ...(call === 1 ? { refreshInMs: 0 } : {}),
      delayInMs: 50,
    }));
    const client = clientFor(server, credential);
    await client.getKey("k");
    expect(credential.calls).toBe(1);
    await Promise.all(Array.from({ length: 50 }, () => client.getKey("k")));
    // One refresh was started, and no request waited for it: they all went with the current token.
    expect(credential.calls).toBe(2);
    const tokens = server.authorized().map((r) => r.headers.authorization);
    expect(tokens.slice(1).every((t) => t === "Bearer token-1")).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.getKey("k");
    expect(server.authorized().at(-1)?.headers.authorization).toBe("Bearer token-2");
    expect(credential.calls).toBe(2);
  });

  it("waits for one new token, shared by 50 concurrent requests, when the token is about to expire", async () => {
    const server = await httpsVault();
    // The first token expires within the 30 s margin: it is never sent again.
    const credential = new ShapedCredential((call) => ({ lifetimeInMs: call === 1 ? 10_000 : hour, delayInMs: 20 }));
    const client = clientFor(server, credential);
    await client.getKey("k");
    await Promise.all(Array.from({ length: 50 }, () => client.getKey("k")));
    expect(credential.calls).toBe(2);
    const later = server.authorized().slice(1);
    expect(later).toHaveLength(50);
    expect(later.every((r) => r.headers.authorization === "Bearer token-2")).toBe(true);
  });

  it("lets one caller abort its wait for a token without failing the others", async () => {
    const server = await httpsVault();
    const credential = new ShapedCredential(() => ({ lifetimeInMs: hour, delayInMs: 150 }));
    const client = clientFor(server, credential);
    const aborted = client.getKey("k", { abortSignal: AbortSignal.timeout(30) });
    const patient = client.getKey("k");
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    await expect(patient).resolves.toMatchObject({ name: "k" });
    expect(credential.calls).toBe(1);
  });

  it("asks again after the vault refuses a token with a new challenge, once for concurrent requests", async () => {
    let revoked = false;
    const server = await servers.start(
      (request, response, self) => {
        const auth = request.headers.authorization;
        if (auth === undefined || (revoked && auth === "Bearer token-1")) {
          response.writeHead(401, {
            "www-authenticate": `Bearer authorization="https://login.microsoftonline.com/tenant-b", resource="${self.url}"`,
          });
          response.end();
          return;
        }
        json(response, 200, keyBundle(self.url, "k"));
      },
      { https: true },
    );
    const credential = new ShapedCredential(() => ({ lifetimeInMs: hour, delayInMs: 20 }));
    const client = clientFor(server, credential);
    await client.getKey("k");
    revoked = true;
    await Promise.all(Array.from({ length: 10 }, () => client.getKey("k")));
    expect(credential.calls).toBe(2);
  });
});
