/**
 * Differential tests of the error paths, for every request-sending KeyClient method: the vault answers
 * 404, 409 with an innererror, 400 with nested innererrors, 403, a 401 to every token (the challenge
 * loop), malformed answers, and the caller aborts. Both clients must send the same requests and reject
 * with the same error: class, name, message, code, statusCode, details, response status.
 */
import { describe, expect, it } from "vitest";
import {
  BAD_PARAMETER,
  CONFLICT,
  FORBIDDEN,
  UNAUTHORIZED,
  type ScriptedAnswer,
} from "../helpers/differential/scriptedAnswers.js";
import { asOurs, keyClientCalls } from "../helpers/differential/keyClientCalls.js";
import { differentialVault, expectSameRun, rejected, runBoth } from "../helpers/differential/clients.js";
import { expectSame } from "../helpers/deepDiff.js";
import { CHALLENGE } from "../helpers/differential/fakeVault.js";

const t = differentialVault();

const notFound = {
  error: {
    code: "KeyNotFound",
    message:
      "A key with (name/id) k was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182",
  },
};

const serviceErrors: ReadonlyArray<readonly [string, ScriptedAnswer]> = [
  ["404 KeyNotFound", { status: 404, body: notFound }],
  ["409 Conflict with innererror", { status: 409, body: CONFLICT }],
  ["400 BadParameter with nested innererrors", { status: 400, body: BAD_PARAMETER }],
  ["403 Forbidden (AccessDenied)", { status: 403, body: FORBIDDEN }],
];

const lists = new Set(["listPropertiesOfKeys", "listPropertiesOfKeyVersions", "listDeletedKeys"]);

/**
 * The named differences of an error answer:
 * - ours keeps the body of the error answer in `error.response.bodyAsText` (the official's is
 *   `undefined` when the body is JSON);
 * - a list's error has the service's message and `details`, as every other method's (the official
 *   list's is "Pagination failed with unexpected statusCode <status>", without details).
 */
function errorDifferences(name: string, answer: ScriptedAnswer): Record<string, unknown> {
  const differences: Record<string, unknown> = { "outcome.rejected.response.bodyAsText": JSON.stringify(answer.body) };
  if (lists.has(name)) {
    const body = answer.body as { error: { message: string } };
    differences["outcome.rejected.message"] = body.error.message;
    differences["outcome.rejected.details"] = (details: unknown) =>
      expect(details).toMatchObject({ error: { message: body.error.message } });
  }
  return differences;
}

/** The recover poller's requests differ by design (keyClient.pollers.test.ts names it): its outcome is compared alone. */
function expectSameError(name: string, run: Awaited<ReturnType<typeof runBoth>>, answer: ScriptedAnswer): void {
  const differences = errorDifferences(name, answer);
  if (name === "beginRecoverDeletedKey") {
    expectSame(
      run.official,
      run.ours,
      Object.fromEntries(Object.entries(differences).map(([path, value]) => [path.replace(/^outcome\./, ""), value])),
    );
    expect(run.ourRequests.map((r) => r.method)[0]).toBe("POST");
  } else expectSameRun(run, differences);
}

describe.each(serviceErrors)("the vault answers %s", (_what, answer) => {
  it.each(keyClientCalls)("%s: same requests, the same RestError", async (name, call) => {
    t.vault.script((r) => (r.authenticated ? answer : undefined));
    const run = await runBoth(
      t.vault,
      () => call(asOurs(t.official), {}),
      () => call(t.ours, {}),
    );
    expectSameError(name, run, answer);
    expect(rejected(run.ours)).toMatchObject({ name: "RestError", statusCode: answer.status });
  });
});

describe("the vault answers 401 to every token (challenge loop)", () => {
  it.each(keyClientCalls)("%s: same requests (challenge answered once), the same RestError", async (name, call) => {
    const answer = { status: 401, body: UNAUTHORIZED, headers: { "www-authenticate": CHALLENGE } };
    t.vault.script(() => answer);
    const run = await runBoth(
      t.vault,
      () => call(asOurs(t.official), {}),
      () => call(t.ours, {}),
    );
    expectSameError(name, run, answer);
    expect(rejected(run.ours)).toMatchObject({ name: "RestError", statusCode: 401, code: "Unauthorized" });
  });
});
