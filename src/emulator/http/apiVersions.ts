/**
 * The api-versions the emulator speaks, and the few answer details that depend on them. The service
 * accepts every published version of the keys API, previews included; each one is answered in the
 * shape of the stable version it belongs to (`7.4-preview.1` as 7.4), and anything else is refused.
 * @internal
 */
import { badParameter } from "../vault/errors.js";

/** The stable versions whose answer shapes differ, oldest first. @internal */
export const stableApiVersions = [
  "2015-06-01",
  "2016-10-01",
  "7.0",
  "7.1",
  "7.2",
  "7.3",
  "7.4",
  "7.5",
  "7.6",
  "2025-07-01",
] as const;

/** A stable version, naming an answer shape. @internal */
export type StableApiVersion = (typeof stableApiVersions)[number];

/**
 * Every published preview of the keys API, with the stable version whose shape answers it. The
 * date-named previews after 2025-07-01 (the newest version this emulator implements) get its shape.
 */
const previewShapes: Readonly<Record<string, StableApiVersion>> = {
  "7.0-preview": "7.0",
  "7.1-preview": "7.1",
  "7.2-preview": "7.2",
  "7.3-preview": "7.3",
  "7.4-preview.1": "7.4",
  "7.5-preview.1": "7.5",
  "7.6-preview.1": "7.6",
  "7.6-preview.2": "7.6",
  "2025-06-01-preview": "2025-07-01",
  "2026-01-01-preview": "2025-07-01",
  "2026-03-01-preview": "2025-07-01",
  "2026-04-01": "2025-07-01",
  "2026-05-01-preview": "2025-07-01",
  "2026-07-01-preview": "2025-07-01",
};

/** Every accepted api-version value: the stable versions, then the previews. @internal */
export const supportedApiVersions: readonly string[] = [...stableApiVersions, ...Object.keys(previewShapes)];

/** The stable version whose answer shape applies to `apiVersion` (a value {@link checkApiVersion} accepted). @internal */
export function shapeOf(apiVersion: string): StableApiVersion {
  const preview = previewShapes[apiVersion];
  if (preview) return preview;
  if ((stableApiVersions as readonly string[]).includes(apiVersion)) return apiVersion as StableApiVersion;
  throw new Error(`api-version ${apiVersion} was not checked`);
}

/** Checks the api-version query value and returns it, as sent. @internal */
export function checkApiVersion(value: string | null): string {
  if (value === null || value === "") {
    throw badParameter(
      "The 'api-version' query parameter is missing. Supported versions: " + stableApiVersions.join(", ") + ".",
    );
  }
  if (!supportedApiVersions.includes(value)) {
    throw badParameter(
      `The specified version (${value}) is not recognized. Consider using the latest supported version (2025-07-01).`,
    );
  }
  return value;
}

/** True when the shape of `apiVersion` is that of `minimum` or a newer stable version. @internal */
export function atLeast(apiVersion: string, minimum: StableApiVersion): boolean {
  return stableApiVersions.indexOf(shapeOf(apiVersion)) >= stableApiVersions.indexOf(minimum);
}
