/**
 * Differential tests: every single-request KeyClient method through our client and the official
 * @azure/keyvault-keys 4.10.2, both against one fake vault. Same requests (method, path, decoded query
 * with api-version, JSON body, accept/content-type), same typed results after normalization. Each
 * deliberate difference is asserted explicitly, with the reason. Pollers and lists are in
 * keyClient.pollers.test.ts and keyClient.paging.test.ts.
 */
import { RestError } from "@azure/core-rest-pipeline";
import { KeyClient as OfficialKeyClient } from "@azure/keyvault-keys";
import { KeyClient } from "../../src/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DELETED_KEY_EXTRAS,
  expectSameRequests,
  expectSameRequestsExceptEmptyAttributes,
  expectSameResult,
} from "../helpers/differentialAssertions.js";
import {
  collect as collectAll,
  createClients,
  fakeCredential,
  normalize,
  runBoth,
  TOKEN,
  type ClientPair,
} from "../helpers/differentialClients.js";
import {
  BACKUP_VALUE,
  CHALLENGE,
  EC_VERSION,
  MISSING_KEY,
  RANDOM_100,
  RELEASE_VALUE,
  startFakeVault,
  type FakeVault,
  type RecordedRequest,
} from "../helpers/differentialServer.js";

let vault: FakeVault;
let ours: ClientPair["ours"];
let official: ClientPair["official"];

beforeAll(async () => {
  vault = await startFakeVault();
  ({ ours, official } = createClients(vault));
  // Each client answers its 401 challenge once; the tests below compare authenticated requests only.
  await official.getKey("warm-up");
  await ours.getKey("warm-up");
});

afterAll(async () => {
  await vault.close();
});

const releasePolicy = {
  contentType: "application/json; charset=utf-8",
  encodedPolicy: new TextEncoder().encode(
    '{"version":"1.0.0","anyOf":[{"authority":"https://sharedwus.wus.attest.azure.net","allOf":[]}]}',
  ),
  immutable: true,
};

const b = (text: string) => new Uint8Array(Buffer.from(text, "base64url"));

describe("authentication challenge", () => {
  it("both send the first request without body, get the 401 challenge, and repeat it with the same bearer token and scope", async () => {
    const officialScopes: string[][] = [];
    const ourScopes: string[][] = [];
    const fresh = {
      official: createClients(vault, fakeCredential(officialScopes)).official,
      ours: createClients(vault, fakeCredential(ourScopes)).ours,
    };
    const call = { tags: { purpose: "challenge" }, enabled: true };
    const run = await runBoth(
      vault,
      () => fresh.official.createKey("challenged", "RSA", call),
      () => fresh.ours.createKey("challenged", "RSA", call),
    );
    const shape = (r: RecordedRequest) => ({
      method: r.method,
      path: r.path,
      query: r.query,
      authenticated: r.authenticated,
      authorization: r.headers["authorization"],
      status: r.status,
      rawBody: r.rawBody,
    });
    expect(run.ourRaw.map(shape)).toEqual(run.officialRaw.map(shape));
    expect(run.officialRaw.map(shape)).toEqual([
      {
        method: "POST",
        path: "/keys/challenged/create",
        query: { "api-version": "2025-07-01" },
        authenticated: false,
        authorization: undefined,
        status: 401,
        rawBody: "",
      },
      {
        method: "POST",
        path: "/keys/challenged/create",
        query: { "api-version": "2025-07-01" },
        authenticated: true,
        authorization: `Bearer ${TOKEN}`,
        status: 200,
        rawBody: JSON.stringify({ kty: "RSA", attributes: { enabled: true }, tags: { purpose: "challenge" } }),
      },
    ]);
    expect(ourScopes).toEqual(officialScopes);
    expect(officialScopes).toEqual([["https://vault.azure.net/.default"]]);
    expect(CHALLENGE).toContain('resource="https://vault.azure.net"');
    expectSameResult(run.official, run.ours);

    // The challenge is answered once per client: the next call goes out authenticated straight away.
    const second = await runBoth(
      vault,
      () => fresh.official.getKey("challenged"),
      () => fresh.ours.getKey("challenged"),
    );
    expect(second.officialRaw.map((r) => r.authenticated)).toEqual([true]);
    expect(second.ourRaw.map((r) => r.authenticated)).toEqual([true]);
  });
});

