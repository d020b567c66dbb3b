/**
 * Differential tests of the options every method takes (requestOptions.headers, onResponse,
 * tracingOptions) and of the client's options (serviceVersion, userAgentOptions, additionalPolicies,
 * the challenge flow), for every request-sending KeyClient method; and of the arguments ours checks
 * before any request (named differences). Requests and outcomes compared by expectSameRun.
 */
import { createDefaultHttpClient, type HttpClient, type PipelinePolicy } from "@azure/core-rest-pipeline";
import { KeyClient as OfficialKeyClient } from "@azure/keyvault-keys";
import { KeyClient } from "../../src/index.js";
import { describe, expect, it } from "vitest";
import { ABSENT } from "../helpers/deepDiff.js";
import { asOurs, keyClientCalls } from "../helpers/differential/keyClientCalls.js";
import {
  clientOptions,
  createClients,
  differentialVault,
  expectSameRun,
  fakeCredential,
  rejected,
  runBoth,
  TOKEN,
} from "../helpers/differential/clients.js";
import type { RecordedRequest } from "../helpers/differential/recordedRequest.js";

const t = differentialVault();

/** Named difference: list items keep `exportable` (the fake's second and third key items have it). */
function listItemExportable(name: string, items: string): Record<string, unknown> {
  return name === "listPropertiesOfKeys" ? { [`${items}[1].exportable`]: false, [`${items}[2].exportable`]: true } : {};
}

/** Fields of what onResponse receives that a caller reads. */
function responseSeen(response: {
  status: number;
  parsedBody?: unknown;
  headers: { get(name: string): string | undefined };
}) {
  return {
    status: response.status,
    parsedBody: response.parsedBody,
    requestId: response.headers.get("x-ms-keyvault-service-version"),
  };
}

describe.each(keyClientCalls)("%s", (name, call) => {
  it("requestOptions.headers and onResponse: the header on every request, onResponse once per response", async () => {
    const run = await runBoth(
      t.vault,
      async () => {
        const seen: unknown[] = [];
        const options = {
          requestOptions: { headers: { "x-ms-differential": name } },
          onResponse: (r: Parameters<typeof responseSeen>[0]) => void seen.push(responseSeen(r)),
        };
        return { result: await call(asOurs(t.official), options), seen };
      },
      async () => {
        const seen: unknown[] = [];
        const options = {
          requestOptions: { headers: { "x-ms-differential": name } },
          onResponse: (r: Parameters<typeof responseSeen>[0]) => void seen.push(responseSeen(r)),
        };
        return { result: await call(t.ours, options), seen };
      },
    );
    if (name === "getKeyRotationPolicy") {
      // Named difference: the official getKeyRotationPolicy drops its options (no header, no onResponse).
      expect(run.officialRequests[0]!.headers["x-ms-differential"]).toBeUndefined();
      expectSameRun(run, {
        "requests[0].headers.x-ms-differential": name,
        "outcome.resolved.seen": (seen: unknown[]) => expect(seen).toHaveLength(1),
      });
      return;
    }
    const ours = run.ourRequests;
    expect(ours.every((r) => r.headers["x-ms-differential"] === name)).toBe(true);
    if (name.startsWith("list")) {
      // Named differences: ours sends the caller's headers (and calls onResponse) on every page; the
      // official on the first only. List items keep exportable.
      expectSameRun(run, {
        ...listItemExportable(name, "outcome.resolved.result"),
        "requests[1].headers.x-ms-differential": name,
        "requests[2].headers.x-ms-differential": name,
        "outcome.resolved.seen[1]": (seen: unknown) => expect(seen).toMatchObject({ status: 200 }),
        "outcome.resolved.seen[2]": (seen: unknown) => expect(seen).toMatchObject({ status: 200 }),
      });
    } else if (name === "beginRecoverDeletedKey") {
      expect(run.ourRequests.map((r) => r.method)).toEqual(["POST", "GET", "GET"]);
    } else expectSameRun(run);
  });

  it("tracingOptions with a tracing context: the same requests and result", async () => {
    const tracingOptions = { tracingContext: undefined };
    const run = await runBoth(
      t.vault,
      () => call(asOurs(t.official), { tracingOptions }),
      () => call(t.ours, { tracingOptions }),
    );
    if (name !== "beginRecoverDeletedKey") expectSameRun(run, listItemExportable(name, "outcome.resolved"));
  });
});

