import { RestError } from "@azure/core-rest-pipeline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KeyClient, knownServiceVersions } from "../../src/index.js";
import { FakeCredential } from "../helpers/fakeCredential.js";
import { apiVersion, createTestClient, mockVault, resetNock, restoreNock, VAULT_URL } from "../helpers/mockVault.js";
import { deletedButRecoverable, JSON_HEADERS, keyBundle } from "../helpers/wire.js";

beforeEach(resetNock);
afterEach(restoreNock);

async function caught(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise;
  } catch (error) {
    return error as RestError;
  }
  throw new Error("expected the call to fail");
}

describe("service errors", () => {
  it("a 409 becomes a RestError with statusCode, the service code and the error (with innerError) in details, as the official client shapes it", async () => {
    const vault = mockVault();
    const body = deletedButRecoverable("k") as { error: { code: string; message: string } };
    vault.scope.post("/keys/k/create").query(apiVersion()).reply(409, body, JSON_HEADERS);
    const { client } = createTestClient();
    const error = await caught(client.createKey("k", "RSA"));
    expect(error).toBeInstanceOf(RestError);
    expect(error.statusCode).toBe(409);
    expect(error.code).toBe("Conflict");
    expect(error.message).toMatch(/deleted but recoverable/);
    expect(error.details).toStrictEqual({
      error: {
        code: body.error.code,
        message: body.error.message,
        innerError: { code: "ObjectIsDeletedButRecoverable", message: undefined, innerError: undefined },
      },
    });
    expect(error.response?.bodyAsText).toBe(JSON.stringify(body));
    expect(error.response?.status).toBe(409);
    expect(JSON.stringify(error)).not.toContain("token-1");
  });

  it("an empty error body gives a RestError, not a TypeError", async () => {
    const vault = mockVault();
    vault.scope.get("/keys/k/").query(apiVersion()).reply(404, "", JSON_HEADERS);
    const { client } = createTestClient();
    const error = await caught(client.getKey("k"));
    expect(error).toBeInstanceOf(RestError);
    expect(error.statusCode).toBe(404);
    expect(error.message).toBe("Unexpected status code: 404");
    expect(error.details).toStrictEqual({ error: undefined });
  });

  it("a non-JSON error body gives a RestError that keeps the text", async () => {
    const vault = mockVault();
    vault.scope
      .get("/keys/k/")
      .query(apiVersion())
      .reply(400, "<html><body>Bad Request</body></html>", { "content-type": "text/html" });
    const { client } = createTestClient();
    const error = await caught(client.getKey("k"));
    expect(error).toBeInstanceOf(RestError);
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe("Unexpected status code: 400");
    expect(error.response?.bodyAsText).toContain("Bad Request");
  });

  it("a success answer without key.kid gives an error that names the field", async () => {
    const vault = mockVault();
    vault.scope
      .get("/keys/k/")
      .query(apiVersion())
      .reply(200, { key: { kty: "EC" }, attributes: { enabled: true } });
    const { client } = createTestClient();
    const error = await caught(client.getKey("k"));
    expect(error).toBeInstanceOf(RestError);
    expect(error.message).toMatch(/key\.kid/);
  });

  it("a success answer with a wrongly typed field names it", async () => {
    const vault = mockVault();
    vault.scope
      .get("/keys/k/")
      .query(apiVersion())
      .reply(200, keyBundle("k", { attributes: { created: "yesterday" } }));
    vault.scope.get("/keys").query(apiVersion()).reply(200, { value: "not an array" });
    const { client } = createTestClient();
    expect((await caught(client.getKey("k"))).message).toMatch(/attributes\.created/);
    expect((await caught(client.listPropertiesOfKeys().next())).message).toMatch(/page\.value/);
  });

  it("a success answer that is not JSON is a RestError PARSE_ERROR", async () => {
    const vault = mockVault();
    vault.scope.get("/keys/k/").query(apiVersion()).reply(200, "{not json", JSON_HEADERS);
    const { client } = createTestClient();
    const error = await caught(client.getKey("k"));
    expect(error).toBeInstanceOf(RestError);
    expect(error.code).toBe(RestError.PARSE_ERROR);
  });

  it("onResponse sees the raw response of a failed call with its error", async () => {
    const vault = mockVault();
    vault.scope.get("/keys/k/").query(apiVersion()).reply(409, deletedButRecoverable("k"), JSON_HEADERS);
    const { client } = createTestClient();
    const seen: Array<[number, unknown]> = [];
    await caught(client.getKey("k", { onResponse: (response, error) => seen.push([response.status, error]) }));
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe(409);
    expect(seen[0]![1]).toBeInstanceOf(RestError);
  });
});

