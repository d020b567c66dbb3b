/**
 * Differential tests of the delete and recover pollers: ours vs the official @azure/keyvault-keys
 * 4.10.2 against one fake vault (DELETE, then 404 once, then 200; recover, then 404 once, then 200).
 * intervalInMs: 1 in both, so nothing really sleeps. Requests, results and poller states compared by
 * expectSameRun; the recover poller's requests are the named difference.
 */
import { describe, expect, it } from "vitest";
import type { PollerLike, PollOperationState } from "../../src/index.js";
import { ABSENT, expectSame } from "../helpers/deepDiff.js";
import { differentialVault, expectSameRun, resolved, runBoth } from "../helpers/differential/clients.js";
import { EC_VERSION } from "../helpers/differential/cannedValues.js";

const t = differentialVault({ initiallyDeleted: ["recover-me"] });
const fast = { intervalInMs: 1 };

type Poller = PollerLike<PollOperationState<unknown>, unknown>;

/** What a caller can read of a poller at one moment. */
function observe(poller: Poller) {
  return {
    isDone: poller.isDone(),
    isStopped: poller.isStopped(),
    state: poller.getOperationState(),
    result: poller.getResult(),
  };
}

describe("beginDeleteKey", () => {
  it("begin, observe, pollUntilDone, observe: same requests (DELETE, GET 404, GET 200), same states and result", async () => {
    const drive = async (poller: Poller) => {
      const started = observe(poller);
      const result = await poller.pollUntilDone();
      return { started, result, done: observe(poller) };
    };
    const run = await runBoth(
      t.vault,
      async () => drive((await t.official.beginDeleteKey("doomed", fast)) as unknown as Poller),
      async () => drive((await t.ours.beginDeleteKey("doomed", fast)) as unknown as Poller),
    );
    expectSameRun(run);
    expect(run.ourRequests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "DELETE /keys/doomed 200",
      "GET /deletedkeys/doomed 404",
      "GET /deletedkeys/doomed 200",
    ]);
  });

  it("poll() step by step and onProgress: the same states after each poll", async () => {
    const drive = async (poller: Poller) => {
      const progress: unknown[] = [];
      poller.onProgress((state) => progress.push(structuredClone(state)));
      const states: unknown[] = [];
      while (!poller.isDone()) {
        await poller.poll();
        states.push(structuredClone(poller.getOperationState()));
      }
      return { states, progress };
    };
    const run = await runBoth(
      t.vault,
      async () => drive((await t.official.beginDeleteKey("doomed", fast)) as unknown as Poller),
      async () => drive((await t.ours.beginDeleteKey("doomed", fast)) as unknown as Poller),
    );
    // Named differences: ours' onProgress fires on each poll (the official never calls it); the
    // official's begin checks once already (DELETE, then GET), ours' begin sends the DELETE only (as the
    // other SDKs' recorded traffic does), so ours takes one poll more for the same requests.
    expectSameRun(run, {
      "outcome.resolved.states[0].isCompleted": ABSENT,
      "outcome.resolved.states[1]": (state: unknown) => expect(state).toEqual(resolved(run.official).states[0]),
      "outcome.resolved.progress": (progress: unknown) => {
        expect(progress).toEqual(resolved(run.ours).states);
      },
    });
  });

  it("resumeFrom a poller still in progress: same requests overall, same result", async () => {
    const run = await runBoth(
      t.vault,
      async () => {
        const first = await t.official.beginDeleteKey("doomed", fast);
        return (await t.official.beginDeleteKey("doomed", { ...fast, resumeFrom: first.toString() })).pollUntilDone();
      },
      async () => {
        const first = await t.ours.beginDeleteKey("doomed", fast);
        return (await t.ours.beginDeleteKey("doomed", { ...fast, resumeFrom: first.toString() })).pollUntilDone();
      },
    );
    expectSameRun(run);
  });

  it("resumeFrom a completed poller: nothing more sent; named difference, the official result is the JSON round trip (dates as strings, bytes as index objects), ours is typed again", async () => {
    const run = await runBoth(
      t.vault,
      async () => {
        const done = await t.official.beginDeleteKey("doomed", fast);
        const original = await done.pollUntilDone();
        return {
          original,
          resumed: await (
            await t.official.beginDeleteKey("doomed", { ...fast, resumeFrom: done.toString() })
          ).pollUntilDone(),
        };
      },
      async () => {
        const done = await t.ours.beginDeleteKey("doomed", fast);
        const original = await done.pollUntilDone();
        return {
          original,
          resumed: await (
            await t.ours.beginDeleteKey("doomed", { ...fast, resumeFrom: done.toString() })
          ).pollUntilDone(),
        };
      },
    );
    const ours = resolved(run.ours);
    expectSameRun(run, { "outcome.resolved.resumed": (resumed: unknown) => expectSame(ours.original, resumed) });
    const officialResumed = resolved(run.official).resumed as unknown as { properties: Record<string, unknown> };
    expect(typeof officialResumed.properties["deletedOn"]).toBe("string");
  });

  it("a key deleted without soft delete (no recoveryId): done at once, the same result", async () => {
    t.vault.script((r) =>
      r.authenticated && r.method === "DELETE"
        ? {
            status: 200,
            body: {
              key: { kid: `${t.vault.url}/keys/hard/${EC_VERSION}`, kty: "EC", crv: "P-256" },
              attributes: { enabled: true, recoveryLevel: "Purgeable" },
            },
          }
        : undefined,
    );
    const run = await runBoth(
      t.vault,
      async () => (await t.official.beginDeleteKey("hard", fast)).pollUntilDone(),
      async () => (await t.ours.beginDeleteKey("hard", fast)).pollUntilDone(),
    );
    expectSameRun(run);
  });
});

