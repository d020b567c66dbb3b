import { RestError } from "@azure/core-rest-pipeline";
import type { PollOperationState } from "@azure/core-lro";
import * as ops from "../generated/operations.js";
import type { DeletedKey } from "../models/deletedKey.js";
import type { KeyPollerOptions } from "../models/keyOptions.js";
import type { KeyVaultRestClient, RestCallOptions } from "../rest/keyVaultRestClient.js";
import { deletedKeyFromWire } from "../transformations.js";
import { assertKeyName } from "../validation.js";
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

/**
 * `beginDeleteKey`: sends the DELETE, then polls the deleted key until it answers 200 (404 means not
 * yet; 403 means the caller may not read deleted keys, which counts as done). Without soft delete (no
 * `recoveryId` in the answer) it is done at once.
 * @internal
 */
export async function beginDeleteKeyPoller(context: PollerContext): Promise<KeyVaultPoller<DeletedKey>> {
  const { client, options } = context;
  const send = sendOptions(options);
  let name = context.name;
  let wire: unknown;
  let state: PollOperationState<DeletedKey>;
  if (options.resumeFrom) {
    const resumed = readResumeState(options.resumeFrom, "delete");
    name = resumed.name;
    wire = resumed.wire;
    state = {
      isStarted: true,
      ...(resumed.isCompleted ? { isCompleted: true } : {}),
      ...(wire !== undefined ? { result: deletedKeyFromWire(wire) } : {}),
    };
  } else {
    wire = await ops.deleteKey(client, { keyName: name }, send);
    const result = deletedKeyFromWire(wire);
    state = { isStarted: true, result, ...(result.properties.recoveryId ? {} : { isCompleted: true }) };
  }
  return new KeyVaultPoller<DeletedKey>({
    state,
    intervalInMs: options.intervalInMs ?? defaultIntervalInMs,
    abortSignal: options.abortSignal,
    step: {
      async check(abortSignal) {
        try {
          wire = await ops.getDeletedKey(
            client,
            { keyName: name },
            { ...send, ...(abortSignal ? { abortSignal } : {}) },
          );
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
 * `beginRecoverDeletedKey`: sends the recover request, then polls the key until it answers 200 (404
 * means not yet; 403 counts as done).
 * @internal
 */
export async function beginRecoverDeletedKeyPoller(context: PollerContext): Promise<KeyVaultPoller<DeletedKey>> {
  const { client, options } = context;
  const send = sendOptions(options);
  let name = context.name;
  let wire: unknown;
  let state: PollOperationState<DeletedKey>;
  if (options.resumeFrom) {
    const resumed = readResumeState(options.resumeFrom, "recover");
    name = resumed.name;
    wire = resumed.wire;
    state = {
      isStarted: true,
      ...(resumed.isCompleted ? { isCompleted: true } : {}),
      ...(wire !== undefined ? { result: deletedKeyFromWire(wire) } : {}),
    };
  } else {
    wire = await ops.recoverDeletedKey(client, { keyName: name }, send);
    state = { isStarted: true, result: deletedKeyFromWire(wire) };
  }
  const version = () => state.result?.properties.version ?? "";
  return new KeyVaultPoller<DeletedKey>({
    state,
    intervalInMs: options.intervalInMs ?? defaultIntervalInMs,
    abortSignal: options.abortSignal,
    step: {
      async check(abortSignal) {
        try {
          wire = await ops.getKey(
            client,
            { keyName: name, keyVersion: version() },
            { ...send, ...(abortSignal ? { abortSignal } : {}) },
          );
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