describe("service version", () => {
  it("serviceVersion 7.5: same api-version on every request, first page and nextLinks alike", async () => {
    const options = {
      allowInsecureConnection: true,
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 0 },
      serviceVersion: "7.5" as const,
    };
    const pair = {
      official: new OfficialKeyClient(vault.url, fakeCredential(), { ...options }),
      ours: new KeyClient(vault.url, fakeCredential(), { ...options }),
    };
    const run = await runBoth(
      vault,
      async () => [await pair.official.getKey("v75"), (await collectAll(pair.official.listPropertiesOfKeys())).length],
      async () => [await pair.ours.getKey("v75"), (await collectAll(pair.ours.listPropertiesOfKeys())).length],
    );
    expectSameRequests(run);
    expect(new Set(run.ourRequests.map((r) => r.query["api-version"]))).toEqual(new Set(["7.5"]));
    expectSameResult(run.official[0], run.ours[0]);
    expect(run.ours[1]).toBe(3);
  });
});

describe("create", () => {
  it("createKey with every option: same request, same key", async () => {
    const options = {
      curve: "P-384",
      tags: { purpose: "differential", "test name": "createKey" },
      keyOps: ["sign", "verify"],
      enabled: true,
      notBefore: new Date("2026-01-01T00:00:00Z"),
      expiresOn: new Date("2030-06-30T12:34:56Z"),
      exportable: true,
      releasePolicy,
    };
    const run = await runBoth(
      vault,
      () => official.createKey("full", "EC", options),
      () => ours.createKey("full", "EC", options),
    );
    expectSameRequests(run);
    expect(run.ourRequests[0]!.body).toEqual({
      kty: "EC",
      key_ops: ["sign", "verify"],
      attributes: { enabled: true, nbf: 1767225600, exp: 1909053296, exportable: true },
      tags: { purpose: "differential", "test name": "createKey" },
      crv: "P-384",
      release_policy: {
        contentType: "application/json; charset=utf-8",
        immutable: true,
        data: Buffer.from(releasePolicy.encodedPolicy).toString("base64url"),
      },
    });
    expectSameResult(run.official, run.ours);
  });

  it("createKey with no options: same except the official's empty attributes object", async () => {
    const run = await runBoth(
      vault,
      () => official.createKey("minimal", "RSA"),
      () => ours.createKey("minimal", "RSA"),
    );
    expectSameRequestsExceptEmptyAttributes(run);
    expect(run.ourRequests[0]!.body).toEqual({ kty: "RSA" });
    expectSameResult(run.official, run.ours);
  });

  it("createKey with hsm: documented difference, the official ignores hsm (sends RSA); ours sends RSA-HSM; all else equal", async () => {
    const options = { hsm: true, keySize: 3072, enabled: true };
    const run = await runBoth(
      vault,
      () => official.createKey("hsm", "RSA", options),
      () => ours.createKey("hsm", "RSA", options),
    );
    expect((run.officialRequests[0]!.body as { kty: string }).kty).toBe("RSA");
    expect((run.ourRequests[0]!.body as { kty: string }).kty).toBe("RSA-HSM");
    expect(run.ourRequests).toEqual(
      run.officialRequests.map((r) => ({ ...r, body: { ...(r.body as object), kty: "RSA-HSM" } })),
    );
    // The fake echoes kty, so the results differ in exactly that.
    expect((run.official as { keyType?: string }).keyType).toBe("RSA");
    expect(run.ours.keyType).toBe("RSA-HSM");
    expect(without2(normalize(run.ours), "RSA-HSM")).toEqual(without2(normalize(run.official), "RSA"));
  });

  it("createKey with an already -HSM key type and hsm: same request (no double suffix)", async () => {
    const options = { hsm: true, curve: "P-256", enabled: true };
    const run = await runBoth(
      vault,
      () => official.createKey("hsm2", "EC-HSM", options),
      () => ours.createKey("hsm2", "EC-HSM", options),
    );
    expectSameRequests(run);
    expectSameResult(run.official, run.ours);
  });

  it("createEcKey (hsm, curve, tags): same request, same key", async () => {
    const options = { curve: "P-256K", hsm: true, tags: { a: "b" }, keyOps: ["sign"] };
    const run = await runBoth(
      vault,
      () => official.createEcKey("ec", options),
      () => ours.createEcKey("ec", options),
    );
    expectSameRequestsExceptEmptyAttributes(run);
    expect(run.ourRequests[0]!.body).toEqual({ kty: "EC-HSM", crv: "P-256K", tags: { a: "b" }, key_ops: ["sign"] });
    expectSameResult(run.official, run.ours);
  });

  it("createEcKey without options", async () => {
    const run = await runBoth(
      vault,
      () => official.createEcKey("ec-min"),
      () => ours.createEcKey("ec-min"),
    );
    expectSameRequestsExceptEmptyAttributes(run);
    expect(run.ourRequests[0]!.body).toEqual({ kty: "EC" });
    expectSameResult(run.official, run.ours);
  });

  it("createRsaKey (keySize, enabled, tags): same request, same key", async () => {
    const options = { keySize: 4096, enabled: false, tags: { team: "payments" } };
    const run = await runBoth(
      vault,
      () => official.createRsaKey("rsa", options),
      () => ours.createRsaKey("rsa", options),
    );
    expectSameRequests(run);
    expect(run.ourRequests[0]!.body).toEqual({
      kty: "RSA",
      key_size: 4096,
      attributes: { enabled: false },
      tags: { team: "payments" },
    });
    expectSameResult(run.official, run.ours);
  });

  it("createRsaKey with publicExponent: documented difference, the official never sends it; ours sends public_exponent; all else equal", async () => {
    const options = { keySize: 2048, publicExponent: 65537, enabled: true };
    const run = await runBoth(
      vault,
      () => official.createRsaKey("rsa-e", options),
      () => ours.createRsaKey("rsa-e", options),
    );
    expect(run.officialRequests[0]!.body).not.toHaveProperty("public_exponent");
    expect(run.ourRequests[0]!.body).toHaveProperty("public_exponent", 65537);
    expect(run.ourRequests).toEqual(
      run.officialRequests.map((r) => ({ ...r, body: { ...(r.body as object), public_exponent: 65537 } })),
    );
    expectSameResult(run.official, run.ours);
  });

  it("createOctKey (hsm, keySize): same request, same key", async () => {
    const options = { hsm: true, keySize: 256 };
    const run = await runBoth(
      vault,
      () => official.createOctKey("oct", options),
      () => ours.createOctKey("oct", options),
    );
    expectSameRequestsExceptEmptyAttributes(run);
    expect(run.ourRequests[0]!.body).toEqual({ kty: "oct-HSM", key_size: 256 });
    expectSameResult(run.official, run.ours);
  });

  it("dates after 2038-01-19: documented difference, the official overflows nbf/exp to 32 bits; ours sends exact seconds", async () => {
    const notBefore = new Date("2039-01-01T00:00:00Z");
    const expiresOn = new Date("2040-01-01T00:00:00Z");
    const options = { notBefore, expiresOn, enabled: true };
    const run = await runBoth(
      vault,
      () => official.createRsaKey("y2038", options),
      () => ours.createRsaKey("y2038", options),
    );
    const exact = { nbf: notBefore.getTime() / 1000, exp: expiresOn.getTime() / 1000 };
    const overflowed = { nbf: exact.nbf | 0, exp: exact.exp | 0 };
    expect(overflowed.nbf).toBeLessThan(0);
    expect((run.officialRequests[0]!.body as { attributes: object }).attributes).toEqual({
      enabled: true,
      ...overflowed,
    });
    expect((run.ourRequests[0]!.body as { attributes: object }).attributes).toEqual({ enabled: true, ...exact });
    const withAttributes = (r: (typeof run.ourRequests)[number], attributes: object) => ({
      ...r,
      body: { ...(r.body as object), attributes },
    });
    expect(run.ourRequests.map((r) => withAttributes(r, {}))).toEqual(
      run.officialRequests.map((r) => withAttributes(r, {})),
    );
    // The fake echoes what was sent: ours reads back the dates it was given, the official 1903/1904.
    expect(run.ours.properties.notBefore?.toISOString()).toBe("2039-01-01T00:00:00.000Z");
    expect(run.ours.properties.expiresOn?.toISOString()).toBe("2040-01-01T00:00:00.000Z");
    expect(run.official.properties.expiresOn?.getUTCFullYear()).toBeLessThan(1970);
    const datesOut = (v: unknown) => {
      const n = structuredClone(normalize(v)) as { properties: Record<string, unknown> };
      delete n.properties["notBefore"];
      delete n.properties["expiresOn"];
      return n;
    };
    expect(datesOut(run.ours)).toEqual(datesOut(run.official));
  });
});

