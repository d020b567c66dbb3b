/**
 * Differential tests of malformed answers and aborted calls, for every request-sending KeyClient
 * method. Named difference (malformed answers): where the official client throws a TypeError from deep
 * inside its deserializer, or resolves with a hole where its types promise a value, ours rejects with a
 * RestError whose code is MalformedResponse (naming the field) or PARSE_ERROR (a body that is not JSON).
 * Everywhere else, and for aborts, the outcome is the same; the requests are the same in every case.
 */
import { AbortError } from "@azure/abort-controller";
import { RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import type { KeyClient } from "../../src/index.js";
import { ABSENT, deepDiff, expectSame } from "../helpers/deepDiff.js";
import type { ScriptedAnswer } from "../helpers/differential/scriptedAnswers.js";
import { asOurs, keyClientCalls } from "../helpers/differential/keyClientCalls.js";
import {
  differentialVault,
  expectSameRun,
  rejected,
  runBoth,
  sameAbortError,
  type Outcome,
} from "../helpers/differential/clients.js";
import { wireRequest } from "../helpers/differential/wireComparison.js";

const t = differentialVault();
const lists = new Set(["listPropertiesOfKeys", "listPropertiesOfKeyVersions", "listDeletedKeys"]);

const malformed: ReadonlyArray<readonly [string, ScriptedAnswer]> = [
  ["200 with an empty body", { status: 200, text: "" }],
  ["200 with a body that is not JSON", { status: 200, text: "<html>not json</html>" }],
  ["200 with an empty object", { status: 200, body: {} }],
  ["200 with a key that has no kid", { status: 200, body: { key: { kty: "RSA" }, value: 5, lifetimeActions: {} } }],
];

/** How the official client's outcome of a malformed answer is a defect, if it is one. */
function officialDefect(outcome: Outcome<unknown>): string | undefined {
  if ("rejected" in outcome) {
    const error = outcome.rejected as Error;
    if (error instanceof TypeError) return "a TypeError from its deserializer";
    if (/^Couldn't paginate response/.test(error.message)) return "a pager error that names no field";
    return undefined;
  }
  const value = outcome.resolved as Record<string, unknown> | undefined;
  if (value === undefined) return "undefined where a value is typed";
  if (Object.values(value).every((v) => v === undefined)) return "an empty result";
  if ("value" in value && typeof value["value"] !== "string") return "a value of the wrong type";
  return undefined;
}

describe.each(malformed)("the vault answers %s", (_what, answer) => {
  it.each(keyClientCalls)(
    "%s: same requests; the same outcome, or ours a RestError naming the problem",
    async (name, call) => {
      t.vault.script((r) => (r.authenticated ? answer : undefined));
      const run = await runBoth(
        t.vault,
        () => call(asOurs(t.official), {}),
        () => call(t.ours, {}),
      );
      if (name !== "beginRecoverDeletedKey") {
        expectSame(
          run.officialRequests.map((r) => wireRequest(r, "official")),
          run.ourRequests.map((r) => wireRequest(r, "ours")),
        );
      }
      // Named difference (as for every error answer): ours keeps the answer's text in response.bodyAsText.
      const diffs = deepDiff(run.official, run.ours).filter((d) => d.path !== "rejected.response.bodyAsText");
      if (diffs.length === 0) return;
      expect(officialDefect(run.official), `the official outcome of ${name}`).toBeDefined();
      if (lists.has(name) && typeof answer.body === "object" && !("value" in (answer.body as object))) {
        // Named difference: a page without `value` (it is optional in the spec) is an empty page to ours;
        // the official pager rejects it.
        expect(run.ours).toStrictEqual({ resolved: [] });
        return;
      }
      const error = rejected(run.ours) as RestError;
      expect(error).toBeInstanceOf(RestError);
      if (error.message.startsWith("Unexpected status code")) {
        // purgeDeletedKey expects a 204: the official message of that case (which the official client crashes before).
        expect(error.statusCode).toBe(200);
      } else {
        expect(error.code).toMatch(/^(MalformedResponse|PARSE_ERROR)$/);
        expect(error.message).toMatch(/should be|not valid JSON/);
      }
    },
  );
});

/** An AbortError of ours (see sameAbortError), where the official outcome is another. */
const isAbortError = (error: unknown) => {
  expect(error).toBeInstanceOf(AbortError);
  expect((error as Error).message).toMatch(/^The operation was aborted\./);
};

describe("aborted calls", () => {
  it.each(keyClientCalls)(
    "%s with an already aborted signal: nothing sent, the same AbortError",
    async (name, call) => {
      const run = await runBoth(
        t.vault,
        () => call(asOurs(t.official), { abortSignal: AbortSignal.abort() }),
        () => call(t.ours, { abortSignal: AbortSignal.abort() }),
      );
      if (name === "getKeyRotationPolicy") {
        // Named difference: the official getKeyRotationPolicy drops its options and sends the request anyway.
        expect(run.officialRequests).toHaveLength(1);
        expectSameRun(run, { requests: [], "outcome.rejected": isAbortError, "outcome.resolved": ABSENT });
        return;
      }
      expectSameRun(run, { "outcome.rejected": sameAbortError(run.official) });
    },
  );

  it.each(keyClientCalls)("%s aborted while the vault is answering: the same AbortError", async (name, call) => {
    // The abort fires once the vault holds the request: the call is in flight for certain.
    let controller = new AbortController();
    t.vault.script((r) => {
      if (!r.authenticated) return undefined;
      setImmediate(() => controller.abort());
      return { status: 500, body: {}, delayInMs: 5_000 };
    });
    const withSignal = (client: KeyClient) => {
      controller = new AbortController();
      return call(client, { abortSignal: controller.signal });
    };
    const run = await runBoth(
      t.vault,
      () => withSignal(asOurs(t.official)),
      () => withSignal(t.ours),
    );
    if (name === "getKeyRotationPolicy") {
      // Named difference: the official getKeyRotationPolicy drops its options (abortSignal, headers,
      // onResponse), so it waits for the answer (a 500 here); ours is aborted.
      expect(rejected(run.official)).toMatchObject({ name: "RestError", statusCode: 500 });
      expectSameRun(run, { "outcome.rejected": isAbortError });
      return;
    }
    // The recover pollers send other requests (keyClient.pollers.test.ts), so another one is cut short:
    // the official's POST goes out after its aborted pre-check GET ("Request has already been canceled").
    if (name === "beginRecoverDeletedKey") expectSame(run.official, run.ours, { rejected: isAbortError });
    else expectSameRun(run, { "outcome.rejected": sameAbortError(run.official) });
  });
});