describe("beginRecoverDeletedKey", () => {
  it("begin + pollUntilDone: the same recovered key; named difference in requests", async () => {
    const run = await runBoth(
      t.vault,
      async () => (await t.official.beginRecoverDeletedKey("recover-me", fast)).pollUntilDone(),
      async () => (await t.ours.beginRecoverDeletedKey("recover-me", fast)).pollUntilDone(),
    );
    // The official first GETs the key (latest version) and skips the recover if that succeeds, then
    // polls GET /keys/{name}/ (latest). Ours (GUIDE section 2: begin sends the operation's request,
    // recover mirrors delete) sends the recover at once and polls the exact version the recover
    // answered, as the Go SDK does in go-7.5 TestRecoverDeletedKey_KV: no pre-check round trip, and no
    // "recovered" for a key that was never deleted.
    expect(run.officialRequests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /keys/recover-me/ 404",
      "POST /deletedkeys/recover-me/recover 200",
      "GET /keys/recover-me/ 404",
      "GET /keys/recover-me/ 200",
    ]);
    expect(run.ourRequests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "POST /deletedkeys/recover-me/recover 200",
      `GET /keys/recover-me/${EC_VERSION} 404`,
      `GET /keys/recover-me/${EC_VERSION} 200`,
    ]);
    expectSame(run.official, run.ours);
  });

  it("resumeFrom a recover poller in progress: the same result, the recover sent once", async () => {
    const run = await runBoth(
      t.vault,
      async () => {
        const first = await t.official.beginRecoverDeletedKey("recover-me", fast);
        return (
          await t.official.beginRecoverDeletedKey("recover-me", { ...fast, resumeFrom: first.toString() })
        ).pollUntilDone();
      },
      async () => {
        const first = await t.ours.beginRecoverDeletedKey("recover-me", fast);
        return (
          await t.ours.beginRecoverDeletedKey("recover-me", { ...fast, resumeFrom: first.toString() })
        ).pollUntilDone();
      },
    );
    expect(run.ourRequests.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(run.officialRequests.filter((r) => r.method === "POST")).toHaveLength(1);
    expectSame(run.official, run.ours);
  });
});
