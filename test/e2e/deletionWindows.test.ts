/**
 * The emulator's default deletion windows against both pollers, ours and the official
 * `@azure/keyvault-keys` one: the first poll after a delete or recover sees the 404 the service
 * answers, the poller finishes, a purge or re-create without waiting fails as it does in production,
 * and a stopped poller resumes from its `toString()`.
 */
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { KeyClient as OfficialKeyClient } from "@azure/keyvault-keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyClient, isObjectBeingDeletedError, retryWhileBeingDeleted } from "../../src/index.js";
import { e2eName, expectRestError, startE2EVault, type E2EVault } from "../helpers/e2eVault.js";

let vault: E2EVault;
/** Every answer's method, path and status, in order. */
const seen: Array<{ method: string; path: string; status: number }> = [];
const recorder: PipelinePolicy = {
  name: "recordStatuses",
  async sendRequest(request, next) {
    const response = await next(request);
    seen.push({ method: request.method, path: new URL(request.url).pathname, status: response.status });
    return response;
  },
};
const poll = { intervalInMs: 20 };
const afterPurge = { intervalInMs: 20, maxAttempts: 200 };

beforeAll(async () => {
  vault = await startE2EVault(); // default windows: no `instant`, no faults
});
afterAll(async () => {
  await vault?.close();
});

/** The statuses of the GETs of `path` (or, with `prefix`, of any path starting with it) seen since `from`. */
function pollsOf(path: string, from: number, prefix = false): number[] {
  return seen
    .slice(from)
    .filter((entry) => entry.method === "GET" && (prefix ? entry.path.startsWith(path) : entry.path === path))
    .map((entry) => entry.status);
}

type Client = KeyClient | OfficialKeyClient;
const clients: Array<[string, () => Client]> = [
  [
    "our KeyClient",
    () =>
      new KeyClient(vault.emulator.url, vault.emulator.credential, {
        ...vault.clientOptions,
        additionalPolicies: [{ policy: recorder, position: "perCall" }],
      }),
  ],
  [
    "the official KeyClient",
    () =>
      new OfficialKeyClient(vault.emulator.url, vault.emulator.credential, {
        ...vault.clientOptions,
        additionalPolicies: [{ policy: recorder, position: "perCall" }],
      }),
  ],
];

describe.each(clients)("deletion windows with %s", (_label, makeClient) => {
  let client: Client;
  beforeAll(() => {
    client = makeClient();
  });

  it("the delete poller's first poll sees 404, then it completes; purge then works, re-create is retried", async () => {
    const name = e2eName("window");
    await client.createEcKey(name);
    const from = seen.length;
    const deleted = await (await client.beginDeleteKey(name, poll)).pollUntilDone();
    expect(deleted.name).toBe(name);
    const polls = pollsOf(`/deletedkeys/${name}`, from);
    expect(polls[0]).toBe(404);
    expect(polls.at(-1)).toBe(200);
    expect(polls.slice(0, -1).every((status) => status === 404)).toBe(true);

    await client.purgeDeletedKey(name);
    const conflict = await client.createEcKey(name).catch((error: unknown) => error);
    expect(isObjectBeingDeletedError(conflict)).toBe(true);
    const created = await retryWhileBeingDeleted(() => client.createEcKey(name), afterPurge);
    expect(created.name).toBe(name);
  });

  it("a purge that does not wait for the delete poller fails with 409 ObjectIsBeingDeleted, as in production", async () => {
    const name = e2eName("eager");
    await client.createEcKey(name);
    const poller = await client.beginDeleteKey(name, poll);
    const error = await expectRestError(client.purgeDeletedKey(name), 409, "Conflict");
    expect(isObjectBeingDeletedError(error)).toBe(true);
    await poller.pollUntilDone();
    await client.purgeDeletedKey(name);
  });

  it("the recover poller's first poll sees 404, then it completes", async () => {
    const name = e2eName("recover");
    const key = await client.createEcKey(name);
    await (await client.beginDeleteKey(name, poll)).pollUntilDone();
    const from = seen.length;
    const recovered = await (await client.beginRecoverDeletedKey(name, poll)).pollUntilDone();
    expect(recovered.id).toBe(key.id);
    // Ours polls /keys/{name}/{version}; the official client polls /keys/{name}/.
    const polls = pollsOf(`/keys/${name}/`, from, true);
    expect(polls[0]).toBe(404);
    expect(polls.at(-1)).toBe(200);
    expect((await client.getKey(name)).id).toBe(key.id);
  });

  it("a stopped delete poller resumes from toString() and completes", async () => {
    const name = e2eName("resume");
    await client.createEcKey(name);
    const poller = await client.beginDeleteKey(name, poll);
    poller.stopPolling();
    expect(poller.isDone()).toBe(false);
    const resumed = await client.beginDeleteKey(name, { ...poll, resumeFrom: poller.toString() });
    const deleted = await resumed.pollUntilDone();
    expect(deleted.name).toBe(name);
    expect(deleted.properties.recoveryId).toBe(`${vault.emulator.url}/deletedkeys/${name}`);
  });

  it("a stopped recover poller resumes from toString() and completes", async () => {
    const name = e2eName("resume-recover");
    const key = await client.createEcKey(name);
    await (await client.beginDeleteKey(name, poll)).pollUntilDone();
    const poller = await client.beginRecoverDeletedKey(name, poll);
    poller.stopPolling();
    const resumed = await client.beginRecoverDeletedKey(name, { ...poll, resumeFrom: poller.toString() });
    expect((await resumed.pollUntilDone()).id).toBe(key.id);
  });
});
