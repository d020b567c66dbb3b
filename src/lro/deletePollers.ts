import { RestError } from "@azure/core-rest-pipeline";
import type { PollOperationState } from "@azure/core-lro";
import * as ops from "../generated/operations.js";
import type { DeletedKey } from "../models/deletedKey.js";
import type { KeyPollerOptions } from "../models/keyOptions.js";
import type { KeyVaultRestClient, RestCallOptions } from "../http/keyVaultRestClient.js";
import { deletedKeyFromWire } from "../transformations.js";
import { assertKeyName } from "../util/validation.js";
import { KeyVaultPoller } from "./keyVaultPoller.js";

/** What a delete or recover poller's `toString()` holds, so that `resumeFrom` can rebuild it. @internal */
interface SerializedPollState {
  state: {
    name: string;
    isStarted?: boolean;
    isCompleted?: boolean;
    /** The last answer of the service, as sent: `resumeFrom` maps it again, so dates come back as dates. */
    wire?: unknown;
  };
}

const defaultIntervalInMs = 2000;

/** @internal */
export interface PollerContext {
  client: KeyVaultRestClient;
  name: string;
  options: KeyPollerOptions & RestCallOptions;
}

function readResumeState(resumeFrom: string, kind: string): SerializedPollState["state"] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(resumeFrom);
  } catch {
    throw new TypeError(`resumeFrom is not a serialized ${kind} poller: it is not JSON.`);
  }
  const state = (parsed as Partial<SerializedPollState> | null)?.state;
  if (!state || typeof state.name !== "string") {
    throw new TypeError(`resumeFrom is not a serialized ${kind} poller: it has no state.name.`);
  }
  // The name comes from outside (a stored string): check it as a caller's name is checked, before any request.
  assertKeyName(state.name, "resumeFrom state.name");
  return state;
}

function isStatus(error: unknown, ...statuses: number[]): boolean {
  return error instanceof RestError && statuses.includes(error.statusCode ?? -1);
}

function sendOptions(options: PollerContext["options"]): RestCallOptions {
  const { intervalInMs: _interval, resumeFrom: _resume, ...rest } = options;
  return rest;
}

/** What differs between the delete and the recover poller. */
interface PollerSteps {
  /** Names the operation in resume errors. */
  kind: string;
  /** Sends the operation's request; its answer is the first result. */
  start(name: string, send: RestCallOptions): Promise<unknown>;
  /** Whether the first result alone completes the operation. */
  doneAtOnce(result: DeletedKey): boolean;
  /** Reads what the operation makes: 200 means done, 404 not yet, 403 (no read permission) done. */
  read(name: string, first: DeletedKey | undefined, send: RestCallOptions): Promise<unknown>;
}

/**
 * Starts (or resumes) one operation and polls it with the shared state machine. `begin` sends the
 * operation's request only; the first check is the first poll (the official client also checks once in
 * `begin`: the same requests, but the other SDKs' recorded traffic has none there). The state is one
 * object, `{ name, isStarted, result, isCompleted }`, updated in place, as the official client's is.
 */
async function beginPoller(context: PollerContext, steps: PollerSteps): Promise<KeyVaultPoller<DeletedKey>> {
  const { options } = context;
  const send = sendOptions(options);
  let name = context.name;
  let wire: unknown;
  const state = { name } as PollOperationState<DeletedKey> & { name: string };
  if (options.resumeFrom) {
    const resumed = readResumeState(options.resumeFrom, steps.kind);
    name = state.name = name || resumed.name;
    wire = resumed.wire;
    state.isStarted = true;
    if (wire !== undefined) state.result = deletedKeyFromWire(wire);
    if (resumed.isCompleted) state.isCompleted = true;
  } else {
    wire = await steps.start(name, send);
    state.isStarted = true;
    state.result = deletedKeyFromWire(wire);
    if (steps.doneAtOnce(state.result)) state.isCompleted = true;
  }
  const first = state.result;
  return new KeyVaultPoller<DeletedKey>({
    state,
    intervalInMs: options.intervalInMs ?? defaultIntervalInMs,
    abortSignal: options.abortSignal,
    step: {
      async check(abortSignal) {
        try {
          wire = await steps.read(name, first, { ...send, ...(abortSignal ? { abortSignal } : {}) });
          return { done: true, result: deletedKeyFromWire(wire) };
        } catch (error) {
          if (isStatus(error, 404)) return { done: false };
          if (isStatus(error, 403)) return { done: true };
          throw error;
        }
      },
      serialize: (s) => JSON.stringify({ state: { name, isStarted: s.isStarted, isCompleted: s.isCompleted, wire } }),
    },
  });
}

/**
 * `beginDeleteKey`: sends the DELETE, then polls the deleted key until it answers 200 (404 means not
 * yet; 403 means the caller may not read deleted keys, which counts as done). Without soft delete (no
 * `recoveryId` in the answer) it is done at once.
 * @internal
 */
export function beginDeleteKeyPoller(context: PollerContext): Promise<KeyVaultPoller<DeletedKey>> {
  const { client } = context;
  return beginPoller(context, {
    kind: "delete",
    start: (keyName, send) => ops.deleteKey(client, { keyName }, send),
    doneAtOnce: (result) => !result.properties.recoveryId,
    read: (keyName, _first, send) => ops.getDeletedKey(client, { keyName }, send),
  });
}

/**
 * `beginRecoverDeletedKey`: sends the recover request, then polls the version it recovered until it
 * answers 200 (404 means not yet; 403 counts as done).
 * @internal
 */
export function beginRecoverDeletedKeyPoller(context: PollerContext): Promise<KeyVaultPoller<DeletedKey>> {
  const { client } = context;
  return beginPoller(context, {
    kind: "recover",
    start: (keyName, send) => ops.recoverDeletedKey(client, { keyName }, send),
    doneAtOnce: () => false,
    read: (keyName, first, send) => ops.getKey(client, { keyName, keyVersion: first?.properties.version ?? "" }, send),
  });
}