describe("import", () => {
  it("importKey (RSA with private parts and every option): same request, same key", async () => {
    const jwk = {
      kty: "RSA",
      keyOps: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
      n: b(
        "oJFNACNKxoOyG0wV1b7Yh73JWcLlevVK5zTo8Acg13XSdeRVIH43hM7rYKUKRlXdcqepTScejuj3lZpmnKbndb8OI7ra6ZG0Up2XhSi0vZBSHTLdJlZ5a6gra7_HZoyPXutQU3R_0ZkxnSmoRA0I9EEtUn_5MR7acYJZILR7HEaxGrPpHXMWQH6Jx_NA97haNAQs5RdDsn1HGEA9NMe0OK9hgb4F5NEeuYXTglPX_pv1P8LxsALSLS15P6eaUEtqtC0EkoBNcHHXJ6Bs86iJOqVCsVA_gyspY3G2cH1NxuNy-P5n2N7RyQj95FzgO8CGpxSH-nXkOqDgZ5qg0g7-NQ",
      ),
      e: b("AQAB"),
      d: b(
        "Ynx9JGaBSP4iUsf6ZJ6opantRNdcdmzaQrKbZg6ZQE8Ohi1FYabJWvaoPSE-CiJEsDzShXZHMhUHN4X7Bn8BXaGQhK3p9HXgiwQKmix7oAJTu4ElUIyd8UC3UWHSZr40el4PaQD-HYu_eMzCXus34MnRiNbh_BUWm6T-Eidhk9d3kNIyaSi9YNDQHW6tjWrEhhq63O7JU1j9ZonFChZxpKk20jdkQKQURVAdpOdL-5j4I70ZxFuU6wHZj8DS8oRQfwGOvZKbgYDb5jgf3UNL_7eACqq92XPVX56vm7iKbqeyjCqAIx5y3hrSRIJtZlWCwjYnYQGd4unxDLi8dhzt",
      ),
      dp: b("AMmhWb5yZwo"),
      dq: b("AOrs7u6uHiU"),
      qi: b("AKs9iB0cKXM"),
      p: b("AMWyHtRoUq0"),
      q: b("AM_Ae9tIq2k"),
    };
    const options = {
      hardwareProtected: true,
      enabled: true,
      notBefore: new Date("2026-02-01T00:00:00Z"),
      expiresOn: new Date("2031-02-01T00:00:00Z"),
      exportable: false,
      tags: { imported: "yes" },
      releasePolicy,
    };
    const run = await runBoth(
      vault,
      () => official.importKey("imported", jwk, options),
      () => ours.importKey("imported", jwk, options),
    );
    expectSameRequests(run);
    expect(run.ourRequests[0]).toMatchObject({
      method: "PUT",
      path: "/keys/imported",
      body: { Hsm: true, key: { kty: "RSA", e: "AQAB", dp: "AMmhWb5yZwo" } },
    });
    expectSameResult(run.official, run.ours);
  });

  it("importKey (EC public/private, no options): same except the official's empty attributes object", async () => {
    const jwk = {
      kty: "EC",
      crv: "P-256",
      x: b("bbGb_byeGrh6Pkf6C2rs4tdHNbNF9BqxFBxST23I5Gc"),
      y: b("024yTKAWHDwR0LD9Ne8J8bzqfQm-4A3UL0JlXm62Dpo"),
      d: b("AQID"),
    };
    const run = await runBoth(
      vault,
      () => official.importKey("imported-ec", jwk),
      () => ours.importKey("imported-ec", jwk),
    );
    expectSameRequestsExceptEmptyAttributes(run);
    expectSameResult(run.official, run.ours);
  });

  // A BYOK import sends {kty: "RSA-HSM", key_hsm: <transfer blob>} without n/e (the blob holds the key).
  it("importKey BYOK (RSA-HSM with key_hsm only): same request", async () => {
    const jwk = {
      kty: "RSA-HSM",
      t: new Uint8Array([1, 2, 3, 4]),
      kid: "https://kek.example/keys/kek/1",
      keyOps: ["encrypt", "decrypt"],
    };
    const options = { hardwareProtected: true, enabled: true };
    const run = await runBoth(
      vault,
      () => official.importKey("byok", jwk, options),
      () => ours.importKey("byok", jwk, options),
    );
    expectSameRequests(run);
    expect((run.ourRequests[0]!.body as { key: object }).key).toEqual({
      kid: "https://kek.example/keys/kek/1",
      kty: "RSA-HSM",
      key_ops: ["encrypt", "decrypt"],
      key_hsm: "AQIDBA",
    });
    expectSameResult(run.official, run.ours);
  });

  it("importKey of a JWK with key_hsm (t) and the public parts: same request", async () => {
    const jwk = {
      kty: "RSA-HSM",
      n: new Uint8Array([5, 6, 7]),
      e: new Uint8Array([1, 0, 1]),
      t: new Uint8Array([1, 2, 3, 4]),
    };
    const options = { hardwareProtected: true, enabled: true };
    const run = await runBoth(
      vault,
      () => official.importKey("byok2", jwk, options),
      () => ours.importKey("byok2", jwk, options),
    );
    expectSameRequests(run);
    expect((run.ourRequests[0]!.body as { key: object }).key).toEqual({
      kty: "RSA-HSM",
      n: "BQYH",
      e: "AQAB",
      key_hsm: "AQIDBA",
    });
    expectSameResult(run.official, run.ours);
  });
});

