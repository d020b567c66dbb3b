import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { startTestEmulator, uniqueName, type EmulatorTestClient } from "../helpers/emulatorTestClient.js";
import { generateTestKeyPair } from "../helpers/cryptographyKeys.js";

let emulator: RunningEmulator;
let client: EmulatorTestClient;

beforeAll(async () => {
  ({ emulator, client } = await startTestEmulator({ recoverableDays: 7 }));
});
afterAll(async () => {
  await emulator.close();
});

const privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k"];

describe("create", () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ["RSA default", { kty: "RSA" }, { kty: "RSA", key_size: 2048 }],
    ["RSA 3072 e=3", { kty: "RSA", key_size: 3072, public_exponent: 3 }, { kty: "RSA", key_size: 3072, e: "Aw" }],
    ["RSA-HSM 4096", { kty: "RSA-HSM", key_size: 4096 }, { kty: "RSA-HSM", key_size: 4096 }],
    ["EC default", { kty: "EC" }, { kty: "EC", crv: "P-256" }],
    ["EC P-256K", { kty: "EC", crv: "P-256K" }, { kty: "EC", crv: "P-256K" }],
    ["EC P-384", { kty: "EC", crv: "P-384" }, { kty: "EC", crv: "P-384" }],
    ["EC-HSM P-521", { kty: "EC-HSM", crv: "P-521" }, { kty: "EC-HSM", crv: "P-521" }],
    ["oct default", { kty: "oct" }, { kty: "oct" }],
    ["oct-HSM 128", { kty: "oct-HSM", key_size: 128 }, { kty: "oct-HSM" }],
  ];
  for (const [label, request, expected] of cases) {
    it(`creates ${label} with the recorded shape and no private members`, async () => {
      const name = uniqueName("create");
      const response = await client.createKey(name, request);
      expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(response.headers["x-ms-keyvault-service-version"]).toBeDefined();
      expect(response.headers["x-ms-request-id"]).toBeDefined();
      const { key, attributes } = response.body;
      expect(key.kid).toMatch(new RegExp(`^${emulator.url}/keys/${name}/[0-9a-f]{32}$`));
      expect(key.kty).toBe(expected.kty);
      if (expected.crv) expect(key.crv).toBe(expected.crv);
      if (expected.e) expect(key.e).toBe(expected.e);
      if (expected.key_size) expect(attributes.key_size).toBe(expected.key_size);
      for (const member of privateMembers) expect(key[member]).toBeUndefined();
      expect(attributes).toMatchObject({
        enabled: true,
        recoveryLevel: "CustomizedRecoverable+Purgeable",
        recoverableDays: 7,
        exportable: false,
        hsmPlatform: String(expected.kty).endsWith("-HSM") ? "2" : "0",
      });
      expect(Number.isInteger(attributes.created)).toBe(true);
      expect(attributes.nbf).toBeUndefined();
    });
  }

  it("answers 400 BadParameter for bad input", async () => {
    const bad: Array<[string, unknown]> = [
      ["bad_name!", { kty: "RSA" }],
      ["ok", { kty: "DSA" }],
      ["ok", { kty: "RSA", key_size: 1024 }],
      ["ok", { kty: "EC", crv: "P-192" }],
      ["ok", { kty: "oct", key_size: 512 }],
      ["ok", { kty: "RSA", key_ops: ["fly"] }],
      ["ok", { kty: "RSA", attributes: { enabled: "yes" } }],
      ["ok", { kty: "RSA", tags: { a: 1 } }],
      ["ok", { kty: "RSA", attributes: { exportable: true } }],
      ["ok", []],
      ["ok", undefined],
    ];
    for (const [name, body] of bad) {
      const response = await client.post(`/keys/${name}/create`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe("BadParameter");
      expect(response.body.error.message.length).toBeGreaterThan(10);
    }
    const notJson = await client.post("/keys/ok/create", undefined, { rawBody: "{kty:" });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toMatch(/JSON/);
    const tooLong = await client.post(`/keys/${"a".repeat(128)}/create`, { kty: "EC" });
    expect(tooLong.status).toBe(400);
    expect((await client.get("/keys/ok")).status).toBe(404);
  });

  it("makes one version per concurrent create of the same name", async () => {
    const name = uniqueName("concurrent");
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => client.post(`/keys/${name}/create`, { kty: "EC" })),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const kids = new Set(responses.map((response) => response.body.key.kid));
    expect(kids.size).toBe(20);
    const versions = await client.get(`/keys/${name}/versions`);
    expect(versions.body.value.map((item: { kid: string }) => item.kid).sort()).toEqual([...kids].sort());
  });
});

