import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiVersion, createTestClient, mockVault, resetNock, restoreNock } from "../helpers/mockVault.js";
import {
  deletedKeyBundle,
  deletedKeyNotFound,
  JSON_HEADERS,
  keyBundle,
  keyNotFound,
  VERSION,
} from "../helpers/wire.js";
import { expectDeletedKeyMatchesWire, expectKeyMatchesWire } from "../helpers/wireAssertions.js";

beforeEach(resetNock);
afterEach(restoreNock);

describe("beginDeleteKey", () => {
  it("DELETEs, then polls GET /deletedkeys/{name} through 404 until 200; onProgress fires; real Dates", async () => {
    const vault = mockVault();
    const deletedAnswer = deletedKeyBundle("k");
    vault.scope.delete("/keys/k").query(apiVersion()).reply(200, deletedAnswer);
    vault.scope.get("/deletedkeys/k").query(apiVersion()).times(2).reply(404, deletedKeyNotFound("k"), JSON_HEADERS);
    vault.scope.get("/deletedkeys/k").query(apiVersion()).reply(200, deletedAnswer);
    const { client } = createTestClient();

    const poller = await client.beginDeleteKey("k", { intervalInMs: 1 });
    expect(vault.authorized().map((r) => `${r.method} ${r.path}`)).toEqual(["DELETE /keys/k"]);
    expect(poller.isDone()).toBe(false);
    const progress: boolean[] = [];
    poller.onProgress((state) => progress.push(Boolean(state.isCompleted)));

    const deleted = await poller.pollUntilDone();
    expect(vault.authorized().map((r) => `${r.method} ${r.path}`)).toEqual([
      "DELETE /keys/k",
      "GET /deletedkeys/k",
      "GET /deletedkeys/k",
      "GET /deletedkeys/k",
    ]);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress[progress.length - 1]).toBe(true);
    expect(poller.isDone()).toBe(true);
    expectDeletedKeyMatchesWire(deleted, deletedAnswer);
    expect(deleted.properties.deletedOn).toBeInstanceOf(Date);
    expect(deleted.scheduledPurgeDate).toBeInstanceOf(Date);
    expect(poller.getResult()).toBe(deleted);
    expect(vault.scope.isDone()).toBe(true);
  });

  it("counts a 403 on the deleted key as done (no permission to read deleted keys)", async () => {
    const vault = mockVault();
    const deletedAnswer = deletedKeyBundle("k");
    vault.scope.delete("/keys/k").query(apiVersion()).reply(200, deletedAnswer);
    vault.scope
      .get("/deletedkeys/k")
      .query(apiVersion())
      .reply(403, { error: { code: "Forbidden", message: "no get on deleted keys" } }, JSON_HEADERS);
    const { client } = createTestClient();
    const poller = await client.beginDeleteKey("k", { intervalInMs: 1 });
    const deleted = await poller.pollUntilDone();
    expect(poller.isDone()).toBe(true);
    expectDeletedKeyMatchesWire(deleted, deletedAnswer);
    expect(vault.scope.isDone()).toBe(true);
  });

  it("throws other errors while polling", async () => {
    const vault = mockVault();
    vault.scope.delete("/keys/k").query(apiVersion()).reply(200, deletedKeyBundle("k"));
    vault.scope
      .get("/deletedkeys/k")
      .query(apiVersion())
      .reply(400, { error: { code: "BadParameter", message: "nope" } }, JSON_HEADERS);
    const { client } = createTestClient();
    const poller = await client.beginDeleteKey("k", { intervalInMs: 1 });
    await expect(poller.pollUntilDone()).rejects.toMatchObject({ statusCode: 400, code: "BadParameter" });
    // As the official client's: the error in the state, the operation completed.
    expect(poller.getOperationState()).toMatchObject({ name: "k", isCompleted: true, error: { code: "BadParameter" } });
  });

  it("is done at once without polling when the vault has no soft delete (no recoveryId)", async () => {
    const vault = mockVault();
    const deletedAnswer = deletedKeyBundle("k", { recoveryId: null });
    vault.scope.delete("/keys/k").query(apiVersion()).reply(200, deletedAnswer);
    const { client } = createTestClient();
    const poller = await client.beginDeleteKey("k", { intervalInMs: 1 });
    expect(poller.isDone()).toBe(true);
    const deleted = await poller.pollUntilDone();
    expect(deleted.recoveryId).toBeUndefined();
    expect(deleted.name).toBe("k");
    expect(vault.authorized()).toHaveLength(1);
  });

  it("fails at once when the key does not exist", async () => {
    const vault = mockVault();
    vault.scope.delete("/keys/missing").query(apiVersion()).reply(404, keyNotFound("missing"), JSON_HEADERS);
    const { client } = createTestClient();
    await expect(client.beginDeleteKey("missing")).rejects.toMatchObject({ statusCode: 404, code: "KeyNotFound" });
  });

  it("toString() then resumeFrom gives a poller whose result has real Dates", async () => {
    const vault = mockVault();
    const deletedAnswer = deletedKeyBundle("k");
    vault.scope.delete("/keys/k").query(apiVersion()).reply(200, deletedAnswer);
    vault.scope.get("/deletedkeys/k").query(apiVersion()).reply(404, deletedKeyNotFound("k"), JSON_HEADERS);
    vault.scope.get("/deletedkeys/k").query(apiVersion()).reply(200, deletedAnswer);
    const { client } = createTestClient();
    const first = await client.beginDeleteKey("k", { intervalInMs: 1 });
    const serialized = first.toString();
    expect(typeof serialized).toBe("string");

    const resumed = await client.beginDeleteKey("k", { resumeFrom: serialized, intervalInMs: 1 });
    const before = resumed.getOperationState().result;
    expect(before?.properties.deletedOn).toBeInstanceOf(Date);
    const deleted = await resumed.pollUntilDone();
    expectDeletedKeyMatchesWire(deleted, deletedAnswer);
    expect(deleted.deletedDate).toBeInstanceOf(Date);
    expect(deleted.properties.createdOn).toBeInstanceOf(Date);

    // A completed poller serializes and resumes as completed, without a request.
    const again = await client.beginDeleteKey("k", { resumeFrom: resumed.toString(), intervalInMs: 1 });
    expect(again.isDone()).toBe(true);
    expect(again.getResult()?.scheduledPurgeDate).toBeInstanceOf(Date);
    expect(vault.scope.isDone()).toBe(true);
  });

  it("stops waiting between polls when aborted", async () => {
    const vault = mockVault();
    vault.scope.delete("/keys/k").query(apiVersion()).reply(200, deletedKeyBundle("k"));
    vault.scope.get("/deletedkeys/k").query(apiVersion()).reply(404, deletedKeyNotFound("k"), JSON_HEADERS);
    const { client } = createTestClient();
    const controller = new AbortController();
    // A long interval: the test only ends quickly if the abort interrupts the wait.
    const poller = await client.beginDeleteKey("k", { intervalInMs: 60_000 });
    poller.onProgress(() => controller.abort());
    await expect(poller.pollUntilDone({ abortSignal: controller.signal })).rejects.toThrow(/abort/i);
    expect(poller.isDone()).toBe(false);
  });

  it("an abort signal given to beginDeleteKey reaches the polls", async () => {
    const vault = mockVault();
    vault.scope.delete("/keys/k").query(apiVersion()).reply(200, deletedKeyBundle("k"));
    vault.scope.get("/deletedkeys/k").query(apiVersion()).reply(404, deletedKeyNotFound("k"), JSON_HEADERS);
    const { client } = createTestClient();
    const controller = new AbortController();
    const poller = await client.beginDeleteKey("k", { intervalInMs: 60_000, abortSignal: controller.signal });
    poller.onProgress(() => controller.abort());
    await expect(poller.pollUntilDone()).rejects.toThrow(/abort/i);
  });
});

