/**
 * Differential tests of the delete and recover pollers: ours vs the official @azure/keyvault-keys
 * 4.10.2 against one fake vault (DELETE, then 404 once, then 200; recover, then 404 once, then 200).
 * intervalInMs: 1 in both, so nothing really sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETED_KEY_EXTRAS, expectSameRequests, expectSameResult } from "../helpers/differentialAssertions.js";
import { createClients, normalize, runBoth, type ClientPair } from "../helpers/differentialClients.js";
import { EC_VERSION, startFakeVault, type FakeVault } from "../helpers/differentialServer.js";

let vault: FakeVault;
let ours: ClientPair["ours"];
let official: ClientPair["official"];
const fast = { intervalInMs: 1 };

beforeAll(async () => {
  vault = await startFakeVault({ initiallyDeleted: ["recover-me"] });
  ({ ours, official } = createClients(vault));
  await official.getKey("warm-up");
  await ours.getKey("warm-up");
});

afterAll(async () => {
  await vault.close();
});

const q = { "api-version": "2025-07-01" };
const get = (path: string) => ({
  method: "GET",
  path,
  query: q,
  body: undefined,
  accept: "application/json",
  contentType: undefined,
});

describe("beginDeleteKey", () => {
  it("begin + pollUntilDone: same requests (DELETE, GET 404, GET 200); ours = official + top-level deletion fields", async () => {
    const run = await runBoth(
      vault,
      async () => (await official.beginDeleteKey("doomed", fast)).pollUntilDone(),
      async () => (await ours.beginDeleteKey("doomed", fast)).pollUntilDone(),
    );
    expectSameRequests(run);
    expect(run.ourRequests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "DELETE /keys/doomed",
      "GET /deletedkeys/doomed",
      "GET /deletedkeys/doomed",
    ]);
    expect(run.ourRaw.map((r) => r.status)).toEqual([200, 404, 200]);
    expect(run.officialRaw.map((r) => r.status)).toEqual([200, 404, 200]);
    expectSameResult(run.official, run.ours, DELETED_KEY_EXTRAS);
  });

  it("the state right after begin holds the same deleted key (from the DELETE answer)", async () => {
    const run = await runBoth(
      vault,
      async () => {
        const poller = await official.beginDeleteKey("doomed", fast);
        const state = poller.getOperationState();
        await poller.pollUntilDone();
        return { isStarted: state.isStarted, result: state.result };
      },
      async () => {
        const poller = await ours.beginDeleteKey("doomed", fast);
        const state = poller.getOperationState();
        await poller.pollUntilDone();
        return { isStarted: state.isStarted, result: state.result };
      },
    );
    expectSameRequests(run);
    expect(run.ours.isStarted).toBe(true);
    expect(run.official.isStarted).toBe(true);
    expectSameResult(
      run.official.result,
      run.ours.result,
      DELETED_KEY_EXTRAS.map((f) => f),
    );
  });

  it("resumeFrom a poller still in progress: same requests overall, same result", async () => {
    const run = await runBoth(
      vault,
      async () => {
        const first = await official.beginDeleteKey("doomed", fast);
        const resumed = await official.beginDeleteKey("doomed", { ...fast, resumeFrom: first.toString() });
        return resumed.pollUntilDone();
      },
      async () => {
        const first = await ours.beginDeleteKey("doomed", fast);
        const resumed = await ours.beginDeleteKey("doomed", { ...fast, resumeFrom: first.toString() });
        return resumed.pollUntilDone();
      },
    );
    expectSameRequests(run);
    expect(run.ourRequests.map((r) => r.method)).toEqual(["DELETE", "GET", "GET"]);
    expectSameResult(run.official, run.ours, DELETED_KEY_EXTRAS);
  });

  it("resumeFrom a completed poller: documented difference, the official result is the JSON round-trip (dates as strings, bytes as index objects); ours is typed again", async () => {
    const run = await runBoth(
      vault,
      async () => {
        const done = await official.beginDeleteKey("doomed", fast);
        const original = await done.pollUntilDone();
        const resumed = await official.beginDeleteKey("doomed", { ...fast, resumeFrom: done.toString() });
        return { original, resumed: await resumed.pollUntilDone() };
      },
      async () => {
        const done = await ours.beginDeleteKey("doomed", fast);
        const original = await done.pollUntilDone();
        const resumed = await ours.beginDeleteKey("doomed", { ...fast, resumeFrom: done.toString() });
        return { original, resumed: await resumed.pollUntilDone() };
      },
    );
    // Resuming a completed poller sends nothing more, in both.
    expectSameRequests(run);
    expect(run.ourRequests.map((r) => r.method)).toEqual(["DELETE", "GET", "GET"]);
    // The originals are the same (checked above); the resumed results differ in type only.
    expectSameResult(run.official.original, run.ours.original, DELETED_KEY_EXTRAS);
    const officialResumed = run.official.resumed as unknown as {
      properties: Record<string, unknown>;
      key: Record<string, unknown>;
    };
    expect(typeof officialResumed.properties["deletedOn"]).toBe("string");
    expect(typeof officialResumed.properties["createdOn"]).toBe("string");
    expect(officialResumed.key["n"]).not.toBeInstanceOf(Uint8Array);
    expect(officialResumed).toEqual(JSON.parse(JSON.stringify(run.official.original)));
    expect(run.ours.resumed.properties.deletedOn).toBeInstanceOf(Date);
    expect(run.ours.resumed.properties.createdOn).toBeInstanceOf(Date);
    expect(run.ours.resumed.key?.n).toBeInstanceOf(Uint8Array);
    expect(normalize(run.ours.resumed)).toEqual(normalize(run.ours.original));
  });
});

describe("beginRecoverDeletedKey", () => {
  it("begin + pollUntilDone: documented difference in requests (see below); same recovered key", async () => {
    const run = await runBoth(
      vault,
      async () => (await official.beginRecoverDeletedKey("recover-me", fast)).pollUntilDone(),
      async () => (await ours.beginRecoverDeletedKey("recover-me", fast)).pollUntilDone(),
    );
    // The official first GETs the key (latest version) and skips the recover if that succeeds, then
    // polls GET /keys/{name}/ (latest). Ours (GUIDE section 2: begin sends the operation's request, recover
    // mirrors delete) sends the recover at once and polls the exact version the recover answered, as
    // the Go SDK does in go-7.5 TestRecoverDeletedKey_KV. Same POST, same result; ours saves the
    // pre-check round trip and does not report "recovered" for a key that was never deleted.
    expect(run.officialRequests).toEqual([
      get("/keys/recover-me/"),
      {
        method: "POST",
        path: "/deletedkeys/recover-me/recover",
        query: q,
        body: undefined,
        accept: "application/json",
        contentType: undefined,
      },
      get("/keys/recover-me/"),
      get("/keys/recover-me/"),
    ]);
    expect(run.officialRaw.map((r) => r.status)).toEqual([404, 200, 404, 200]);
    expect(run.ourRequests).toEqual([
      run.officialRequests[1],
      get(`/keys/recover-me/${EC_VERSION}`),
      get(`/keys/recover-me/${EC_VERSION}`),
    ]);
    expect(run.ourRaw.map((r) => r.status)).toEqual([200, 404, 200]);
    // A recovered key has no deletion facts, so there are no extra fields either.
    expectSameResult(run.official, run.ours);
    expect(run.ours.properties.version).toBe(EC_VERSION);
  });

  it("resumeFrom a recover poller in progress: same result", async () => {
    const run = await runBoth(
      vault,
      async () => {
        const first = await official.beginRecoverDeletedKey("recover-me", fast);
        const resumed = await official.beginRecoverDeletedKey("recover-me", { ...fast, resumeFrom: first.toString() });
        return resumed.pollUntilDone();
      },
      async () => {
        const first = await ours.beginRecoverDeletedKey("recover-me", fast);
        const resumed = await ours.beginRecoverDeletedKey("recover-me", { ...fast, resumeFrom: first.toString() });
        return resumed.pollUntilDone();
      },
    );
    // Same request difference as above; the POST is sent once in both.
    expect(run.officialRequests.filter((r) => r.method === "POST")).toEqual(
      run.ourRequests.filter((r) => r.method === "POST"),
    );
    expect(run.ourRequests.filter((r) => r.method === "POST")).toHaveLength(1);
    expectSameResult(run.official, run.ours);
  });
});
