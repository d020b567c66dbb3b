/*
 * Issue 6, tokens: a token is requested only after a challenge whose resource passes verification,
 * and is sent only to the vault's own origin, over https (or http with allowInsecureConnection).
 * Real loopback servers; a recording credential shows whether a token was ever made.
 */
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { KeyClient } from "../../src/index.js";
import {
  challenge,
  closedAfterEachTest,
  FAST_RETRY,
  json,
  keyBundle,
  RecordingCredential,
  trustingAgent,
  vault,
  type LocalServer,
} from "../helpers/localServers.js";

/** Starts a server that is closed after the test. */
const server = closedAfterEachTest().start;

/** Every request that carried a token went to `origin`, and every token came from `credential`. */
function expectTokensOnlyAt(origin: LocalServer, others: LocalServer[], credential: RecordingCredential): void {
  for (const other of others) expect(other.authorized()).toEqual([]);
  for (const request of origin.authorized())
    expect(credential.issued.map((t) => `Bearer ${t}`)).toContain(request.headers.authorization);
}

describe("challenge resource verification", () => {
  for (const https of [true, false]) {
    it(`requests no token when the challenge names a foreign resource (${https ? "https" : "http"})`, async () => {
      const evil = await server((_, response) => challenge(response, "https://evil.example.com"), { https });
      const credential = new RecordingCredential();
      const client = new KeyClient(evil.url, credential, {
        retryOptions: FAST_RETRY,
        ...(https ? { agent: trustingAgent() } : { allowInsecureConnection: true }),
      });
      await expect(client.getKey("k")).rejects.toThrow(/challenge resource 'evil\.example\.com' does not match/);
      expect(credential.calls).toEqual([]);
      expect(evil.requests).toHaveLength(1);
      expect(evil.authorized()).toEqual([]);
    });
  }

  it("requests no token when a vault that is not in Azure challenges for Azure's resource", async () => {
    // A host that asks for a vault.azure.net token would get one usable against every real vault.
    const impostor = await server((_, response) => challenge(response, "https://vault.azure.net"), { https: true });
    const credential = new RecordingCredential();
    const client = new KeyClient(impostor.url, credential, { agent: trustingAgent(), retryOptions: FAST_RETRY });
    await expect(client.getKey("k")).rejects.toThrow(
      /^The challenge resource 'vault\.azure\.net' does not match the requested domain\. /,
    );
    expect(credential.calls).toEqual([]);
    expect(impostor.authorized()).toEqual([]);
  });

  it("sends the body only after the challenge, with the token, over https", async () => {
    const good = await server(
      vault((request, response, self) => json(response, 200, keyBundle(self.url, "k"))),
      { https: true },
    );
    const credential = new RecordingCredential();
    const client = new KeyClient(good.url, credential, { agent: trustingAgent(), retryOptions: FAST_RETRY });
    await client.createEcKey("k", { tags: { a: "b" } });
    expect(good.requests.map((r) => [r.headers.authorization === undefined, r.body])).toEqual([
      [true, ""],
      [false, JSON.stringify({ kty: "EC", tags: { a: "b" } })],
    ]);
    expect(credential.calls).toEqual([
      { scopes: [`${good.url}/.default`], tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47" },
    ]);
    expectTokensOnlyAt(good, [], credential);
  });
});

describe("plain http", () => {
  it("sends nothing and requests no token over http without allowInsecureConnection", async () => {
    const plain = await server(vault((_, response, self) => json(response, 200, keyBundle(self.url, "k"))));
    const credential = new RecordingCredential();
    const client = new KeyClient(plain.url, credential, { retryOptions: FAST_RETRY });
    await expect(client.getKey("k")).rejects.toThrow(/plain http|allowInsecureConnection/);
    expect(plain.requests).toEqual([]);
    expect(credential.calls).toEqual([]);
  });

  it("sends the token over http only with allowInsecureConnection (the emulator case)", async () => {
    const plain = await server(vault((_, response, self) => json(response, 200, keyBundle(self.url, "k"))));
    const credential = new RecordingCredential();
    const client = new KeyClient(plain.url, credential, { retryOptions: FAST_RETRY, allowInsecureConnection: true });
    await expect(client.getKey("k")).resolves.toMatchObject({ name: "k" });
    expect(plain.authorized()).toHaveLength(1);
    expectTokensOnlyAt(plain, [], credential);
  });
});

describe("redirects", () => {
  async function redirectingPair(https: boolean, status = 307, onlyWhenAuthorized = true) {
    const other = await server((_, response, self) => json(response, 200, keyBundle(self.url, "k")), { https });
    const origin = await server(
      (request, response, self) => {
        if (request.headers.authorization === undefined && onlyWhenAuthorized) {
          challenge(response, self.url);
          return;
        }
        response.writeHead(status, { location: `${other.url}${request.url}` });
        response.end();
      },
      { https },
    );
    return { origin, other };
  }

  for (const https of [true, false]) {
    for (const status of [301, 302, 307, 308]) {
      it(`does not follow a ${status} to another origin, so the token never leaves (${https ? "https" : "http"})`, async () => {
        const { origin, other } = await redirectingPair(https, status);
        const credential = new RecordingCredential();
        const client = new KeyClient(origin.url, credential, {
          retryOptions: FAST_RETRY,
          ...(https ? { agent: trustingAgent() } : { allowInsecureConnection: true }),
        });
        const error: unknown = await client.getKey("k").catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RestError);
        expect((error as RestError).statusCode).toBe(status);
        expect(other.requests).toEqual([]);
        expectTokensOnlyAt(origin, [other], credential);
      });
    }
  }

  it("does not follow a redirect of the challenge request to another origin", async () => {
    const { origin, other } = await redirectingPair(true, 307, false);
    const credential = new RecordingCredential();
    const client = new KeyClient(origin.url, credential, { agent: trustingAgent(), retryOptions: FAST_RETRY });
    await expect(client.createEcKey("k")).rejects.toMatchObject({ statusCode: 307 });
    expect(other.requests).toEqual([]);
    expect(credential.calls).toEqual([]);
  });

  it("treats another port on the same host as another origin", async () => {
    const { origin, other } = await redirectingPair(false, 307);
    expect(new URL(origin.url).hostname).toBe(new URL(other.url).hostname);
    const credential = new RecordingCredential();
    const client = new KeyClient(origin.url, credential, { allowInsecureConnection: true, retryOptions: FAST_RETRY });
    await expect(client.getKey("k")).rejects.toMatchObject({ statusCode: 307 });
    expect(other.requests).toEqual([]);
  });

  it("follows a same-origin 307 with the body, and the token goes only to that origin", async () => {
    const origin = await server(
      vault((request, response, self) => {
        if (request.url.startsWith("/keys/k/create")) {
          response.writeHead(307, { location: `/moved${request.url}` });
          response.end();
        } else json(response, 200, keyBundle(self.url, "k"));
      }),
      { https: true },
    );
    const credential = new RecordingCredential();
    const client = new KeyClient(origin.url, credential, { agent: trustingAgent(), retryOptions: FAST_RETRY });
    await expect(client.createEcKey("k")).resolves.toMatchObject({ name: "k" });
    const moved = origin.requests.find((r) => r.url.startsWith("/moved/"));
    expect(moved?.body).toBe(JSON.stringify({ kty: "EC" }));
    // The redirect policy strips the header; our challenge policy puts the vault's own token back, for the vault only.
    expect(moved?.headers.authorization).toBe(`Bearer ${credential.issued[0]}`);
    expect(credential.calls).toHaveLength(1);
  });
});