describe("get, update, import", () => {
  it("gets latest (with or without trailing slash) and by version, and updates attributes, key_ops and tags", async () => {
    const name = uniqueName("crud");
    const first = await client.createKey(name, { kty: "RSA", tags: { purpose: "test" } });
    const second = await client.createKey(name, { kty: "RSA" });
    expect((await client.get(`/keys/${name}`)).body.key.kid).toBe(second.body.key.kid);
    expect((await client.get(`/keys/${name}/`)).body.key.kid).toBe(second.body.key.kid);
    const byVersion = await client.get(new URL(first.body.key.kid).pathname);
    expect(byVersion.body).toEqual(first.body);

    const exp = 2524723200;
    const updated = await client.request("PATCH", `/keys/${name}/`, {
      key_ops: ["decrypt", "encrypt"],
      attributes: { exp, enabled: false },
      tags: { foo: "updated" },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.key.key_ops).toEqual(["decrypt", "encrypt"]);
    expect(updated.body.attributes).toMatchObject({ exp, enabled: false });
    expect(updated.body.tags).toEqual({ foo: "updated" });
    expect(updated.body.key.n).toBe(second.body.key.n);

    const firstVersion = new URL(first.body.key.kid).pathname;
    const patchedOld = await client.request("PATCH", firstVersion, { tags: { old: "yes" } });
    expect(patchedOld.body.tags).toEqual({ old: "yes" });
    expect((await client.get(`/keys/${name}`)).body.tags).toEqual({ foo: "updated" });

    const badUpdate = await client.request("PATCH", `/keys/${name}/`, { attributes: { nbf: "soon" } });
    expect(badUpdate.status).toBe(400);
    expect((await client.get(`/keys/${name}`)).body.attributes.enabled).toBe(false); // nothing lost
  });

  it("answers 404 KeyNotFound with the service's messages", async () => {
    const missing = await client.get("/keys/does-not-exist");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("KeyNotFound");
    expect(missing.body.error.message).toMatch(
      /^A key with \(name\/id\) does-not-exist was not found in this key vault\. If you recently deleted/,
    );
    const name = uniqueName("exists");
    await client.createKey(name, { kty: "EC" });
    const badVersion = await client.get(`/keys/${name}/00000000000000000000000000000000`);
    expect(badVersion.status).toBe(404);
    expect(badVersion.body.error.message).toContain(`${name}/00000000000000000000000000000000`);
  });

  it("imports RSA, EC and oct keys, marks hsm imports, and rejects invalid JWKs", async () => {
    const { randomBytes } = await import("node:crypto");
    const rsa = generateTestKeyPair("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
    const ec = generateTestKeyPair("ec", { namedCurve: "P-384" }).privateKey.export({ format: "jwk" });
    const rsaName = uniqueName("import-rsa");
    const imported = await client.request("PUT", `/keys/${rsaName}`, { key: rsa, hsm: true, tags: { a: "b" } });
    expect(imported.status).toBe(200);
    expect(imported.body.key).toMatchObject({
      kty: "RSA-HSM",
      n: rsa.n,
      e: rsa.e,
      key_ops: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
    });
    expect(imported.body.key.d).toBeUndefined();
    expect(imported.body.tags).toEqual({ a: "b" });
    const ecImport = await client.request("PUT", `/keys/${uniqueName("import-ec")}`, {
      key: { ...ec, key_ops: ["sign"] },
    });
    expect(ecImport.body.key).toMatchObject({ kty: "EC", crv: "P-384", x: ec.x, y: ec.y, key_ops: ["sign"] });
    const octImport = await client.request("PUT", `/keys/${uniqueName("import-oct")}`, {
      key: { kty: "oct-HSM", k: randomBytes(32).toString("base64url") },
    });
    expect(octImport.body.key.kty).toBe("oct-HSM");
    expect(octImport.body.key.k).toBeUndefined();

    const invalid: unknown[] = [
      { key: { kty: "RSA", n: rsa.n, e: rsa.e } },
      { key: { ...ec, x: rsa.e } },
      { key: { ...ec, crv: "P-999" } },
      { key: { kty: "oct", k: randomBytes(10).toString("base64url") } },
      { key: { kty: "RSA", n: "***", e: "AQAB" } },
      { key: "not an object" },
      {},
    ];
    for (const body of invalid) {
      const response = await client.request("PUT", `/keys/${uniqueName("invalid")}`, body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.body.error.code).toBe("BadParameter");
    }
  });
});

describe("soft delete", () => {
  it("deletes, lists deleted, refuses reuse with 409, recovers every version, deletes again and purges", async () => {
    const name = uniqueName("softdel");
    const v1 = await client.createKey(name, { kty: "EC", tags: { t: "1" } });
    const v2 = await client.createKey(name, { kty: "EC" });
    const deleted = await client.request("DELETE", `/keys/${name}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.recoveryId).toBe(`${emulator.url}/deletedkeys/${name}`);
    expect(deleted.body.scheduledPurgeDate - deleted.body.deletedDate).toBe(7 * 86400);
    expect(deleted.body.key.kid).toBe(v2.body.key.kid);
    expect((await client.get(`/keys/${name}`)).status).toBe(404);
    expect((await client.request("DELETE", `/keys/${name}`)).status).toBe(404);
    const listed = await client.get("/keys");
    expect(listed.body.value.some((item: { kid: string }) => item.kid.endsWith(`/${name}`))).toBe(false);

    // Deletion takes a moment, as on the service: poll the deleted key as the clients' pollers do.
    const got = await client.pollUntil(`/deletedkeys/${name}`, 200);
    expect(got.body).toEqual(deleted.body);
    const deletedList = await client.get("/deletedkeys");
    const item = deletedList.body.value.find((entry: { recoveryId: string }) => entry.recoveryId.endsWith(`/${name}`));
    expect(item).toMatchObject({ kid: `${emulator.url}/keys/${name}`, deletedDate: deleted.body.deletedDate });

    for (const attempt of [
      client.post(`/keys/${name}/create`, { kty: "EC" }),
      client.request("PUT", `/keys/${name}`, { key: { kty: "oct", k: Buffer.alloc(32).toString("base64url") } }),
    ]) {
      const conflict = await attempt;
      expect(conflict.status).toBe(409);
      expect(conflict.body.error).toEqual({
        code: "Conflict",
        message: `Key ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the key can only be recovered or purged.`,
        innererror: { code: "ObjectIsDeletedButRecoverable" },
      });
    }

    const recovered = await client.post(`/deletedkeys/${name}/recover`);
    expect(recovered.status).toBe(200);
    expect(recovered.body.key.kid).toBe(v2.body.key.kid);
    await client.pollUntil(new URL(v2.body.key.kid).pathname, 200);
    expect((await client.get(new URL(v1.body.key.kid).pathname)).body.tags).toEqual({ t: "1" });
    expect((await client.get(`/keys/${name}/versions`)).body.value).toHaveLength(2);
    expect((await client.get(`/deletedkeys/${name}`)).status).toBe(404);

    await client.request("DELETE", `/keys/${name}`);
    await client.pollUntil(`/deletedkeys/${name}`, 200);
    const purged = await client.request("DELETE", `/deletedkeys/${name}`);
    expect(purged.status).toBe(204);
    expect(purged.text).toBe("");
    expect(purged.headers["content-type"]).toBeUndefined();
    const gone = await client.get(`/deletedkeys/${name}`);
    expect(gone.body.error).toEqual({ code: "KeyNotFound", message: `Deleted Key not found: ${name}` });
    expect((await client.post(`/deletedkeys/${name}/recover`)).status).toBe(404);
    expect((await client.retryWhileBeingDeleted("POST", `/keys/${name}/create`, { kty: "EC" })).status).toBe(200);
  });
});

describe("protocol errors", () => {
  it("answers 400 for a missing or unknown api-version and accepts every supported one", async () => {
    const missing = await client.get("/keys?api-version=");
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe("BadParameter");
    const unknown = await client.get("/keys?api-version=1999-01-01");
    expect(unknown.status).toBe(400);
    for (const version of ["7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "2025-07-01"]) {
      expect((await client.get(`/keys?maxresults=1&api-version=${version}`)).status, version).toBe(200);
    }
  });

  it("answers unknown routes with 404 and wrong methods with 405 in the error shape", async () => {
    const route = await client.get("/secrets");
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe("NotFound");
    const method = await client.request("DELETE", "/keys");
    expect(method.status).toBe(405);
    expect(method.body.error.code).toBe("MethodNotAllowed");
  });

  it("answers 413 for a body over 1 MiB", async () => {
    const response = await client.post("/keys/big/create", undefined, {
      rawBody: JSON.stringify({ kty: "EC", tags: { a: "x".repeat(1024 * 1024 + 10) } }),
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe("RequestEntityTooLarge");
  });

  it("answers random bytes for counts 1..128 and 400 otherwise, also at //rng", async () => {
    const response = await client.post("/rng", { count: 100 });
    expect(Buffer.from(response.body.value, "base64url")).toHaveLength(100);
    expect((await client.post("//rng", { count: 1 })).status).toBe(200);
    for (const count of [0, 129, 1.5, "3"]) expect((await client.post("/rng", { count })).status).toBe(400);
  });
});
