/*
 * Defects of the official @azure/keyvault-keys 4.10.2 that this package must not have. Each test runs
 * the same scenario through the official client (asserting that it shows the defect, so the test is
 * known to be able to fail) and through ours (asserting that it does not).
 */
import { KeyClient as OfficialKeyClient } from "@azure/keyvault-keys";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KeyClient } from "../../src/index.js";
import type { AbortSignalLike } from "../../src/index.js";
import { FakeCredential } from "../helpers/fakeCredential.js";
import { FAST_RETRY, mockVault, resetNock, restoreNock, VAULT_URL } from "../helpers/mockVault.js";
import { deletedKeyBundle, deletedKeyNotFound, JSON_HEADERS, keyBundle, keyItem, rsaJwk } from "../helpers/wire.js";

beforeEach(resetNock);
afterEach(restoreNock);

function clients(
  url = VAULT_URL,
  options: { disableChallengeResourceVerification?: boolean } = {},
): {
  ours: KeyClient;
  official: OfficialKeyClient;
  oursCredential: FakeCredential;
  officialCredential: FakeCredential;
} {
  const oursCredential = new FakeCredential();
  const officialCredential = new FakeCredential();
  return {
    ours: new KeyClient(url, oursCredential, { retryOptions: FAST_RETRY, ...options }),
    official: new OfficialKeyClient(url, officialCredential, { retryOptions: FAST_RETRY, ...options }),
    oursCredential,
    officialCredential,
  };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

function deepFreeze<T>(value: T): T {
  if (
    value &&
    typeof value === "object" &&
    !(value instanceof Date) &&
    !(value instanceof AbortSignal) &&
    !ArrayBuffer.isView(value)
  ) {
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** A comparable picture of an options object: Dates as epoch ms, bytes as arrays, signals by identity. */
function snapshot(value: unknown): unknown {
  if (value instanceof Date) return { date: value.getTime() };
  if (value instanceof Uint8Array) return { bytes: Array.from(value) };
  if (value instanceof AbortSignal) return "AbortSignal";
  if (typeof value === "function") return "function";
  if (Array.isArray(value)) return value.map(snapshot);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, snapshot(v)]));
  return value;
}

