import { afterEach, beforeEach, describe, expect, it } from "vitest";
import nock from "nock";
import { parseWWWAuthenticate } from "../../src/pipeline/parseWWWAuthenticate.js";
import { verifyChallengeResource } from "../../src/pipeline/challengeAuthenticationPolicy.js";
import {
  apiVersion,
  createTestClient,
  mockVault,
  resetNock,
  restoreNock,
  TENANT_ID,
  UNAUTHORIZED_BODY,
} from "../helpers/mockVault.js";
import { JSON_HEADERS, keyBundle } from "../helpers/wire.js";

beforeEach(resetNock);
afterEach(restoreNock);

const challengeFor = (resource: string, tenant = TENANT_ID): string =>
  `Bearer authorization="https://login.microsoftonline.com/${tenant}", resource="${resource}"`;

describe("the challenge flow", () => {
  it("draws the 401 with a bodiless request, gets a token for the resource and tenant, replays with the body, then caches", async () => {
    const vault = mockVault();
    vault.scope.post("/keys/k/create").query(apiVersion()).times(2).reply(200, keyBundle("k"));
    const { client, credential } = createTestClient();

    await client.createKey("k", "EC", { curve: "P-256" });
    expect(vault.requests).toHaveLength(2);
    const [challenge, replay] = vault.requests;
    expect(challenge!.headers["authorization"]).toBeUndefined();
    expect(challenge!.headers["content-length"]).toBe("0");
    expect(challenge!.rawBody).toBe("");
    expect(replay!.headers["authorization"]).toBe("Bearer token-1");
    expect(replay!.body).toEqual({ kty: "EC", crv: "P-256" });
    expect(replay!.headers["content-length"]).toBe(String(Buffer.byteLength(replay!.rawBody)));
    expect(credential.calls).toEqual([
      { scopes: ["https://vault.azure.net/.default"], tenantId: TENANT_ID, enableCae: true },
    ]);

    // The second call is not challenged and reuses the token.
    await client.createKey("k", "EC");
    expect(vault.requests).toHaveLength(3);
    expect(vault.requests[2]!.headers["authorization"]).toBe("Bearer token-1");
    expect(vault.requests[2]!.body).toEqual({ kty: "EC" });
    expect(credential.calls).toHaveLength(1);
  });

  it("parses authorization_uri, unquoted values and mixed case", async () => {
    const vault = mockVault({
      challenge:
        "bearer Authorization_URI=https://login.microsoftonline.com/tenant-x, RESOURCE=https://vault.azure.net",
    });
    vault.scope.get("/keys/k/").query(apiVersion()).reply(200, keyBundle("k"));
    const { client, credential } = createTestClient();
    await client.getKey("k");
    expect(credential.calls).toEqual([
      { scopes: ["https://vault.azure.net/.default"], tenantId: "tenant-x", enableCae: true },
    ]);
  });

  it("honours scope= when the challenge gives one", async () => {
    const vault = mockVault({
      challenge: `Bearer authorization="https://login.microsoftonline.com/${TENANT_ID}", scope="https://vault.azure.net/user_impersonation"`,
    });
    vault.scope.get("/keys/k/").query(apiVersion()).reply(200, keyBundle("k"));
    const { client, credential } = createTestClient();
    await client.getKey("k");
    expect(credential.calls[0]!.scopes).toEqual(["https://vault.azure.net/user_impersonation"]);
  });

  it("refuses a challenge for a foreign resource without requesting a token", async () => {
    const vault = mockVault({ challenge: challengeFor("https://evil.example.com") });
    const { client, credential } = createTestClient();
    await expect(client.getKey("k")).rejects.toThrow(/does not match/);
    expect(credential.calls).toHaveLength(0);
    expect(vault.authorized()).toHaveLength(0);
  });

  it("accepts a vault whose host equals the resource host (custom domain)", async () => {
    const vault = mockVault({ url: "https://keys.contoso.com", challenge: challengeFor("https://keys.contoso.com") });
    vault.scope.get("/keys/k/").query(apiVersion()).reply(200, keyBundle("k"));
    const { client, credential } = createTestClient({}, "https://keys.contoso.com");
    await client.getKey("k");
    expect(credential.calls[0]!.scopes).toEqual(["https://keys.contoso.com/.default"]);
  });

  it("accepts a vault on a subdomain of the resource host, and refuses a mere suffix", () => {
    expect(() =>
      verifyChallengeResource("https://vault.azure.net/.default", "https://myvault.vault.azure.net"),
    ).not.toThrow();
    expect(() =>
      verifyChallengeResource("https://managedhsm.azure.net/.default", "https://myhsm.managedhsm.azure.net"),
    ).not.toThrow();
    expect(() => verifyChallengeResource("https://contoso.com/.default", "https://a.b.contoso.com")).not.toThrow();
    expect(() => verifyChallengeResource("https://contoso.com/.default", "https://contoso.com")).not.toThrow();
    expect(() => verifyChallengeResource("https://contoso.com/.default", "https://notcontoso.com")).toThrow(
      /does not match/,
    );
    expect(() =>
      verifyChallengeResource("https://vault.azure.net/.default", "https://vault.azure.net.evil.com"),
    ).toThrow(/does not match/);
  });

  it("skips the check with disableChallengeResourceVerification", async () => {
    const vault = mockVault({ challenge: challengeFor("https://evil.example.com") });
    vault.scope.get("/keys/k/").query(apiVersion()).reply(200, keyBundle("k"));
    const { client, credential } = createTestClient({ disableChallengeResourceVerification: true });
    await client.getKey("k");
    expect(credential.calls[0]!.scopes).toEqual(["https://evil.example.com/.default"]);
  });

  it("answers a CAE insufficient_claims challenge with a new token carrying the decoded claims, and replays", async () => {
    const vault = mockVault();
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1726077595"}}}';
    vault.scope
      .post("/keys/k/create")
      .query(apiVersion())
      .reply(401, UNAUTHORIZED_BODY, {
        "www-authenticate": `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${Buffer.from(claims).toString("base64")}"`,
      });
    vault.scope.post("/keys/k/create").query(apiVersion()).reply(200, keyBundle("k"));
    const { client, credential } = createTestClient();
    const key = await client.createKey("k", "EC");
    expect(key.name).toBe("k");
    expect(credential.calls).toHaveLength(2);
    expect(credential.calls[1]).toEqual({
      scopes: ["https://vault.azure.net/.default"],
      tenantId: TENANT_ID,
      claims,
      enableCae: true,
    });
    const authorized = vault.authorized();
    expect(authorized.map((r) => r.headers["authorization"])).toEqual(["Bearer token-1", "Bearer token-2"]);
    expect(authorized[1]!.body).toEqual({ kty: "EC" });
  });

  it("resends the request WITH its body when the bodiless first request is not challenged", async () => {
    const scope = nock("https://myvault.vault.azure.net");
    const bodies: string[] = [];
    scope
      .post("/keys/k/create")
      .query(apiVersion())
      .times(2)
      .reply(200, function (_uri, body) {
        bodies.push(typeof body === "string" ? body : JSON.stringify(body));
        return keyBundle("k");
      });
    const { client, credential } = createTestClient();
    const key = await client.createKey("k", "RSA", { keySize: 2048 });
    expect(key.name).toBe("k");
    expect(bodies).toEqual(["", JSON.stringify({ kty: "RSA", key_size: 2048 })]);
    expect(credential.calls).toHaveLength(0);
    expect(scope.isDone()).toBe(true);
  });

  it("after a vault answered without a challenge, later requests with a body are sent once, with their body", async () => {
    const scope = nock("https://myvault.vault.azure.net");
    const bodies: string[] = [];
    scope
      .post("/keys/k/create")
      .query(apiVersion())
      .times(3)
      .reply(200, function (_uri, body) {
        bodies.push(typeof body === "string" ? body : JSON.stringify(body));
        return keyBundle("k");
      });
    const { client } = createTestClient();
    await client.createKey("k", "EC");
    await client.createKey("k", "EC");
    // One bodiless probe, then each request exactly once with its body.
    expect(bodies).toEqual(["", JSON.stringify({ kty: "EC" }), JSON.stringify({ kty: "EC" })]);
    expect(scope.isDone()).toBe(true);
  });

  it("a 401 without WWW-Authenticate on the bodiless probe is returned as is: the body never leaves without a token", async () => {
    const scope = nock("https://myvault.vault.azure.net");
    const bodies: string[] = [];
    scope
      .post("/keys/k/create")
      .query(apiVersion())
      .reply(
        401,
        function (_uri, body) {
          bodies.push(typeof body === "string" ? body : JSON.stringify(body));
          return UNAUTHORIZED_BODY;
        },
        JSON_HEADERS,
      );
    const { client, credential } = createTestClient();
    await expect(client.createKey("k", "EC")).rejects.toMatchObject({ statusCode: 401 });
    expect(bodies).toEqual([""]);
    expect(credential.calls).toHaveLength(0);
  });

  it("after a CAE claims challenge, the token it brought serves later requests (no new token per request)", async () => {
    const vault = mockVault();
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1726077595"}}}';
    vault.scope
      .get("/keys/k/")
      .query(apiVersion())
      .reply(401, UNAUTHORIZED_BODY, {
        "www-authenticate": `Bearer error="insufficient_claims", claims="${Buffer.from(claims).toString("base64")}"`,
      });
    vault.scope.get("/keys/k/").query(apiVersion()).times(2).reply(200, keyBundle("k"));
    const { client, credential } = createTestClient();
    await client.getKey("k");
    await client.getKey("k");
    expect(credential.calls).toHaveLength(2);
    expect(vault.authorized().map((r) => r.headers["authorization"])).toEqual([
      "Bearer token-1",
      "Bearer token-2",
      "Bearer token-2",
    ]);
  });

  it("a bodiless request that is not challenged is sent once", async () => {
    const scope = nock("https://myvault.vault.azure.net")
      .get("/keys/k/")
      .query(apiVersion())
      .reply(200, keyBundle("k"));
    const { client } = createTestClient();
    await client.getKey("k");
    expect(scope.isDone()).toBe(true);
  });

  it("never sends a token over plain http unless allowInsecureConnection is set", async () => {
    const url = "http://localhost:8444";
    const vault = mockVault({ url, challenge: challengeFor(url) });
    vault.scope.get("/keys/k/").query(apiVersion()).reply(200, keyBundle("k"));
    const insecure = createTestClient({}, url);
    await expect(insecure.client.getKey("k")).rejects.toThrow(/plain http/);
    expect(insecure.credential.calls).toHaveLength(0);
    expect(vault.requests).toHaveLength(0);

    const allowed = createTestClient(
      { allowInsecureConnection: true, disableChallengeResourceVerification: true },
      url,
    );
    await allowed.client.getKey("k");
    expect(vault.authorized()).toHaveLength(1);
    expect(vault.last().headers["authorization"]).toBe("Bearer token-1");
  });

  it("a 401 that is not a challenge surfaces as a RestError", async () => {
    const vault = mockVault();
    vault.scope.get("/keys/k/").query(apiVersion()).reply(401, UNAUTHORIZED_BODY, JSON_HEADERS);
    const { client } = createTestClient();
    await expect(client.getKey("k")).rejects.toMatchObject({ statusCode: 401, code: "Unauthorized" });
  });
});

