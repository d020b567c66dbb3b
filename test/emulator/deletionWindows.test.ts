/**
 * Soft delete takes a moment, as on the service, by default: the first poll after a delete sees 404,
 * a purge, recover or create meanwhile gets 409 ObjectIsBeingDeleted, and after a recover the key
 * answers 404 until the recovery is done. `instant` turns the windows off. The default window ends
 * once it has been seen (after at least 100 ms, at most 2 s), so these checks do not depend on timing.
 * The on-the-wire answers with a long fixed window are in test/e2e/faultInjection.test.ts.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { Transitions, serviceWindow, transitionDurations } from "../../src/emulator/vault/transitions.js";
import { EmulatorTestClient, uniqueName } from "../helpers/emulatorTestClient.js";

const started: RunningEmulator[] = [];
afterAll(async () => {
  await Promise.all(started.map((emulator) => emulator.close()));
});

async function raw(options: Parameters<typeof startEmulator>[0] = {}): Promise<EmulatorTestClient> {
  const emulator = await startEmulator({ https: false, ...options });
  started.push(emulator);
  return new EmulatorTestClient(emulator);
}

const beingDeleted = (name: string) => ({
  code: "Conflict",
  message: `Key ${name} is currently being deleted; retry the operation later.`,
  innererror: { code: "ObjectIsBeingDeleted" },
});

describe("default deletion windows", () => {
  // Each check is the first request about its name after the change, so it sees the window whatever
  // the timing (an unseen window lasts up to 2 s); later requests may find the change done.
  async function deletedKey(client: EmulatorTestClient): Promise<string> {
    const name = uniqueName("window");
    await client.createKey(name, { kty: "EC" });
    expect((await client.request("DELETE", `/keys/${name}`)).status).toBe(200);
    return name;
  }

  it("delete: hidden from both lists, the first poll is 404, then the deleted key is there", async () => {
    const client = await raw();
    const name = await deletedKey(client);
    expect((await client.get("/deletedkeys")).body.value).toEqual([]);
    expect((await client.get("/keys")).body.value).toEqual([]);
    const firstPoll = await client.get(`/deletedkeys/${name}`);
    expect(firstPoll.status).toBe(404);
    expect(firstPoll.body.error).toEqual({ code: "KeyNotFound", message: `Deleted Key not found: ${name}` });
    const done = await client.pollUntil(`/deletedkeys/${name}`, 200);
    expect(done.body.recoveryId).toContain(`/deletedkeys/${name}`);
    expect((await client.post(`/keys/${name}/create`, { kty: "EC" })).body.error.innererror).toEqual({
      code: "ObjectIsDeletedButRecoverable",
    });
  });

  it("delete: a purge without waiting for the delete poller is 409 ObjectIsBeingDeleted, as in production", async () => {
    const client = await raw();
    const name = await deletedKey(client);
    const purge = await client.request("DELETE", `/deletedkeys/${name}`);
    expect(purge.status).toBe(409);
    expect(purge.body.error).toEqual(beingDeleted(name));
    await client.pollUntil(`/deletedkeys/${name}`, 200);
    expect((await client.request("DELETE", `/deletedkeys/${name}`)).status).toBe(204);
  });

  it("delete: a recover or a create meanwhile is 409 ObjectIsBeingDeleted", async () => {
    const client = await raw();
    const recovered = await deletedKey(client);
    const recover = await client.post(`/deletedkeys/${recovered}/recover`);
    expect(recover.status).toBe(409);
    expect(recover.body.error).toEqual(beingDeleted(recovered));
    const created = await deletedKey(client);
    const create = await client.post(`/keys/${created}/create`, { kty: "EC" });
    expect(create.status).toBe(409);
    expect(create.body.error).toEqual({
      code: "Conflict",
      message: `Key ${created} is currently being deleted and cannot be re-created; retry later.`,
      innererror: { code: "ObjectIsBeingDeleted" },
    });
  });

  it("recover: the first GET /keys/{name}/{version} is 404, and a create meanwhile 409 ObjectIsBeingRecovered", async () => {
    const client = await raw();
    const recovered: Array<{ name: string; kid: string }> = [];
    for (let i = 0; i < 2; i++) {
      const name = uniqueName("recover");
      const kid = (await client.createKey(name, { kty: "EC" })).body.key.kid as string;
      await client.request("DELETE", `/keys/${name}`);
      await client.pollUntil(`/deletedkeys/${name}`, 200);
      expect((await client.post(`/deletedkeys/${name}/recover`)).status).toBe(200);
      recovered.push({ name, kid });
    }
    const [polled, created] = recovered as [{ name: string; kid: string }, { name: string; kid: string }];
    expect((await client.get(new URL(polled.kid).pathname)).status).toBe(404);
    expect((await client.pollUntil(new URL(polled.kid).pathname, 200)).body.key.kid).toBe(polled.kid);
    const create = await client.post(`/keys/${created.name}/create`, { kty: "EC" });
    expect(create.status).toBe(409);
    expect(create.body.error.innererror).toEqual({ code: "ObjectIsBeingRecovered" });
  });

  it("purge: re-creating the name is 409 ObjectIsBeingDeleted until the purge is done; a recover after it is 404", async () => {
    const client = await raw();
    const name = await deletedKey(client);
    await client.pollUntil(`/deletedkeys/${name}`, 200);
    expect((await client.request("DELETE", `/deletedkeys/${name}`)).status).toBe(204);
    expect((await client.post(`/keys/${name}/create`, { kty: "EC" })).body.error.innererror).toEqual({
      code: "ObjectIsBeingDeleted",
    });
    expect((await client.post(`/deletedkeys/${name}/recover`)).status).toBe(404);
    expect((await client.retryWhileBeingDeleted("POST", `/keys/${name}/create`, { kty: "EC" })).status).toBe(200);
  });

  it("instant: every change takes effect at once", async () => {
    const client = await raw({ instant: true });
    const name = uniqueName("instant");
    const kid = (await client.createKey(name, { kty: "EC" })).body.key.kid as string;
    await client.request("DELETE", `/keys/${name}`);
    expect((await client.get(`/deletedkeys/${name}`)).status).toBe(200);
    expect((await client.post(`/deletedkeys/${name}/recover`)).status).toBe(200);
    expect((await client.get(new URL(kid).pathname)).status).toBe(200);
    await client.request("DELETE", `/keys/${name}`);
    expect((await client.request("DELETE", `/deletedkeys/${name}`)).status).toBe(204);
    expect((await client.post(`/keys/${name}/create`, { kty: "EC" })).status).toBe(200);
  });

  it("faults set fixed windows over the default, and instant keeps them", async () => {
    const client = await raw({ instant: true, faults: { deleteDurationInMs: 60_000 } });
    const name = uniqueName("fixed");
    await client.createKey(name, { kty: "EC" });
    await client.request("DELETE", `/keys/${name}`);
    for (let i = 0; i < 3; i++) expect((await client.get(`/deletedkeys/${name}`)).status).toBe(404);
    client.emulator.setFaults(undefined); // back to instant for the next deletion
    const other = uniqueName("fixed");
    await client.createKey(other, { kty: "EC" });
    await client.request("DELETE", `/keys/${other}`);
    expect((await client.get(`/deletedkeys/${other}`)).status).toBe(200);
  });

  it("rejects an instant option that is not a boolean", async () => {
    await expect(startEmulator({ instant: "yes" as unknown as boolean })).rejects.toThrow(
      /instant must be true or false/,
    );
  });
});

describe("transition windows (clock driven)", () => {
  const configured = { deleteDurationInMs: undefined, recoverDurationInMs: undefined };

  it("a default window lasts its minimum and until it is seen, at most its maximum", () => {
    let now = 1000;
    const transitions = new Transitions(transitionDurations(configured, false), () => now);
    transitions.startDeleting("seen");
    transitions.startDeleting("unseen");
    now += serviceWindow.minimumInMs + 1;
    expect(transitions.isDeleting("seen")).toBe(true); // the first look after the minimum still sees it
    expect(transitions.isDeleting("seen")).toBe(false);
    expect(transitions.isDeleting("unseen", false)).toBe(true); // lists do not end a window
    now = 1000 + serviceWindow.maximumInMs;
    expect(transitions.isDeleting("unseen", false)).toBe(false);
  });

  it("a window seen early ends at its minimum; names ignore case; recovery replaces deletion", () => {
    let now = 0;
    const transitions = new Transitions(transitionDurations(configured, false), () => now);
    transitions.startDeleting("Key");
    expect(transitions.isDeleting("KEY")).toBe(true);
    now = serviceWindow.minimumInMs - 1;
    expect(transitions.isDeleting("key")).toBe(true);
    now = serviceWindow.minimumInMs;
    expect(transitions.isDeleting("key")).toBe(false);
    transitions.startDeleting("k2");
    transitions.startRecovering("k2");
    expect(transitions.isDeleting("k2")).toBe(false);
    expect(transitions.isRecovering("k2")).toBe(true);
  });

  it("instant has no windows; fixed durations end on time only", () => {
    let now = 0;
    const instant = new Transitions(transitionDurations(configured, true), () => now);
    instant.startDeleting("k");
    expect(instant.isDeleting("k")).toBe(false);
    const fixed = new Transitions(
      transitionDurations({ deleteDurationInMs: 500, recoverDurationInMs: 0 }, true),
      () => now,
    );
    fixed.startDeleting("k");
    fixed.startRecovering("r");
    expect(fixed.isRecovering("r")).toBe(false);
    now = 499;
    expect(fixed.isDeleting("k")).toBe(true);
    expect(fixed.isDeleting("k")).toBe(true);
    now = 500;
    expect(fixed.isDeleting("k")).toBe(false);
  });
});