describe("read", () => {
  it("getKey without version: GET /keys/{name}/ (empty version segment), same key", async () => {
    const run = await runBoth(
      vault,
      () => official.getKey("read-me"),
      () => ours.getKey("read-me"),
    );
    expectSameRequests(run);
    expect(run.ourRequests[0]).toMatchObject({
      method: "GET",
      path: "/keys/read-me/",
      query: { "api-version": "2025-07-01" },
    });
    expectSameResult(run.official, run.ours);
  });

  it("getKey with version: same request, same key", async () => {
    const run = await runBoth(
      vault,
      () => official.getKey("read-me", { version: EC_VERSION }),
      () => ours.getKey("read-me", { version: EC_VERSION }),
    );
    expectSameRequests(run);
    expect(run.ourRequests[0]!.path).toBe(`/keys/read-me/${EC_VERSION}`);
    expectSameResult(run.official, run.ours);
  });

  it("getKey passes custom request headers in both", async () => {
    const options = { requestOptions: { headers: { "x-ms-differential": "yes" } } };
    const run = await runBoth(
      vault,
      () => official.getKey("read-me", options),
      () => ours.getKey("read-me", options),
    );
    expectSameRequests(run);
    expect(run.officialRaw[0]!.headers["x-ms-differential"]).toBe("yes");
    expect(run.ourRaw[0]!.headers["x-ms-differential"]).toBe("yes");
  });

  it("an invalid key name: documented difference, ours refuses it before any request (GUIDE: client-side validation); the official sends it percent-encoded", async () => {
    // Both must reject rather than throw, so `client.getKey(bad).catch(...)` and `Promise.allSettled`
    // catch the error.
    const settle = (p: () => Promise<unknown>): Promise<{ rejected?: unknown; thrown?: unknown } | undefined> => {
      try {
        return p().then(
          () => undefined,
          (e: unknown) => ({ rejected: e }),
        );
      } catch (e) {
        return Promise.resolve({ thrown: e });
      }
    };
    const run = await runBoth(
      vault,
      () => settle(() => official.getKey("a b")),
      () => settle(() => ours.getKey("a b")),
    );
    expect(run.officialRequests.map((r) => r.path)).toEqual(["/keys/a%20b/"]);
    expect(run.official).toBeUndefined();
    expect(run.ourRaw).toEqual([]);
    // Like the official's errors, ours arrives as a rejected promise, never a synchronous throw.
    expect((run.ours as { thrown?: unknown }).thrown).toBeUndefined();
    const rejected = (run.ours as { rejected?: unknown }).rejected;
    expect(rejected).toBeInstanceOf(TypeError);
    expect((rejected as TypeError).message).toContain('Invalid name "a b"');
  });

  it("getDeletedKey: same request; ours = official + top-level deletedDate/scheduledPurgeDate/recoveryId", async () => {
    const run = await runBoth(
      vault,
      () => official.getDeletedKey("gone"),
      () => ours.getDeletedKey("gone"),
    );
    expectSameRequests(run);
    expectSameResult(run.official, run.ours, DELETED_KEY_EXTRAS);
    expect(run.ours.deletedDate).toEqual(run.official.properties.deletedOn);
    expect(run.ours.scheduledPurgeDate).toEqual(run.official.properties.scheduledPurgeDate);
    expect(run.ours.recoveryId).toBe(run.official.properties.recoveryId);
  });

  it("getKeyAttestation with version: same request, same key with attestation", async () => {
    const run = await runBoth(
      vault,
      () => official.getKeyAttestation("attested", { version: EC_VERSION }),
      () => ours.getKeyAttestation("attested", { version: EC_VERSION }),
    );
    expectSameRequests(run);
    expect(run.ourRequests[0]!.path).toBe(`/keys/attested/${EC_VERSION}/attestation`);
    expect(run.ours.properties.attestation?.version).toBe("1.0");
    expectSameResult(run.official, run.ours);
  });

  it("getKeyAttestation without version: same request (/keys/{name}/attestation), same result", async () => {
    const run = await runBoth(
      vault,
      () => official.getKeyAttestation("attested"),
      () => ours.getKeyAttestation("attested"),
    );
    expect(run.ourRequests[0]!.path).toBe("/keys/attested/attestation");
    expectSameRequests(run);
    expectSameResult(run.official, run.ours);
  });

  it("an error answer: both reject with a RestError with the same status, code and message", async () => {
    const settle = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => e,
      );
    const run = await runBoth(
      vault,
      () => settle(official.getKey(MISSING_KEY)),
      () => settle(ours.getKey(MISSING_KEY)),
    );
    expectSameRequests(run);
    const shape = (e: unknown) => {
      expect(e).toBeInstanceOf(RestError);
      const error = e as RestError;
      return { name: error.name, statusCode: error.statusCode, code: error.code, message: error.message };
    };
    expect(shape(run.ours)).toEqual(shape(run.official));
    expect(shape(run.ours)).toMatchObject({ statusCode: 404, code: "KeyNotFound" });
  });
});