describe("the challenge policy and other origins", () => {
  /** A caller's policy that sends the request somewhere else (and even sets a token on it). */
  function rerouteTo(target: LocalServer): PipelinePolicy {
    return {
      name: "reroute",
      sendRequest(request, next) {
        request.url = `${target.url}${new URL(request.url).pathname}${new URL(request.url).search}`;
        request.headers.set("authorization", "Bearer planted");
        return next(request);
      },
    };
  }

  it("never adds a token to a request for another origin, and removes one that is there", async () => {
    const other = await server((_, response, self) => json(response, 200, keyBundle(self.url, "k")));
    const vaultServer = await server(vault((_, response, self) => json(response, 200, keyBundle(self.url, "k"))));
    const credential = new RecordingCredential();
    const client = new KeyClient(vaultServer.url, credential, {
      allowInsecureConnection: true,
      retryOptions: FAST_RETRY,
      additionalPolicies: [{ policy: rerouteTo(other), position: "perCall" }],
    });
    await client.getKey("k");
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
    expect(vaultServer.requests).toEqual([]);
    expect(credential.calls).toEqual([]);
  });

  it("refuses a nextLink to another origin before any request, so no token follows it", async () => {
    const other = await server((_, response) => json(response, 200, { value: [], nextLink: null }));
    const vaultServer = await server(
      vault((_, response) =>
        json(response, 200, { value: [], nextLink: `${other.url}/keys?api-version=2025-07-01&$skiptoken=x` }),
      ),
    );
    const credential = new RecordingCredential();
    const client = new KeyClient(vaultServer.url, credential, {
      allowInsecureConnection: true,
      retryOptions: FAST_RETRY,
    });
    const error: unknown = await (async () => {
      for await (const _ of client.listPropertiesOfKeys()) {
        // drain every page
      }
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "RestError", code: "InvalidNextLink" });
    expect(other.requests).toEqual([]);
  });
});
