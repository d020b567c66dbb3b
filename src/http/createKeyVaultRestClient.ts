import type { TokenCredential } from "@azure/core-auth";
import type { KeyClientOptions } from "../models/operationOptions.js";
import { resolveServiceVersion } from "../util/serviceVersion.js";
import { KeyVaultRestClient, maxTimerDelayInMs } from "./keyVaultRestClient.js";

/**
 * Checks the options a client is constructed with (an unknown `serviceVersion`, a bad
 * `requestTimeoutInMs`), so that a mistake is an error at construction; returns the api-version.
 * @internal
 */
export function checkClientOptions(options: KeyClientOptions): string {
  const apiVersion = resolveServiceVersion(options.serviceVersion);
  const timeout = options.requestTimeoutInMs;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 0 && timeout <= maxTimerDelayInMs)) {
    throw new RangeError(
      `Invalid requestTimeoutInMs ${String(timeout)}: expected milliseconds from 0 to ${maxTimerDelayInMs}.`,
    );
  }
  return apiVersion;
}

/**
 * The REST client of one vault, as both public clients build it from their options: the api-version
 * and the request timeout, each checked here once (the pipeline is made on the first request).
 * @internal
 */
export function createKeyVaultRestClient(
  vaultUrl: string,
  credential: TokenCredential,
  options: KeyClientOptions,
): KeyVaultRestClient {
  const apiVersion = checkClientOptions(options);
  const timeout = options.requestTimeoutInMs;
  return new KeyVaultRestClient(vaultUrl, credential, options, {
    apiVersion,
    allowInsecureConnection: options.allowInsecureConnection ?? false,
    ...(timeout !== undefined ? { requestTimeoutInMs: timeout } : {}),
  });
}
