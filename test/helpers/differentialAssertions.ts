/**
 * Assertions shared by the differential tests: same requests, same results (ours may be a listed
 * superset), and the documented, deliberate differences.
 */
import { expect } from "vitest";
import { extraPaths, normalize, without, type ComparableRequest, type DiffRun } from "./differentialClients.js";

/**
 * Fields our `DeletedKey` has on top of the official one: the deletion facts also at the top level,
 * under the Python names (the official package has them only in `properties`).
 */
export const DELETED_KEY_EXTRAS = ["deletedDate", "scheduledPurgeDate", "recoveryId"] as const;

/** Both clients sent the same (non-empty) list of requests. */
export function expectSameRequests(run: DiffRun<unknown, unknown>): void {
  expect(run.officialRequests.length).toBeGreaterThan(0);
  expect(run.ourRequests).toEqual(run.officialRequests);
}

/**
 * Both results are equal once normalized; ours may have exactly the `extras` (dotted paths) on top,
 * which must be present in ours and absent in the official result.
 */
export function expectSameResult(official: unknown, ours: unknown, extras: readonly string[] = []): void {
  expect(extraPaths(official, ours).sort()).toEqual([...extras].sort());
  expect(without(ours, ...extras)).toEqual(normalize(official));
}

/** `expectSameResult` item by item, with the same extras for every item (a function gives per-item extras). */
export function expectSameItems(
  official: readonly unknown[],
  ours: readonly unknown[],
  extras: readonly string[] | ((index: number) => readonly string[]) = [],
): void {
  expect(ours.length).toBe(official.length);
  official.forEach((item, i) => expectSameResult(item, ours[i], typeof extras === "function" ? extras(i) : extras));
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/**
 * Documented difference (equivalent on the wire): the official serializers always write `attributes`,
 * so a call that sets no attribute sends `"attributes": {}`; ours leaves the empty object out (as the
 * Python SDK does in the 2025-07-01 recordings: `{"kty": "RSA"}`). Every KeyAttributes member is
 * optional, so both mean "set nothing". Asserts that the official request really has the empty object,
 * that ours has no `attributes`, and that everything else is equal.
 */
export function expectSameRequestsExceptEmptyAttributes(run: DiffRun<unknown, unknown>, index = 0): void {
  const official = run.officialRequests[index];
  const ours = run.ourRequests[index];
  expect(isEmptyObject((official?.body as Record<string, unknown> | undefined)?.["attributes"])).toBe(true);
  expect(ours?.body).not.toHaveProperty("attributes");
  expect(run.ourRequests).toEqual(run.officialRequests.map((r, i) => (i === index ? dropAttributes(r) : r)));
}

function dropAttributes(request: ComparableRequest): ComparableRequest {
  const { attributes: _attributes, ...rest } = request.body as Record<string, unknown>;
  return { ...request, body: rest };
}
