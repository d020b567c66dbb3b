/**
 * Builds our KeyClient and the official @azure/keyvault-keys KeyClient against one fake vault, runs the
 * same call through both (resetting the fake in between) and compares everything with `expectSameRun`:
 * every request on the wire (wireComparison.ts) and the whole outcome, resolved value or rejection
 * (../deepDiff.ts).
 */
import { AbortError } from "@azure/abort-controller";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { KeyClient as OfficialKeyClient } from "@azure/keyvault-keys";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { KeyClient } from "../../../src/index.js";
import { expectSame } from "../deepDiff.js";
import { startFakeVault, type FakeVault } from "./fakeVault.js";
import type { RecordedRequest } from "./recordedRequest.js";
import { expectSameKeyOrder, wireRequest, type WireRequest } from "./wireComparison.js";

export const TOKEN = "fake-differential-token";

/** A credential that always hands out the same token; records the scopes it was asked for. */
export function fakeCredential(scopes: string[][] = []): TokenCredential {
  return {
    async getToken(requested: string | string[]): Promise<AccessToken> {
      scopes.push(Array.isArray(requested) ? [...requested] : [requested]);
      return { token: TOKEN, expiresOnTimestamp: 4102444800000 };
    },
  };
}

/** Client options both clients get (each its own copy: the official client writes into its options). */
export function clientOptions(): {
  allowInsecureConnection: true;
  disableChallengeResourceVerification: true;
  retryOptions: { maxRetries: number };
} {
  return { allowInsecureConnection: true, disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } };
}

export interface ClientPair {
  ours: KeyClient;
  official: OfficialKeyClient;
}

export function createClients(
  vault: FakeVault,
  credential: TokenCredential = fakeCredential(),
  options: Record<string, unknown> = {},
): ClientPair {
  return {
    ours: new KeyClient(vault.url, credential, { ...clientOptions(), ...options }),
    official: new OfficialKeyClient(vault.url, credential, { ...clientOptions(), ...options }),
  };
}

/** How a call ended: its value, or what it threw or rejected with (a synchronous throw counts too). */
export type Outcome<T> = { resolved: T } | { rejected: unknown };

export async function settle<T>(call: () => T | Promise<T>): Promise<Outcome<Awaited<T>>> {
  try {
    return { resolved: await call() };
  } catch (error) {
    return { rejected: error };
  }
}

export interface DiffRun<O, U> {
  official: Outcome<O>;
  ours: Outcome<U>;
  officialRequests: RecordedRequest[];
  ourRequests: RecordedRequest[];
}

/** Runs `officialCall` then `ourCall`, each against the freshly reset fake vault. */
export async function runBoth<O, U>(
  vault: FakeVault,
  officialCall: () => O | Promise<O>,
  ourCall: () => U | Promise<U>,
): Promise<DiffRun<Awaited<O>, Awaited<U>>> {
  vault.reset();
  const official = await settle(officialCall);
  const officialRequests = [...vault.requests];
  vault.reset();
  const ours = await settle(ourCall);
  const ourRequests = [...vault.requests];
  vault.reset();
  return { official, ours, officialRequests, ourRequests };
}

/** What `expectSameRun` compares: the requests in order, and the outcome. */
export interface ComparedRun {
  requests: WireRequest[];
  outcome: Outcome<unknown>;
}

/**
 * Both clients sent the same requests and ended the same way, except for the named `differences`
 * (paths into {@link ComparedRun}: `outcome.resolved.properties.exportable`, `requests[0].body.kty`,
 * `outcome.rejected.message`), where ours must hold the value given.
 */
export function expectSameRun(run: DiffRun<unknown, unknown>, differences: Record<string, unknown> = {}): void {
  const official: ComparedRun = {
    requests: run.officialRequests.map((r) => wireRequest(r, "official")),
    outcome: run.official,
  };
  const ours: ComparedRun = { requests: run.ourRequests.map((r) => wireRequest(r, "ours")), outcome: run.ours };
  expectSame(official, ours, differences);
  official.requests.forEach((r, i) => expectSameKeyOrder(r.body, ours.requests[i]?.body));
}

/** The value a call of the run resolved to, failing the test when it rejected. */
export function resolved<T>(outcome: Outcome<T>): T {
  if ("rejected" in outcome) expect.fail(`the call rejected: ${String(outcome.rejected)}`);
  return outcome.resolved;
}

/** The error a call of the run rejected with, failing the test when it resolved. */
export function rejected(outcome: Outcome<unknown>): unknown {
  if (!("rejected" in outcome)) expect.fail("the call resolved, a rejection was expected");
  return outcome.rejected;
}

/**
 * Named difference (aborts): ours rejects with `@azure/abort-controller`'s `AbortError`, the official
 * client with core's own (the `AbortError` class of `@typespec/ts-http-runtime`, which core-rest-pipeline
 * does not export); the same `name` and `message`. Checks ours' error against the official one.
 */
export function sameAbortError(official: Outcome<unknown>): (error: unknown) => void {
  return (error) => {
    const theirs = rejected(official) as Error;
    expect(theirs.name).toBe("AbortError");
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).message).toBe(theirs.message);
  };
}

/** The fake vault and both clients of a test file, made (and their 401 challenge answered) before its tests. */
export function differentialVault(options: { initiallyDeleted?: string[] } = {}): {
  readonly vault: FakeVault;
  readonly ours: KeyClient;
  readonly official: OfficialKeyClient;
} {
  const state: { vault?: FakeVault; clients?: ClientPair } = {};
  beforeAll(async () => {
    state.vault = await startFakeVault(options);
    state.clients = createClients(state.vault);
    // Each client answers its 401 challenge once; the tests then see authenticated requests only.
    await state.clients.official.getKey("warm-up");
    await state.clients.ours.getKey("warm-up");
  });
  afterAll(async () => {
    await state.vault?.close();
  });
  afterEach(() => {
    state.vault?.script(undefined);
  });
  return {
    get vault() {
      return state.vault!;
    },
    get ours() {
      return state.clients!.ours;
    },
    get official() {
      return state.clients!.official;
    },
  };
}