describe("the vault URL", () => {
  it.each(["", "/", "//"])(
    "a vault URL ending in %j: the same vaultUrl (as given), requests and cryptography key id",
    async (tail) => {
      const url = `${t.vault.url}${tail}`;
      const observe = async (client: KeyClient) => ({
        vaultUrl: client.vaultUrl,
        keyID: client.getCryptographyClient("k").keyID,
        key: await client.getKey("k"),
      });
      const run = await runBoth(
        t.vault,
        () => observe(asOurs(new OfficialKeyClient(url, fakeCredential(), clientOptions()))),
        () => observe(new KeyClient(url, fakeCredential(), clientOptions())),
      );
      expectSameRun(run);
    },
  );
});

describe("client options", () => {
  it("serviceVersion 7.5: the same api-version on every request, first pages and nextLinks alike", async () => {
    const pair = createClients(t.vault, fakeCredential(), { serviceVersion: "7.5" });
    const run = await runBoth(
      t.vault,
      async () => [await pair.official.getKey("v75"), await keyClientCalls[20]![1](asOurs(pair.official), {})],
      async () => [await pair.ours.getKey("v75"), await keyClientCalls[20]![1](pair.ours, {})],
    );
    expectSameRun(run, {
      "outcome.resolved[1][1].exportable": false,
      "outcome.resolved[1][2].exportable": true,
    });
    expect(new Set(run.ourRequests.map((r) => r.query["api-version"]))).toEqual(new Set(["7.5"]));
  });

  it("userAgentOptions.userAgentPrefix: first in the user agent of both, before the package's own", async () => {
    const pair = createClients(t.vault, fakeCredential(), { userAgentOptions: { userAgentPrefix: "my-app/1.2" } });
    const run = await runBoth(
      t.vault,
      () => pair.official.getKey("ua"),
      () => pair.ours.getKey("ua"),
    );
    expectSameRun(run);
    expect(run.ourRequests.at(-1)!.headers["user-agent"]).toMatch(/^my-app\/1\.2 /);
  });

  it("additionalPolicies (perCall and perRetry): both run them on every request", async () => {
    const policy = (name: string, value: string): PipelinePolicy => ({
      name,
      sendRequest: (request, next) => {
        request.headers.set(name, value);
        return next(request);
      },
    });
    const options = () => ({
      additionalPolicies: [
        { policy: policy("x-per-call", "1"), position: "perCall" as const },
        { policy: policy("x-per-retry", "2"), position: "perRetry" as const },
      ],
    });
    const run = await runBoth(
      t.vault,
      () =>
        createClients(t.vault, fakeCredential(), options()).official.createKey("policies", "EC", { curve: "P-256" }),
      () => createClients(t.vault, fakeCredential(), options()).ours.createKey("policies", "EC", { curve: "P-256" }),
    );
    expectSameRun(run, { "requests[1].body.attributes": ABSENT });
    expect(
      run.ourRequests.every(
        (r: RecordedRequest) => r.headers["x-per-call"] === "1" && r.headers["x-per-retry"] === "2",
      ),
    ).toBe(true);
  });

  it("the challenge: both send the first request without its body, get the 401, and repeat it with the same token and scope", async () => {
    const officialScopes: string[][] = [];
    const ourScopes: string[][] = [];
    const tags = { purpose: "challenge" };
    const run = await runBoth(
      t.vault,
      () =>
        createClients(t.vault, fakeCredential(officialScopes)).official.createKey("challenged", "RSA", {
          tags,
          enabled: true,
        }),
      () =>
        createClients(t.vault, fakeCredential(ourScopes)).ours.createKey("challenged", "RSA", { tags, enabled: true }),
    );
    expectSameRun(run);
    expect(run.ourRequests.map((r) => [r.status, r.rawBody.length > 0, r.headers["authorization"]])).toEqual([
      [401, false, undefined],
      [200, true, `Bearer ${TOKEN}`],
    ]);
    expect(ourScopes).toEqual(officialScopes);
    expect(officialScopes).toEqual([["https://vault.azure.net/.default"]]);
  });

  it("challenge resource verification on (the default): the vault's challenge for vault.azure.net is refused, with the same Error, and no token is asked for", async () => {
    const scopes: string[][] = [];
    const options = () => ({ allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    const run = await runBoth(
      t.vault,
      () => new OfficialKeyClient(t.vault.url, fakeCredential(scopes), options()).getKey("k"),
      () => new KeyClient(t.vault.url, fakeCredential(scopes), options()).getKey("k"),
    );
    expectSameRun(run);
    expect((rejected(run.ours) as Error).message).toMatch(/^The challenge resource 'vault\.azure\.net' does not match/);
    expect(scopes).toEqual([]);
  });

  it("allowInsecureConnection off with an http vault: nothing is sent by either; named difference, ours refuses with its own words before a token could go out (the official's HTTP client refuses the URL)", async () => {
    const options = () => ({ disableChallengeResourceVerification: true });
    const run = await runBoth(
      t.vault,
      () => new OfficialKeyClient(t.vault.url, fakeCredential(), options()).getKey("k"),
      () => new KeyClient(t.vault.url, fakeCredential(), options()).getKey("k"),
    );
    expect((rejected(run.official) as Error).message).toMatch(/while allowInsecureConnection is false\.$/);
    expectSameRun(run, {
      "outcome.rejected.message": `Refusing to send a bearer token over plain http to ${t.vault.url}. Use https, or set allowInsecureConnection: true in the client options (for a local emulator only).`,
    });
  });

  it("retryOptions: the same retries of a 503 (same requests), the same result", async () => {
    let answered = 0;
    t.vault.script((r) =>
      r.authenticated && answered++ % 3 !== 2
        ? { status: 503, body: { error: { code: "ServiceUnavailable", message: "busy" } } }
        : undefined,
    );
    const retryOptions = { maxRetries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 2 };
    const run = await runBoth(
      t.vault,
      () => createClients(t.vault, fakeCredential(), { retryOptions }).official.getKey("retried"),
      () => createClients(t.vault, fakeCredential(), { retryOptions }).ours.getKey("retried"),
    );
    expectSameRun(run);
    expect(run.ourRequests.map((r) => r.status)).toEqual([401, 503, 503, 200]);
  });

  it("httpClient: both send every request through the caller's client, the same requests and result", async () => {
    const sentThrough: string[][] = [[], []];
    const through = (log: string[]): HttpClient => {
      const inner = createDefaultHttpClient();
      return {
        sendRequest: (request) => {
          log.push(`${request.method} ${new URL(request.url).pathname}`);
          return inner.sendRequest(request);
        },
      };
    };
    const run = await runBoth(
      t.vault,
      () =>
        createClients(t.vault, fakeCredential(), { httpClient: through(sentThrough[0]!) }).official.getKey(
          "own-client",
        ),
      () =>
        createClients(t.vault, fakeCredential(), { httpClient: through(sentThrough[1]!) }).ours.getKey("own-client"),
    );
    expectSameRun(run);
    expect(sentThrough[1]).toEqual(sentThrough[0]);
    expect(sentThrough[1]).toEqual(["GET /keys/own-client/", "GET /keys/own-client/"]);
  });

  it("getCryptographyClient shares the client's options: the same api-version and user agent on its requests", async () => {
    const pair = createClients(t.vault, fakeCredential(), {
      serviceVersion: "7.4",
      userAgentOptions: { userAgentPrefix: "shared/1" },
    });
    const run = await runBoth(
      t.vault,
      () => pair.official.getCryptographyClient("crypto-key").sign("RS256", new Uint8Array(32)),
      () => pair.ours.getCryptographyClient("crypto-key").sign("RS256", new Uint8Array(32)),
    );
    expectSameRun(run, {
      "outcome.resolved.keyID": `${t.vault.url}/keys/crypto-key/0b2a3e1c0ba24e4f9cd7e46d0f4c1a2b`,
    });
    expect(new Set(run.ourRequests.map((r) => r.query["api-version"]))).toEqual(new Set(["7.4"]));
  });
});

describe("arguments ours checks before any request (named difference: the official sends them and the vault refuses)", () => {
  it.each([
    ["a key name with a space", (c: typeof t.ours): Promise<unknown> => c.getKey("a b")],
    ["a key name with a slash", (c: typeof t.ours) => c.createKey("a/b", "RSA")],
    ["an empty key name", (c: typeof t.ours) => c.getDeletedKey("")],
    ["a version with a dot segment", (c: typeof t.ours) => c.getKey("k", { version: ".." })],
    ["getRandomBytes(0)", (c: typeof t.ours) => c.getRandomBytes(0)],
    ["an empty backup", (c: typeof t.ours) => c.restoreKeyBackup(new Uint8Array())],
    ["an empty attestation token", (c: typeof t.ours) => c.releaseKey("k", "")],
    ["a JsonWebKey without kty", (c: typeof t.ours) => c.importKey("k", { n: new Uint8Array([1]) })],
  ])("%s: ours rejects with a TypeError or RangeError naming it, and sends nothing", async (_what, call) => {
    const run = await runBoth(
      t.vault,
      () => call(asOurs(t.official)),
      () => call(t.ours),
    );
    expect(run.officialRequests.length).toBeGreaterThan(0);
    expect(run.ourRequests).toEqual([]);
    const error = rejected(run.ours) as Error;
    expect(error).toBeInstanceOf(error.name === "RangeError" ? RangeError : TypeError);
    expect(error.message).toMatch(/^Invalid /);
  });
});
