/*
 * Issue 6, hostile answers: broken bodies, wrong types, huge bodies, nextLinks to other hosts and
 * endless nextLink loops all end in a clear RestError, never a TypeError or a hang.
 */
import nock from "nock";
import { RestError } from "@azure/core-rest-pipeline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KeyClient } from "../../src/index.js";
import { createKeyVaultPager } from "../../src/paging/keyVaultPager.js";
import { defaultMaxResponseBodyBytes } from "../../src/http/responseSizeLimit.js";
import type { KeyVaultRestClient } from "../../src/http/keyVaultRestClient.js";
import { keyPropertiesFromItem } from "../../src/transformations.js";
import {
  closedAfterEachTest,
  FAST_RETRY,
  keyBundle,
  RecordingCredential,
  vault,
  type LocalServer,
} from "../helpers/localServers.js";
import { resetNock, restoreNock } from "../helpers/mockVault.js";
import { challengeHeader, JSON_HEADERS, VAULT_URL } from "../helpers/wire.js";

const VAULT = VAULT_URL;
const CHALLENGE = challengeHeader();

beforeEach(resetNock);
afterEach(restoreNock);

/** A nock vault that challenges unauthenticated requests; the test answers the authorized ones. */
function mockVault(): nock.Scope {
  nock(VAULT, { badheaders: ["authorization"] })
    .persist()
    .intercept(() => true, "GET")
    .query(true)
    .reply(401, "", { "www-authenticate": CHALLENGE });
  return nock(VAULT, { reqheaders: { authorization: /^Bearer / } });
}

function client(): KeyClient {
  return new KeyClient(VAULT, new RecordingCredential(), { retryOptions: { ...FAST_RETRY, maxRetries: 0 } });
}

async function failure(run: () => Promise<unknown>): Promise<RestError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RestError);
  expect((error as Error).name).toBe("RestError");
  return error as RestError;
}

async function drain(iterator: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _ of iterator) count++;
  return count;
}

const bundle = keyBundle(VAULT, "k");
const kid = `${VAULT}/keys/k/0123456789abcdef0123456789abcdef`;

describe("broken single answers", () => {
  const cases: Array<[string, string | Record<string, unknown> | unknown[], string, RegExp]> = [
    ["HTML instead of JSON", "<html><body>gateway</body></html>", "PARSE_ERROR", /not valid JSON/],
    ["truncated JSON", JSON.stringify(bundle).slice(0, 40), "PARSE_ERROR", /not valid JSON/],
    ["a JSON string", JSON.stringify("key"), "MalformedResponse", /key bundle should be an object/],
    ["a JSON array", [bundle], "MalformedResponse", /key bundle should be an object/],
    ["null", "null", "MalformedResponse", /key bundle should be an object/],
    ["no key", { attributes: {} }, "MalformedResponse", /key bundle\.key should be an object/],
    ["no kid", { ...bundle, key: { kty: "EC" } }, "MalformedResponse", /key bundle\.key\.kid should be present/],
    [
      "kid a number",
      { ...bundle, key: { kid: 7, kty: "EC" } },
      "MalformedResponse",
      /key bundle\.key\.kid should be a string/,
    ],
    [
      "kid not a key URL",
      { ...bundle, key: { kid: "not a url", kty: "EC" } },
      "MalformedResponse",
      /kid should be a key identifier/,
    ],
    [
      "kid with bad escapes",
      { ...bundle, key: { kid: `${VAULT}/keys/%E0%A4%A/v`, kty: "EC" } },
      "MalformedResponse",
      /kid should be a key identifier/,
    ],
    [
      "created as text",
      { ...bundle, attributes: { created: "yesterday" } },
      "MalformedResponse",
      /attributes\.created should be a number/,
    ],
    [
      "created out of range",
      { ...bundle, attributes: { created: 1e300 } },
      "MalformedResponse",
      /attributes\.created should be a date/,
    ],
    [
      "enabled as text",
      { ...bundle, attributes: { enabled: "true" } },
      "MalformedResponse",
      /attributes\.enabled should be a boolean/,
    ],
    ["tags with a number", { ...bundle, tags: { a: 1 } }, "MalformedResponse", /tags\.a should be a string/],
    [
      "key_ops not an array",
      { ...bundle, key: { kid, key_ops: "sign" } },
      "MalformedResponse",
      /key_ops should be an array/,
    ],
    ["n as a number", { ...bundle, key: { kid, kty: "RSA", n: 12 } }, "MalformedResponse", /key\.n should be a string/],
  ];
  for (const [label, body, code, message] of cases) {
    it(`getKey: ${label} -> RestError ${code}`, async () => {
      mockVault().get("/keys/k/").query(true).reply(200, body, JSON_HEADERS);
      const error = await failure(() => client().getKey("k"));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });
  }

  it("an empty 200 body is a MalformedResponse, not a TypeError", async () => {
    mockVault().get("/keys/k/").query(true).reply(200, "", JSON_HEADERS);
    expect((await failure(() => client().getKey("k"))).code).toBe("MalformedResponse");
  });

  for (const [status, body] of [
    [400, "<html>bad request</html>"],
    [400, '{"error": '],
    [500, ""],
    [404, '{"error":"KeyNotFound"}'],
    [403, "[1,2,3]"],
  ] as const) {
    it(`a ${status} with body ${JSON.stringify(body)} is a RestError with that status`, async () => {
      mockVault().get("/keys/k/").query(true).reply(status, body, JSON_HEADERS);
      const error = await failure(() => client().getKey("k"));
      expect(error.statusCode).toBe(status);
      // The official client's message for an error answer without a message.
      expect(error.message).toBe(`Unexpected status code: ${status}`);
    });
  }

  it("backupKey with a non-string value is a MalformedResponse", async () => {
    mockVault().post("/keys/k/backup").query(true).reply(200, { value: 12 }, JSON_HEADERS);
    nock(VAULT, { badheaders: ["authorization"] })
      .post("/keys/k/backup")
      .query(true)
      .reply(401, "", { "www-authenticate": CHALLENGE });
    expect((await failure(() => client().backupKey("k"))).code).toBe("MalformedResponse");
  });
});