describe("update", () => {
  it("updateKeyProperties with version and every option: same request, same key", async () => {
    const options = {
      keyOps: ["decrypt", "encrypt"],
      enabled: false,
      notBefore: new Date("2026-03-01T00:00:00Z"),
      expiresOn: new Date("2037-12-31T08:00:00Z"),
      tags: { foo: "updated tag" },
      releasePolicy: { ...releasePolicy, immutable: false },
    };
    const run = await runBoth(
      vault,
      () => official.updateKeyProperties("upd", EC_VERSION, options),
      () => ours.updateKeyProperties("upd", EC_VERSION, options),
    );
    expectSameRequests(run);
    expect(run.ourRequests[0]).toMatchObject({ method: "PATCH", path: `/keys/upd/${EC_VERSION}` });
    expectSameResult(run.official, run.ours);
  });

  it("updateKeyProperties without version (options only): PATCH /keys/{name}/, same key", async () => {
    const options = { tags: { only: "tags" }, enabled: true };
    const run = await runBoth(
      vault,
      () => official.updateKeyProperties("upd", options),
      () => ours.updateKeyProperties("upd", options),
    );
    expectSameRequests(run);
    expect(run.ourRequests[0]).toMatchObject({
      method: "PATCH",
      path: "/keys/upd/",
      body: { tags: { only: "tags" }, attributes: { enabled: true } },
    });
    expectSameResult(run.official, run.ours);
  });

  it("updateKeyProperties with nothing to change: same except the official's empty attributes object", async () => {
    const run = await runBoth(
      vault,
      () => official.updateKeyProperties("upd", EC_VERSION),
      () => ours.updateKeyProperties("upd", EC_VERSION),
    );
    expectSameRequestsExceptEmptyAttributes(run);
    expect(run.ourRequests[0]!.body).toEqual({});
    expectSameResult(run.official, run.ours);
  });
});

