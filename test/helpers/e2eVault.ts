/**
 * Helpers of the end-to-end tests: an emulator over real HTTPS on loopback, trusted the way users
 * trust it, through the client option `tlsOptions: { ca }` (nothing configured globally, no agent:
 * the clients make their own connections, as with the default options), and small assertions for
 * RestErrors, pages and pollers.
 */
import { randomBytes } from "node:crypto";
import * as https from "node:https";
import { expect } from "vitest";
import type { TokenCredential } from "@azure/core-auth";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";
import { KeyClient } from "../../src/index.js";

export { collect } from "./collect.js";

/** A started emulator with the options to connect a client to it. */
export interface E2EVault {
  emulator: RunningEmulator;
  /** An agent that trusts the emulator's certificate, for raw requests and the one run that passes an agent. */
  agent: https.Agent;
  /** Options for our KeyClient / CryptographyClient and the official ones alike. */
  clientOptions: { tlsOptions: { ca: string }; disableChallengeResourceVerification: true };
  close(): Promise<void>;
}

/** Starts an emulator over HTTPS (a free loopback port), with client options that trust its certificate. */
export async function startE2EVault(options: EmulatorOptions = {}): Promise<E2EVault> {
  const emulator = await startEmulator({ port: 0, ...options });
  const ca = emulator.certificate;
  if (ca === undefined) throw new Error("The end-to-end vault serves HTTPS: start it without https: false.");
  const agent = new https.Agent({ ca, keepAlive: true });
  let closed: Promise<void> | undefined;
  return {
    emulator,
    agent,
    clientOptions: { tlsOptions: { ca }, disableChallengeResourceVerification: true },
    close: () =>
      (closed ??= (async () => {
        agent.destroy();
        await emulator.close();
      })()),
  };
}

/** {@link startE2EVault}, and our KeyClient for it. */
export async function startE2EKeyClient(
  options: EmulatorOptions = {},
): Promise<{ vault: E2EVault; client: KeyClient }> {
  const vault = await startE2EVault(options);
  return { vault, client: new KeyClient(vault.emulator.url, vault.emulator.credential, vault.clientOptions) };
}

/** A key name unique within the run (soft-deleted names stay taken). */
export function e2eName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

/** A credential whose tokens the emulator refuses. */
export const bogusCredential: TokenCredential = {
  getToken: async () => ({ token: "not-a-token", expiresOnTimestamp: Date.now() + 3600_000 }),
};

interface RestErrorLike {
  name: string;
  statusCode?: number;
  code?: string;
  message: string;
  details?: unknown;
}

/** Awaits `promise`, expects a RestError with that status (and code), and returns it. */
export async function expectRestError(
  promise: Promise<unknown>,
  statusCode: number,
  code?: string,
): Promise<RestErrorLike> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected a RestError").toBeInstanceOf(Error);
  const error = caught as RestErrorLike;
  expect(error.name).toBe("RestError");
  expect(error.statusCode, error.message).toBe(statusCode);
  if (code !== undefined) expect(error.code, error.message).toBe(code);
  return error;
}

/** Expects no duplicates in a list of names or ids. */
export function expectUnique(values: readonly string[]): void {
  const seen = new Set<string>();
  const duplicates = values.filter((value) => (seen.has(value) ? true : (seen.add(value), false)));
  expect(duplicates).toEqual([]);
}

const privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k"] as const;

/** Expects a key the vault answered to carry no private material. */
export function expectNoPrivateMembers(key: { key?: Partial<Record<(typeof privateMembers)[number], unknown>> }): void {
  for (const member of privateMembers) expect(key.key?.[member], member).toBeUndefined();
}