describe("broken pages", () => {
  const cases: Array<[string, unknown, string]> = [
    ["value not an array", { value: { kid } }, "MalformedResponse"],
    ["an item without kid", { value: [{ attributes: {} }] }, "MalformedResponse"],
    ["an item that is a string", { value: ["k"] }, "MalformedResponse"],
    ["nextLink a number", { value: [], nextLink: 5 }, "MalformedResponse"],
    ["nextLink not a URL", { value: [], nextLink: "http://[" }, "InvalidNextLink"],
    ["a page that is an array", [], "MalformedResponse"],
  ];
  for (const [label, body, code] of cases) {
    it(`listPropertiesOfKeys: ${label} -> RestError ${code}`, async () => {
      mockVault()
        .get("/keys")
        .query(true)
        .reply(200, body as Record<string, unknown>, JSON_HEADERS);
      expect((await failure(() => drain(client().listPropertiesOfKeys()))).code).toBe(code);
    });
  }
});

describe("nextLink loops and foreign nextLinks", () => {
  const link = (token: string): string => `${VAULT}/keys?api-version=2025-07-01&$skiptoken=${token}`;

  it("stops at a page that links to itself", async () => {
    const scope = mockVault();
    scope
      .get("/keys")
      .query({ "api-version": "2025-07-01" })
      .reply(200, { value: [{ kid }], nextLink: link("A") }, JSON_HEADERS);
    scope
      .get("/keys")
      .query({ "api-version": "2025-07-01", $skiptoken: "A" })
      .reply(200, { value: [{ kid }], nextLink: link("A") }, JSON_HEADERS);
    const error = await failure(() => drain(client().listPropertiesOfKeys()));
    expect(error).toMatchObject({ code: "InvalidNextLink" });
    expect(error.message).toMatch(/itself/);
  });

  it("stops at a loop A -> B -> A", async () => {
    const scope = mockVault();
    scope
      .get("/keys")
      .query({ "api-version": "2025-07-01" })
      .reply(200, { value: [{ kid }], nextLink: link("A") }, JSON_HEADERS);
    scope
      .get("/keys")
      .query({ "api-version": "2025-07-01", $skiptoken: "A" })
      .reply(200, { value: [{ kid }], nextLink: link("B") }, JSON_HEADERS);
    scope
      .get("/keys")
      .query({ "api-version": "2025-07-01", $skiptoken: "B" })
      .reply(200, { value: [{ kid }], nextLink: link("A") }, JSON_HEADERS);
    const error = await failure(() => drain(client().listPropertiesOfKeys()));
    expect(error).toMatchObject({ code: "InvalidNextLink" });
    expect(error.message).toMatch(/loop/);
    expect(scope.isDone()).toBe(true);
  });

  it("stops a loop that comes back to the continuationToken it started from", async () => {
    const scope = mockVault();
    scope
      .get("/keys")
      .query({ "api-version": "2025-07-01", $skiptoken: "A" })
      .reply(200, { value: [], nextLink: link("B") }, JSON_HEADERS);
    scope
      .get("/keys")
      .query({ "api-version": "2025-07-01", $skiptoken: "B" })
      .reply(200, { value: [], nextLink: link("A") }, JSON_HEADERS);
    expect(
      (
        await failure(() =>
          drain(
            client()
              .listPropertiesOfKeys()
              .byPage({ continuationToken: link("A") }),
          ),
        )
      ).code,
    ).toBe("InvalidNextLink");
  });

  it("stops after maxPages pages of links that never repeat", async () => {
    let served = 0;
    const fake = {
      getPage: async (nextLink: string) => {
        served++;
        return { value: [{ kid }], nextLink: `${nextLink}x` };
      },
    } as unknown as KeyVaultRestClient;
    const pager = createKeyVaultPager({
      client: fake,
      operationId: "GetKeys",
      options: {},
      mapItem: keyPropertiesFromItem,
      maxPages: 50,
      firstPage: async () => ({ value: [{ kid }], nextLink: link("x") }),
    });
    const error = await failure(() => drain(pager));
    expect(error.code).toBe("TooManyPages");
    expect(served).toBe(49);
  });

  it("refuses a nextLink to another host, without a request to it", async () => {
    const other = nock("https://evil.example.com")
      .get(() => true)
      .query(true)
      .reply(200, { value: [] });
    mockVault()
      .get("/keys")
      .query(true)
      .reply(200, { value: [{ kid }], nextLink: "https://evil.example.com/keys?$skiptoken=x" }, JSON_HEADERS);
    const error = await failure(() => drain(client().listPropertiesOfKeys()));
    expect(error.code).toBe("InvalidNextLink");
    expect(error.message).toMatch(/refusing to follow a nextLink to https:\/\/evil\.example\.com/);
    expect(other.isDone()).toBe(false);
  });

  it("refuses a nextLink that downgrades the vault to http", async () => {
    mockVault()
      .get("/keys")
      .query(true)
      .reply(200, { value: [], nextLink: "http://myvault.vault.azure.net/keys?$skiptoken=x" }, JSON_HEADERS);
    expect((await failure(() => drain(client().listPropertiesOfKeys()))).code).toBe("InvalidNextLink");
  });
});

