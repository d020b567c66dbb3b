/**
 * Helpers of the end-to-end tests: an emulator over real HTTPS on loopback, trusted through an agent
 * (nothing configured globally), and small assertions for RestErrors, pages and pollers.
 */
import { randomBytes } from "node:crypto";
import * as https from "node:https";
import { expect } from "vitest";
import type { TokenCredential } from "@azure/core-auth";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";

/** A started emulator with the options to connect a client to it. */
export interface E2EVault {
  emulator: RunningEmulator;
  agent: https.Agent;
  /** Options for our KeyClient / CryptographyClient and the official ones alike. */
  clientOptions: { agent: https.Agent; disableChallengeResourceVerification: true };
  close(): Promise<void>;
}

/** Starts an emulator over HTTPS (a free loopback port) and an agent that trusts its certificate. */
export async function startE2EVault(options: EmulatorOptions = {}): Promise<E2EVault> {
  const emulator = await startEmulator({ port: 0, ...options });
  const agent = new https.Agent({ ca: emulator.certificate, keepAlive: true });
  let closed: Promise<void> | undefined;
  return {
    emulator,
    agent,
    clientOptions: { agent, disableChallengeResourceVerification: true },
    close: () =>
      (closed ??= (async () => {
        agent.destroy();
        await emulator.close();
      })()),
  };
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

/** Collects an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Expects no duplicates in a list of names or ids. */
export function expectUnique(values: readonly string[]): void {
  const seen = new Set<string>();
  const duplicates = values.filter((value) => (seen.has(value) ? true : (seen.add(value), false)));
  expect(duplicates).toEqual([]);
}