describe("defects of @azure/keyvault-keys 4.10.2 that ours does not have", () => {
  it("createRsaKey sends publicExponent (official: never sent)", async () => {
    const vault = mockVault();
    vault.scope
      .post("/keys/rsa/create")
      .query(true)
      .times(2)
      .reply(200, keyBundle("rsa", { key: rsaJwk("rsa") }));
    const { ours, official } = clients();
    await official.createRsaKey("rsa", { keySize: 2048, publicExponent: 3 });
    expect(vault.last().body).not.toHaveProperty("public_exponent");
    await ours.createRsaKey("rsa", { keySize: 2048, publicExponent: 3 });
    expect(vault.last().body).toEqual({ kty: "RSA", key_size: 2048, public_exponent: 3 });
  });

  it("createKey honours hsm: true (official: ignores it)", async () => {
    const vault = mockVault();
    vault.scope
      .post("/keys/k/create")
      .query(true)
      .times(2)
      .reply(200, keyBundle("k", { key: rsaJwk("k") }));
    const { ours, official } = clients();
    await official.createKey("k", "RSA", { hsm: true });
    expect(vault.last().body).toMatchObject({ kty: "RSA" });
    await ours.createKey("k", "RSA", { hsm: true });
    expect(vault.last().body).toEqual({ kty: "RSA-HSM" });
  });

  it("sends nbf/exp after 2038-01-19 as exact epoch seconds (official: 32-bit overflow)", async () => {
    const vault = mockVault();
    vault.scope.post("/keys/k/create").query(true).times(2).reply(200, keyBundle("k"));
    const { ours, official } = clients();
    const notBefore = new Date("2099-12-31T00:00:00Z");
    const expiresOn = new Date("2100-01-01T00:00:00Z");
    await official.createKey("k", "EC", { notBefore, expiresOn });
    const officialAttributes = (vault.last().body as { attributes: { exp: number } }).attributes;
    expect(officialAttributes.exp).not.toBe(4102444800);
    expect(officialAttributes.exp).toBeLessThan(0);
    await ours.createKey("k", "EC", { notBefore, expiresOn });
    expect((vault.last().body as { attributes: unknown }).attributes).toEqual({ nbf: 4102358400, exp: 4102444800 });
  });

  it("list items keep exportable (official: dropped)", async () => {
    const vault = mockVault();
    vault.scope
      .get("/keys")
      .query(true)
      .times(2)
      .reply(200, { value: [keyItem("k", undefined, { exportable: true })], nextLink: null });
    const { ours, official } = clients();
    for await (const item of official.listPropertiesOfKeys()) expect(item.exportable).toBeUndefined();
    let seen = 0;
    for await (const item of ours.listPropertiesOfKeys()) {
      expect(item.exportable).toBe(true);
      seen++;
    }
    expect(seen).toBe(1);
  });

  it("pages carry continuationToken, and later pages keep the abort signal and headers (official: neither)", async () => {
    const vault = mockVault();
    const page2 = `${VAULT_URL}:443/keys?api-version=2025-07-01&$skiptoken=p2`;
    const servePages = () => {
      vault.scope
        .get("/keys")
        .query((q) => !("$skiptoken" in q))
        .reply(200, { value: [keyItem("a")], nextLink: page2 });
      vault.scope
        .get("/keys")
        .query((q) => q["$skiptoken"] === "p2")
        .reply(200, { value: [keyItem("b")], nextLink: null });
    };
    // Records the abort signal each page request carries.
    const signals: Array<AbortSignalLike | undefined> = [];
    const recorder: PipelinePolicy = {
      name: "signalRecorder",
      sendRequest(request, next) {
        signals.push(request.abortSignal);
        return next(request);
      },
    };
    const credential = new FakeCredential();
    const additionalPolicies = [{ policy: recorder, position: "perCall" as const }];
    const ours = new KeyClient(VAULT_URL, credential, { retryOptions: FAST_RETRY, additionalPolicies });
    const official = new OfficialKeyClient(VAULT_URL, credential, { retryOptions: FAST_RETRY, additionalPolicies });
    const controller = new AbortController();
    const options = { requestOptions: { headers: { "x-custom-header": "v" } }, abortSignal: controller.signal };

    servePages();
    const officialPages = [];
    for await (const page of official.listPropertiesOfKeys(options).byPage()) officialPages.push(page);
    expect(officialPages).toHaveLength(2);
    expect((officialPages[0] as { continuationToken?: string }).continuationToken).toBeUndefined();
    const officialRequests = vault.authorized();
    expect(officialRequests[0]!.headers["x-custom-header"]).toBe("v");
    expect(officialRequests[1]!.headers["x-custom-header"]).toBeUndefined();
    const officialSignals = [...signals];

    servePages();
    signals.length = 0;
    const before = vault.authorized().length;
    const ourPages = [];
    for await (const page of ours.listPropertiesOfKeys(options).byPage()) ourPages.push(page);
    expect(ourPages[0]!.continuationToken).toBe(page2);
    const ourRequests = vault.authorized().slice(before);
    expect(ourRequests).toHaveLength(2);
    for (const request of ourRequests) expect(request.headers["x-custom-header"]).toBe("v");

    controller.abort();
    expect(officialSignals).toHaveLength(2);
    expect(officialSignals[0]?.aborted).toBe(true);
    expect(officialSignals[1]?.aborted ?? false).toBe(false);
    expect(signals).toHaveLength(2);
    for (const signal of signals) expect(signal?.aborted).toBe(true);
  });

  it("getKeyRotationPolicy passes its options to the request (official: ignores them)", async () => {
    const vault = mockVault();
    const policy = {
      id: `${VAULT_URL}/keys/k/rotationpolicy`,
      lifetimeActions: [],
      attributes: { expiryTime: "P90D" },
    };
    vault.scope.get("/keys/k/rotationpolicy").query(true).times(2).reply(200, policy);
    const { ours, official } = clients();
    let officialResponses = 0;
    await official.getKeyRotationPolicy("k", {
      requestOptions: { headers: { "x-custom-header": "v" } },
      onResponse: () => officialResponses++,
    });
    expect(vault.last().headers["x-custom-header"]).toBeUndefined();
    expect(officialResponses).toBe(0);
    let ourResponses = 0;
    await ours.getKeyRotationPolicy("k", {
      requestOptions: { headers: { "x-custom-header": "v" } },
      onResponse: () => ourResponses++,
    });
    expect(vault.last().headers["x-custom-header"]).toBe("v");
    expect(ourResponses).toBe(1);
  });

  it("an empty error body gives a RestError (official: TypeError)", async () => {
    const vault = mockVault();
    vault.scope
      .get(/\/keys\/k\/?$/)
      .query(true)
      .times(2)
      .reply(404, "", JSON_HEADERS);
    const { ours, official } = clients();
    const officialError = await errorOf(official.getKey("k"));
    expect(officialError).toBeInstanceOf(TypeError);
    const ourError = await errorOf(ours.getKey("k"));
    expect(ourError).not.toBeInstanceOf(TypeError);
    expect(ourError).toMatchObject({ name: "RestError", statusCode: 404 });
  });

  it("a request that is never challenged still reaches the server with its body (official: body lost)", async () => {
    const bodies: string[] = [];
    nock(VAULT_URL)
      .persist()
      .post("/keys/k/create")
      .query(true)
      .reply(200, function (_uri, body) {
        bodies.push(typeof body === "string" ? body : JSON.stringify(body));
        return keyBundle("k");
      });
    const { ours, official } = clients();
    await official.createKey("k", "EC", { curve: "P-384" });
    expect(bodies.every((b) => b === "")).toBe(true);
    bodies.length = 0;
    await ours.createKey("k", "EC", { curve: "P-384" });
    expect(bodies[bodies.length - 1]).toBe(JSON.stringify({ kty: "EC", crv: "P-384" }));
  });

  it("the challenge parser reads authorization_uri, unquoted values and mixed case (official: ignores them)", async () => {
    const vault = mockVault({
      challenge:
        "Bearer Authorization_Uri=https://login.microsoftonline.com/tenant-x, Resource=https://vault.azure.net",
    });
    vault.scope
      .get(/\/keys\/k\/?$/)
      .query(true)
      .reply(200, keyBundle("k"));
    const { ours, official, oursCredential, officialCredential } = clients();
    await expect(official.getKey("k")).rejects.toMatchObject({ statusCode: 401 });
    expect(officialCredential.calls).toHaveLength(0);
    await ours.getKey("k");
    expect(oursCredential.calls).toEqual([
      { scopes: ["https://vault.azure.net/.default"], tenantId: "tenant-x", enableCae: true },
    ]);
  });

  it("the resource check passes when the vault host equals the resource host (official: fails)", async () => {
    const url = "https://keys.contoso.com";
    const vault = mockVault({
      url,
      challenge: `Bearer authorization="https://login.microsoftonline.com/t", resource="${url}"`,
    });
    vault.scope
      .get(/\/keys\/k\/?$/)
      .query(true)
      .reply(200, keyBundle("k"));
    const { ours, official } = clients(url);
    await expect(official.getKey("k")).rejects.toThrow(/does not match/);
    await expect(ours.getKey("k")).resolves.toMatchObject({ name: "k" });
  });

  it("onProgress fires while polling (official: never)", async () => {
    const vault = mockVault();
    vault.scope.delete("/keys/k").query(true).times(2).reply(200, deletedKeyBundle("k"));
    vault.scope.get("/deletedkeys/k").query(true).reply(404, deletedKeyNotFound("k"), JSON_HEADERS);
    vault.scope.get("/deletedkeys/k").query(true).reply(200, deletedKeyBundle("k"));
    vault.scope.get("/deletedkeys/k").query(true).reply(404, deletedKeyNotFound("k"), JSON_HEADERS);
    vault.scope.get("/deletedkeys/k").query(true).reply(200, deletedKeyBundle("k"));
    const { ours, official } = clients();
    let officialProgress = 0;
    const officialPoller = await official.beginDeleteKey("k", { intervalInMs: 1 });
    officialPoller.onProgress(() => officialProgress++);
    await officialPoller.pollUntilDone();
    expect(officialProgress).toBe(0);
    let ourProgress = 0;
    const ourPoller = await ours.beginDeleteKey("k", { intervalInMs: 1 });
    ourPoller.onProgress(() => ourProgress++);
    await ourPoller.pollUntilDone();
    expect(ourProgress).toBeGreaterThanOrEqual(2);
  });

  it("a resumed poller's result has Dates (official: strings)", async () => {
    const vault = mockVault();
    vault.scope.delete("/keys/k").query(true).times(2).reply(200, deletedKeyBundle("k"));
    // The official client polls once in beginDeleteKey and once more when resumed.
    vault.scope.get("/deletedkeys/k").query(true).times(2).reply(404, deletedKeyNotFound("k"), JSON_HEADERS);
    const { ours, official } = clients();
    const officialPoller = await official.beginDeleteKey("k", { intervalInMs: 1 });
    const officialResumed = await official.beginDeleteKey("k", {
      resumeFrom: officialPoller.toString(),
      intervalInMs: 1,
    });
    expect(typeof officialResumed.getOperationState().result?.properties.deletedOn).toBe("string");
    const ourPoller = await ours.beginDeleteKey("k", { intervalInMs: 1 });
    const ourResumed = await ours.beginDeleteKey("k", { resumeFrom: ourPoller.toString(), intervalInMs: 1 });
    const result = ourResumed.getOperationState().result!;
    expect(result.properties.deletedOn).toBeInstanceOf(Date);
    expect(result.properties.createdOn).toBeInstanceOf(Date);
    expect(result.scheduledPurgeDate).toBeInstanceOf(Date);
  });

  it("never mutates the caller's options (official: the poller writes abortSignal into them)", async () => {
    const vault = mockVault();
    vault.scope.delete("/keys/k").query(true).times(2).reply(200, deletedKeyBundle("k"));
    // Official: DELETE and a first GET (404) in beginDeleteKey, then a GET in pollUntilDone. Ours: DELETE, then a GET.
    vault.scope.get("/deletedkeys/k").query(true).reply(404, deletedKeyNotFound("k"), JSON_HEADERS);
    vault.scope.get("/deletedkeys/k").query(true).times(2).reply(200, deletedKeyBundle("k"));
    const { ours, official } = clients();

    const officialOptions: { intervalInMs: number; abortSignal?: AbortSignal } = { intervalInMs: 1 };
    const officialPoller = await official.beginDeleteKey("k", officialOptions);
    await officialPoller.pollUntilDone({ abortSignal: new AbortController().signal });
    expect(officialOptions.abortSignal).toBeDefined();

    const ourOptions = deepFreeze({ intervalInMs: 1, requestOptions: { headers: { "x-a": "1" } }, tracingOptions: {} });
    const before = snapshot(ourOptions);
    const ourPoller = await ours.beginDeleteKey("k", ourOptions);
    await ourPoller.pollUntilDone({ abortSignal: new AbortController().signal });
    expect(snapshot(ourOptions)).toEqual(before);
  });

  it("never mutates frozen options of create, update, import, list and get calls", async () => {
    const vault = mockVault();
    vault.scope.post("/keys/k/create").query(true).reply(200, keyBundle("k"));
    vault.scope.patch("/keys/k/").query(true).reply(200, keyBundle("k"));
    vault.scope.put("/keys/k").query(true).reply(200, keyBundle("k"));
    vault.scope.get("/keys/k/").query(true).reply(200, keyBundle("k"));
    vault.scope
      .get("/keys")
      .query(true)
      .reply(200, { value: [keyItem("k")], nextLink: null });
    vault.scope.put("/keys/k/rotationpolicy").query(true).reply(200, { lifetimeActions: [] });
    const { ours } = clients();
    const controller = new AbortController();
    const createOptions = deepFreeze({
      tags: { a: "b" },
      keyOps: ["sign" as const],
      notBefore: new Date("2030-01-01T00:00:00Z"),
      expiresOn: new Date("2100-01-01T00:00:00Z"),
      releasePolicy: { encodedPolicy: new Uint8Array([1, 2]), immutable: false },
      requestOptions: { headers: { "x-a": "1" }, timeout: 10_000 },
      abortSignal: controller.signal,
      onResponse: () => undefined,
    });
    const updateOptions = deepFreeze({
      tags: { c: "d" },
      keyOps: ["verify" as const],
      enabled: false,
      requestOptions: { headers: { "x-b": "2" } },
    });
    const jwk = deepFreeze({ kty: "oct", keyOps: ["encrypt"], k: new Uint8Array([9, 9]) });
    const importOptions = deepFreeze({ tags: { e: "f" }, hardwareProtected: false });
    const getOptions = deepFreeze({ requestOptions: { headers: { "x-c": "3" } }, tracingOptions: {} });
    const listOptions = deepFreeze({ requestOptions: { headers: { "x-d": "4" } } });
    const policy = deepFreeze({
      expiresIn: "P90D",
      lifetimeActions: [{ action: "Rotate" as const, timeAfterCreate: "P30D" }],
    });
    const all = { createOptions, updateOptions, jwk, importOptions, getOptions, listOptions, policy };
    const before = snapshot(all);

    await ours.createKey("k", "EC", createOptions);
    await ours.updateKeyProperties("k", updateOptions);
    await ours.importKey("k", jwk, importOptions);
    await ours.getKey("k", getOptions);
    for await (const page of ours.listPropertiesOfKeys(listOptions).byPage({ maxPageSize: 5 }))
      expect(page).toHaveLength(1);
    await ours.updateKeyRotationPolicy("k", policy);
    expect(snapshot(all)).toEqual(before);
  });
});