describe("client-side validation (before any request)", () => {
  const invalidNames = ["..", ".", "a/b", "a?b", "a#b", "%2e", "%2E%2e", "", "a".repeat(128), "with space", "naïve"];

  it.each(invalidNames)("refuses the key name %j for every method that takes one", async (name) => {
    const vault = mockVault();
    const { client } = createTestClient();
    const calls: Array<() => unknown> = [
      () => client.createKey(name, "EC"),
      () => client.createEcKey(name),
      () => client.createRsaKey(name),
      () => client.createOctKey(name),
      () => client.importKey(name, { kty: "oct", k: new Uint8Array([1]) }),
      () => client.getKey(name),
      () => client.getKeyAttestation(name),
      () => client.getDeletedKey(name),
      () => client.updateKeyProperties(name, {}),
      () => client.beginDeleteKey(name),
      () => client.beginRecoverDeletedKey(name),
      () => client.purgeDeletedKey(name),
      () => client.backupKey(name),
      () => client.rotateKey(name),
      () => client.getKeyRotationPolicy(name),
      () => client.updateKeyRotationPolicy(name, {}),
      () => client.releaseKey(name, "token"),
      // A list validates when it is iterated, as every error of a list surfaces.
      () => client.listPropertiesOfKeyVersions(name).next(),
      () => client.getCryptographyClient(name),
    ];
    for (const call of calls) {
      let error: unknown;
      try {
        await call();
      } catch (e) {
        error = e;
      }
      expect(error, call.toString()).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/name/i);
    }
    expect(vault.requests).toHaveLength(0);
  });

  it("accepts a 127-character name", async () => {
    const name = "a".repeat(127);
    const vault = mockVault();
    vault.scope.get(`/keys/${name}/`).query(apiVersion()).reply(200, keyBundle(name));
    const { client } = createTestClient();
    await expect(client.getKey(name)).resolves.toMatchObject({ name });
  });

  it("refuses an invalid version", async () => {
    const vault = mockVault();
    const { client } = createTestClient();
    await expect(client.getKey("k", { version: ".." })).rejects.toThrow(/version/);
    await expect(client.getKey("k", { version: "a/b" })).rejects.toThrow(/version/);
    await expect(client.updateKeyProperties("k", "%2e", {})).rejects.toThrow(/keyVersion/);
    await expect(client.releaseKey("k", "t", { version: "?" })).rejects.toThrow(/version/);
    expect(vault.requests).toHaveLength(0);
  });

  it("refuses a vault URL that is not an absolute http(s) URL", () => {
    const credential = new FakeCredential();
    expect(() => new KeyClient("myvault.vault.azure.net", credential)).toThrow(/vaultUrl/);
    expect(() => new KeyClient("ftp://myvault.vault.azure.net", credential)).toThrow(/vaultUrl/);
  });
});

describe("serviceVersion", () => {
  it("an unknown serviceVersion fails at construction, listing the known ones", () => {
    let error: Error | undefined;
    try {
      new KeyClient(VAULT_URL, new FakeCredential(), { serviceVersion: "7.7" });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(/7\.7/);
    for (const version of ["2025-07-01", "7.6", "7.5", "7.4", "7.3", "7.2", "7.1", "7.0"])
      expect(error?.message).toContain(version);
  });

  it.each(["7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "2025-07-01"])(
    "%s is accepted and sent as api-version",
    async (version) => {
      expect(knownServiceVersions).toContain(version);
      const vault = mockVault();
      vault.scope.get("/keys/k/").query({ "api-version": version }).reply(200, keyBundle("k"));
      const { client } = createTestClient({ serviceVersion: version });
      await client.getKey("k");
      expect(vault.requests.map((r) => r.query["api-version"])).toEqual([version, version]);
    },
  );

  it("defaults to 2025-07-01", async () => {
    const vault = mockVault();
    vault.scope.get("/keys/k/").query({ "api-version": "2025-07-01" }).reply(200, keyBundle("k"));
    const { client } = createTestClient();
    await client.getKey("k");
    expect(vault.last().query["api-version"]).toBe("2025-07-01");
  });
});