describe("purge, backup, restore", () => {
  it("purgeDeletedKey: same DELETE, both resolve to undefined", async () => {
    const run = await runBoth(
      vault,
      () => official.purgeDeletedKey("purge-me"),
      () => ours.purgeDeletedKey("purge-me"),
    );
    expectSameRequests(run);
    expect(run.ourRequests).toEqual([
      {
        method: "DELETE",
        path: "/deletedkeys/purge-me",
        query: { "api-version": "2025-07-01" },
        body: undefined,
        accept: "application/json",
        contentType: undefined,
      },
    ]);
    expect(run.ours).toBeUndefined();
    expect(run.official).toBeUndefined();
  });

  it("backupKey: same request, same bytes", async () => {
    const run = await runBoth(
      vault,
      () => official.backupKey("backed-up"),
      () => ours.backupKey("backed-up"),
    );
    expectSameRequests(run);
    expect(run.ours).toBeInstanceOf(Uint8Array);
    expect(normalize(run.ours)).toEqual(normalize(run.official));
    expect(Buffer.from(run.ours!).toString("base64url")).toBe(BACKUP_VALUE);
  });

  it("restoreKeyBackup: same base64url body, same key", async () => {
    const blob = b(BACKUP_VALUE);
    const run = await runBoth(
      vault,
      () => official.restoreKeyBackup(blob),
      () => ours.restoreKeyBackup(blob),
    );
    expectSameRequests(run);
    expect(run.ourRequests[0]!.body).toEqual({ value: BACKUP_VALUE });
    expectSameResult(run.official, run.ours);
  });
});

