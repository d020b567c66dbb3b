import { LATEST_API_VERSION, knownServiceVersions } from "../models/known.js";

/**
 * The api-version to send: the caller's `serviceVersion`, which must be one this client knows, or the
 * newest. An unknown value is an error at construction, naming the known ones.
 * @internal
 */
export function resolveServiceVersion(serviceVersion: string | undefined): string {
  if (serviceVersion === undefined) return LATEST_API_VERSION;
  if (!(knownServiceVersions as readonly string[]).includes(serviceVersion)) {
    throw new RangeError(
      `Unknown serviceVersion "${serviceVersion}". Known versions: ${[...knownServiceVersions].reverse().join(", ")}.`,
    );
  }
  return serviceVersion;
}