describe("beginRecoverDeletedKey", () => {
  it("POSTs recover, then polls GET /keys/{name}/{version} through 404 until 200", async () => {
    const vault = mockVault();
    const recovered = keyBundle("k");
    vault.scope.post("/deletedkeys/k/recover").query(apiVersion()).reply(200, recovered);
    vault.scope
      .get(`/keys/k/${VERSION}`)
      .query(apiVersion())
      .reply(404, keyNotFound(`k/${VERSION}`), JSON_HEADERS);
    vault.scope.get(`/keys/k/${VERSION}`).query(apiVersion()).reply(200, recovered);
    const { client } = createTestClient();
    const poller = await client.beginRecoverDeletedKey("k", { intervalInMs: 1 });
    let progress = 0;
    poller.onProgress(() => progress++);
    const key = await poller.pollUntilDone();
    expect(vault.authorized().map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /deletedkeys/k/recover",
      `GET /keys/k/${VERSION}`,
      `GET /keys/k/${VERSION}`,
    ]);
    expect(progress).toBeGreaterThanOrEqual(2);
    expectKeyMatchesWire(key, recovered);
    expect(key.properties.createdOn).toBeInstanceOf(Date);
  });

  it("resumes from toString() with real Dates", async () => {
    const vault = mockVault();
    const recovered = keyBundle("k");
    vault.scope.post("/deletedkeys/k/recover").query(apiVersion()).reply(200, recovered);
    vault.scope.get(`/keys/k/${VERSION}`).query(apiVersion()).reply(200, recovered);
    const { client } = createTestClient();
    const first = await client.beginRecoverDeletedKey("k", { intervalInMs: 1 });
    const resumed = await client.beginRecoverDeletedKey("k", { resumeFrom: first.toString(), intervalInMs: 1 });
    const key = await resumed.pollUntilDone();
    expect(key.properties.createdOn).toBeInstanceOf(Date);
    expect(key.properties.updatedOn?.getTime()).toBe((recovered["attributes"] as { updated: number }).updated * 1000);
    expect(vault.scope.isDone()).toBe(true);
  });

  it("refuses a resumeFrom that is not a serialized poller", async () => {
    const { client } = createTestClient();
    await expect(client.beginRecoverDeletedKey("k", { resumeFrom: "not json" })).rejects.toThrow(/resumeFrom/);
    await expect(client.beginDeleteKey("k", { resumeFrom: "{}" })).rejects.toThrow(/resumeFrom/);
  });
});