describe("huge answers", () => {
  beforeEach(() => nock.enableNetConnect("127.0.0.1"));
  const servers = closedAfterEachTest();
  const fiftyMegabytes = 50 * 1024 * 1024;

  /** Whether the client hung up on an answer before the server had written all of it. */
  const hungUp: boolean[] = [];

  async function hugeVault(declareLength: boolean): Promise<LocalServer> {
    const server = await servers.start(
      vault((_, response) => {
        response.on("close", () => hungUp.push(!response.writableFinished));
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        response.writeHead(200, {
          "content-type": "application/json",
          ...(declareLength ? { "content-length": fiftyMegabytes } : {}),
        });
        let sent = 0;
        const pump = (): void => {
          while (sent < fiftyMegabytes) {
            sent += chunk.length;
            if (!response.write(chunk)) return void response.once("drain", pump);
          }
          response.end();
        };
        response.on("error", () => undefined);
        pump();
      }),
    );
    return server;
  }

  for (const declareLength of [true, false]) {
    it(`refuses a 50 MB answer ${declareLength ? "by its Content-Length" : "sent chunked, by its size"}`, async () => {
      const server = await hugeVault(declareLength);
      const huge = new KeyClient(server.url, new RecordingCredential(), {
        allowInsecureConnection: true,
        retryOptions: FAST_RETRY,
      });
      const error = await failure(() => huge.getKey("k"));
      expect(error.code).toBe("ResponseTooLarge");
      expect(error.message).toContain(`limit of ${defaultMaxResponseBodyBytes} bytes`);
      // Not retried: a second 50 MB answer would not be any smaller.
      expect(server.authorized()).toHaveLength(1);
    });
  }

  it("stops reading a chunked answer at the limit instead of holding all 50 MB", async () => {
    hungUp.length = 0;
    const server = await hugeVault(false);
    const huge = new KeyClient(server.url, new RecordingCredential(), {
      allowInsecureConnection: true,
      retryOptions: FAST_RETRY,
    });
    const error = await failure(() => huge.getKey("k"));
    expect(error.code).toBe("ResponseTooLarge");
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The server saw the connection close before it had written the whole answer.
    expect(hungUp.at(-1)).toBe(true);
  });

  it("accepts an answer just under the limit's order of magnitude (a 1 MB tag)", async () => {
    const server = await servers.start(
      vault((_, response, self) => {
        const text = JSON.stringify({ ...keyBundle(self.url, "k"), tags: { big: "x".repeat(1024 * 1024) } });
        response.writeHead(200, { "content-type": "application/json" });
        response.end(text);
      }),
    );
    const ok = new KeyClient(server.url, new RecordingCredential(), {
      allowInsecureConnection: true,
      retryOptions: FAST_RETRY,
    });
    expect((await ok.getKey("k")).properties.tags?.["big"]).toHaveLength(1024 * 1024);
  });
});