describe("rotation", () => {
  it("rotateKey: same request, same key", async () => {
    const run = await runBoth(
      vault,
      () => official.rotateKey("rotating"),
      () => ours.rotateKey("rotating"),
    );
    expectSameRequests(run);
    expect(run.ourRequests[0]).toMatchObject({ method: "POST", path: "/keys/rotating/rotate", body: undefined });
    expectSameResult(run.official, run.ours);
  });

  it("getKeyRotationPolicy: same request, same policy", async () => {
    const run = await runBoth(
      vault,
      () => official.getKeyRotationPolicy("rotating"),
      () => ours.getKeyRotationPolicy("rotating"),
    );
    expectSameRequests(run);
    expectSameResult(run.official, run.ours);
    expect(run.ours.lifetimeActions).toEqual([
      { action: "Rotate", timeAfterCreate: "P30D" },
      { action: "Notify", timeBeforeExpiry: "P30D" },
    ]);
  });

  it("getKeyRotationPolicy options: documented difference, the official ignores them (no custom header, no onResponse); ours honours them; all else equal", async () => {
    let officialResponses = 0;
    let ourResponses = 0;
    const options = (count: () => void) => ({
      requestOptions: { headers: { "x-ms-differential": "policy" } },
      onResponse: count,
    });
    const run = await runBoth(
      vault,
      () =>
        official.getKeyRotationPolicy(
          "rotating",
          options(() => officialResponses++),
        ),
      () =>
        ours.getKeyRotationPolicy(
          "rotating",
          options(() => ourResponses++),
        ),
    );
    expectSameRequests(run);
    expect(run.officialRaw[0]!.headers["x-ms-differential"]).toBeUndefined();
    expect(run.ourRaw[0]!.headers["x-ms-differential"]).toBe("policy");
    expect(officialResponses).toBe(0);
    expect(ourResponses).toBe(1);
    expectSameResult(run.official, run.ours);
  });

  it("updateKeyRotationPolicy with expiresIn: same request, same policy", async () => {
    const policy = {
      expiresIn: "P90D",
      lifetimeActions: [
        { action: "Rotate" as const, timeAfterCreate: "P30D" },
        { action: "Notify" as const, timeBeforeExpiry: "P7D" },
      ],
    };
    const run = await runBoth(
      vault,
      () => official.updateKeyRotationPolicy("rotating", policy),
      () => ours.updateKeyRotationPolicy("rotating", policy),
    );
    expectSameRequests(run);
    expect(run.ourRequests[0]!.body).toEqual({
      lifetimeActions: [
        { trigger: { timeAfterCreate: "P30D" }, action: { type: "Rotate" } },
        { trigger: { timeBeforeExpiry: "P7D" }, action: { type: "Notify" } },
      ],
      attributes: { expiryTime: "P90D" },
    });
    expectSameResult(run.official, run.ours);
  });

  it("updateKeyRotationPolicy without expiresIn: same except the official's empty attributes object; same policy", async () => {
    const policy = { lifetimeActions: [{ action: "Rotate" as const, timeBeforeExpiry: "P10D" }] };
    const run = await runBoth(
      vault,
      () => official.updateKeyRotationPolicy("rotating", policy),
      () => ours.updateKeyRotationPolicy("rotating", policy),
    );
    expectSameRequestsExceptEmptyAttributes(run);
    expectSameResult(run.official, run.ours);
  });
});