describe("parseWWWAuthenticate", () => {
  it("parses the service's challenge", () => {
    expect(parseWWWAuthenticate(challengeFor("https://vault.azure.net"))).toEqual([
      {
        scheme: "bearer",
        parameters: {
          authorization: `https://login.microsoftonline.com/${TENANT_ID}`,
          resource: "https://vault.azure.net",
        },
      },
    ]);
  });

  it("lower-cases scheme and names, keeps values, reads bare values and escapes", () => {
    expect(
      parseWWWAuthenticate('BEARER Authorization_Uri=https://x/t1,Resource="https://v", Claims="a\\"b,c"'),
    ).toEqual([
      { scheme: "bearer", parameters: { authorization_uri: "https://x/t1", resource: "https://v", claims: 'a"b,c' } },
    ]);
  });

  it("reads several challenges in one header", () => {
    const parsed = parseWWWAuthenticate(
      'PoP nonce="abc", Bearer authorization="https://login/t", resource="https://vault.azure.net"',
    );
    expect(parsed.map((c) => c.scheme)).toEqual(["pop", "bearer"]);
    expect(parsed[1]!.parameters["resource"]).toBe("https://vault.azure.net");
  });

  it("does not loop or throw on garbage", () => {
    expect(() => parseWWWAuthenticate('=,,"==;;Bearer a=')).not.toThrow();
    expect(parseWWWAuthenticate("")).toEqual([]);
  });
});
