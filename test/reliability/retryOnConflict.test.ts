/*
 * Issue 6, 409 ObjectIsBeingDeleted: re-creating a key whose deletion is still in progress is retried
 * by `retryWhileBeingDeleted`, and only that conflict; the wait honours the abort signal.
 */
import { serviceErrorDetails } from "../../src/http/serviceError.js";
import { RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { KeyClient, isObjectBeingDeletedError, retryWhileBeingDeleted } from "../../src/index.js";
import {
  closedAfterEachTest,
  FAST_RETRY,
  json,
  keyBundle,
  RecordingCredential,
  vault,
  type LocalServer,
} from "../helpers/localServers.js";

const servers = closedAfterEachTest();

/** The service's answers, as recorded (see the conformance README). */
const beingDeleted = {
  error: {
    code: "Conflict",
    message: "Key k is currently being deleted and cannot be re-created; retry later.",
    innererror: { code: "ObjectIsBeingDeleted" },
  },
};
const deletedButRecoverable = {
  error: {
    code: "Conflict",
    message:
      "Key k is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the key can only be recovered or purged.",
    innererror: { code: "ObjectIsDeletedButRecoverable" },
  },
};

/** A vault that answers `conflicts` 409s to create, then the key. */
async function conflictingVault(
  conflicts: number,
  body: unknown = beingDeleted,
): Promise<{ client: KeyClient; server: LocalServer }> {
  let seen = 0;
  const server = await servers.start(
    vault((_, response, self) => {
      if (seen++ < conflicts) json(response, 409, body);
      else json(response, 200, keyBundle(self.url, "k"));
    }),
  );
  return {
    client: new KeyClient(server.url, new RecordingCredential(), {
      allowInsecureConnection: true,
      retryOptions: FAST_RETRY,
    }),
    server,
  };
}

describe("retryWhileBeingDeleted", () => {
  it("retries a create while the vault answers 409 ObjectIsBeingDeleted, then returns the key", async () => {
    const { client, server } = await conflictingVault(3);
    const key = await retryWhileBeingDeleted(() => client.createEcKey("k"), { intervalInMs: 1 });
    expect(key.name).toBe("k");
    expect(server.authorized()).toHaveLength(4);
  });

  it("does not retry other conflicts (deleted but recoverable: recover or purge instead)", async () => {
    const { client, server } = await conflictingVault(5, deletedButRecoverable);
    const error: unknown = await retryWhileBeingDeleted(() => client.createEcKey("k"), { intervalInMs: 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ statusCode: 409, code: "Conflict" });
    expect(server.authorized()).toHaveLength(1);
  });

  it("gives up after maxAttempts with the last 409", async () => {
    const { client, server } = await conflictingVault(100);
    const error: unknown = await retryWhileBeingDeleted(() => client.createEcKey("k"), {
      intervalInMs: 1,
      maxAttempts: 3,
    }).catch((e: unknown) => e);
    expect(isObjectBeingDeletedError(error)).toBe(true);
    expect(server.authorized()).toHaveLength(3);
  });

  it("stops waiting at once when aborted, with an AbortError", async () => {
    const { client, server } = await conflictingVault(100);
    const controller = new AbortController();
    const started = performance.now();
    const pending = retryWhileBeingDeleted(({ abortSignal }) => client.createEcKey("k", { abortSignal }), {
      intervalInMs: 60_000,
      abortSignal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    const error: unknown = await pending.catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(server.authorized()).toHaveLength(1);
  });

  it("passes the abort signal to each attempt", async () => {
    const signals: unknown[] = [];
    const controller = new AbortController();
    await retryWhileBeingDeleted(async ({ abortSignal }) => signals.push(abortSignal), {
      abortSignal: controller.signal,
    });
    expect(signals).toEqual([controller.signal]);
  });

  it("refuses nonsense options", async () => {
    await expect(retryWhileBeingDeleted(async () => 1, { maxAttempts: 0 })).rejects.toThrow(RangeError);
    await expect(retryWhileBeingDeleted(async () => 1, { intervalInMs: -1 })).rejects.toThrow(RangeError);
  });

  it("recognizes only the 409 with innererror ObjectIsBeingDeleted", () => {
    // `details` as the client makes it from the body (the official package's shape: innerError).
    const restError = (status: number, body: unknown): RestError =>
      Object.assign(new RestError("x", { statusCode: status }), { details: serviceErrorDetails(body) });
    expect(isObjectBeingDeletedError(restError(409, beingDeleted))).toBe(true);
    expect(isObjectBeingDeletedError(restError(409, deletedButRecoverable))).toBe(false);
    expect(isObjectBeingDeletedError(restError(400, beingDeleted))).toBe(false);
    expect(isObjectBeingDeletedError(restError(409, undefined))).toBe(false);
    expect(isObjectBeingDeletedError(new Error("ObjectIsBeingDeleted"))).toBe(false);
    expect(isObjectBeingDeletedError(undefined)).toBe(false);
  });
});