describe("random bytes and release", () => {
  it("getRandomBytes(100): same request, same bytes (go-7.5 answer)", async () => {
    const run = await runBoth(
      vault,
      () => official.getRandomBytes(100),
      () => ours.getRandomBytes(100),
    );
    expectSameRequests(run);
    expect(run.ourRequests[0]!.body).toEqual({ count: 100 });
    expect(run.ours).toBeInstanceOf(Uint8Array);
    expect(normalize(run.ours)).toEqual(normalize(run.official));
    expect(Buffer.from(run.ours).toString("base64url")).toBe(RANDOM_100);
  });

  it("getRandomBytes(16): same request, same bytes", async () => {
    const run = await runBoth(
      vault,
      () => official.getRandomBytes(16),
      () => ours.getRandomBytes(16),
    );
    expectSameRequests(run);
    expect(normalize(run.ours)).toEqual(normalize(run.official));
    expect(run.ours.length).toBe(16);
  });

  it("releaseKey with version, nonce and algorithm: same request, same result", async () => {
    const options = { version: EC_VERSION, nonce: "nonce-1", algorithm: "RSA_AES_KEY_WRAP_256" };
    const run = await runBoth(
      vault,
      () => official.releaseKey("exportable", "attestation-token", options),
      () => ours.releaseKey("exportable", "attestation-token", options),
    );
    expectSameRequests(run);
    expect(run.ourRequests[0]).toMatchObject({
      method: "POST",
      path: `/keys/exportable/${EC_VERSION}/release`,
      body: { target: "attestation-token", nonce: "nonce-1", enc: "RSA_AES_KEY_WRAP_256" },
    });
    expect(run.ours).toEqual(run.official);
    expect(run.ours).toEqual({ value: RELEASE_VALUE });
  });

  it("releaseKey without version: same request (/keys/{name}/release), same result", async () => {
    const run = await runBoth(
      vault,
      () => official.releaseKey("exportable", "attestation-token"),
      () => ours.releaseKey("exportable", "attestation-token"),
    );
    expect(run.ourRequests[0]!.path).toBe("/keys/exportable/release");
    expectSameRequests(run);
    expect(run.ourRequests[0]!.body).toEqual({ target: "attestation-token" });
    expect(run.ours).toEqual(run.official);
  });
});

describe("getCryptographyClient", () => {
  it("keyID without and with version is the same and sends no request", async () => {
    const run = await runBoth(
      vault,
      async () => [
        official.getCryptographyClient("crypto-key").keyID,
        official.getCryptographyClient("crypto-key", { keyVersion: EC_VERSION }).keyID,
      ],
      async () => [
        ours.getCryptographyClient("crypto-key").keyID,
        ours.getCryptographyClient("crypto-key", { keyVersion: EC_VERSION }).keyID,
      ],
    );
    expect(run.ours).toEqual(run.official);
    expect(run.official).toEqual([`${vault.url}/keys/crypto-key`, `${vault.url}/keys/crypto-key/${EC_VERSION}`]);
    expect(run.officialRaw).toEqual([]);
    expect(run.ourRaw).toEqual([]);
  });
});

/** A normalized value with every string equal to `value` replaced by a marker (used for the kty that differs). */
function without2(normalized: unknown, value: string): unknown {
  return JSON.parse(JSON.stringify(normalized).split(JSON.stringify(value)).join('"<kty>"'));
}
