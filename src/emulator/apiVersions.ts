/**
 * The api-versions the emulator speaks, and the few answer details that depend on them.
 * @internal
 */
import { badParameter } from "./errors.js";

/** Accepted api-version values, oldest first. @internal */
export const supportedApiVersions = ["7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "2025-07-01"] as const;

/** Checks the api-version query value and returns it. @internal */
export function checkApiVersion(value: string | null): string {
  if (value === null || value === "") {
    throw badParameter(
      "The 'api-version' query parameter is missing. Supported versions: " + supportedApiVersions.join(", ") + ".",
    );
  }
  if (!(supportedApiVersions as readonly string[]).includes(value)) {
    throw badParameter(
      `The specified version (${value}) is not recognized. Consider using the latest supported version (2025-07-01).`,
    );
  }
  return value;
}

/** True when `apiVersion` is `minimum` or newer. @internal */
export function atLeast(apiVersion: string, minimum: (typeof supportedApiVersions)[number]): boolean {
  return (supportedApiVersions as readonly string[]).indexOf(apiVersion) >= supportedApiVersions.indexOf(minimum);
}
