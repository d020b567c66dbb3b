/*
 * Issue 6, hostile answers, property-based: whatever JSON the service sends, every mapper in
 * transformations.ts returns a model or throws a (pending) RestError with code "MalformedResponse"; never a
 * TypeError, RangeError or anything else. Fixed seeds keep the runs deterministic.
 */
import fc from "fast-check";
import { RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { DeletedKey, JsonWebKey, KeyProperties, KeyVaultKey } from "../../src/index.js";
import {
  deletedKeyFromItem,
  deletedKeyFromWire,
  jsonWebKeyFromWire,
  keyPropertiesFromItem,
  keyVaultKeyFromWire,
  rotationPolicyFromWire,
} from "../../src/transformations.js";
import { PendingRestError } from "../../src/http/pendingRestError.js";

const VAULT = "https://myvault.vault.azure.net";
const kid = `${VAULT}/keys/k/0123456789abcdef0123456789abcdef`;
const attributes = {
  enabled: true,
  nbf: 1700000000,
  exp: 1800000000,
  created: 1777476606,
  updated: 1777476607,
  recoveryLevel: "Recoverable+Purgeable",
  recoverableDays: 90,
  exportable: false,
  hsmPlatform: "0",
};
const jwk = { kid, kty: "RSA", key_ops: ["sign", "verify"], n: "oJFNACNK", e: "AQAB" };

/** Valid answers for each mapper, and what a success must be. */
const mappers: Array<{
  name: string;
  map: (value: unknown) => unknown;
  valid: Record<string, unknown>;
  isModel: (value: unknown) => boolean;
}> = [
  {
    name: "keyVaultKeyFromWire",
    map: keyVaultKeyFromWire,
    valid: { key: jwk, attributes, tags: { a: "b" }, release_policy: { contentType: "application/json", data: "e30" } },
    isModel: (v) => v instanceof KeyVaultKey,
  },
  {
    name: "deletedKeyFromWire",
    map: deletedKeyFromWire,
    valid: {
      key: jwk,
      attributes,
      recoveryId: `${VAULT}/deletedkeys/k`,
      deletedDate: 1777476606,
      scheduledPurgeDate: 1778081406,
    },
    isModel: (v) => v instanceof DeletedKey,
  },
  {
    name: "keyPropertiesFromItem",
    map: keyPropertiesFromItem,
    valid: { kid: `${VAULT}/keys/k`, attributes, tags: { a: "b" }, managed: true },
    isModel: (v) => v instanceof KeyProperties,
  },
  {
    name: "deletedKeyFromItem",
    map: deletedKeyFromItem,
    valid: {
      kid: `${VAULT}/keys/k`,
      attributes,
      recoveryId: `${VAULT}/deletedkeys/k`,
      deletedDate: 1,
      scheduledPurgeDate: 2,
    },
    isModel: (v) => v instanceof DeletedKey,
  },
  {
    name: "rotationPolicyFromWire",
    map: rotationPolicyFromWire,
    valid: {
      id: `${VAULT}/keys/k/rotationpolicy`,
      lifetimeActions: [{ trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } }],
      attributes: { expiryTime: "P90D", created: 1, updated: 2 },
    },
    // lifetimeActions is undefined when the answer has none, as in the official package.
    isModel: (v) => {
      if (typeof v !== "object" || v === null) return false;
      const actions = (v as { lifetimeActions?: unknown }).lifetimeActions;
      return actions === undefined || Array.isArray(actions);
    },
  },
  { name: "jsonWebKeyFromWire", map: jsonWebKeyFromWire, valid: jwk, isModel: (v) => v instanceof JsonWebKey },
];

/** Runs the mapper; fails the property unless it gave a model or a MalformedResponse RestError. */
function mapsOrRefuses(
  map: (value: unknown) => unknown,
  isModel: (value: unknown) => boolean,
  value: unknown,
): boolean {
  let result: unknown;
  try {
    result = map(value);
  } catch (error) {
    // The mappers' errors become RestErrors at the client's async boundary (see util/wireReaders.ts).
    const restError = error instanceof PendingRestError ? error.toRestError(RestError) : error;
    if (restError instanceof RestError && restError.code === "MalformedResponse") return true;
    throw new Error(
      `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} for ${JSON.stringify(value)}`,
    );
  }
  if (!isModel(result)) throw new Error(`returned ${String(result)} for ${JSON.stringify(value)}`);
  return true;
}

/** Paths into a JSON value: every key of every nested object or array. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== "object" || value === null) return [prefix];
  return [
    prefix,
    ...Object.keys(value).flatMap((key) => paths((value as Record<string, unknown>)[key], [...prefix, key])),
  ];
}

/** `value` with the member at `path` replaced (or deleted, when `replacement` is undefined). */
function replaceAt(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: Record<string, unknown> = Array.isArray(value)
    ? ([...value] as unknown as Record<string, unknown>)
    : { ...(value as Record<string, unknown>) };
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0 && replacement === undefined) delete copy[head];
  else copy[head] = replaceAt(copy[head], rest, replacement);
  return copy;
}

/** Values a broken service might put anywhere: wrong types, odd numbers, odd strings. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    undefined,
    null,
    "",
    "not a url",
    "https://x/keys",
    `${VAULT}/keys/%E0%A4%A/v`,
    `${VAULT}/secrets/k`,
    1e308,
    -1e308,
    8.64e15,
    -0,
    0.5,
    [],
    {},
    "__proto__",
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
);

describe("mappers never throw anything but a MalformedResponse", () => {
  for (const { name, map, valid, isModel } of mappers) {
    it(`${name}: the valid answer maps`, () => {
      expect(isModel(map(valid))).toBe(true);
    });

    it(`${name}: arbitrary JSON values`, () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => mapsOrRefuses(map, isModel, value)),
        { seed: 6001, numRuns: 400 },
      );
    });

    it(`${name}: arbitrary objects, also parsed from JSON text (own __proto__ keys)`, () => {
      fc.assert(
        fc.property(fc.object({ maxDepth: 3, values: [fc.jsonValue({ maxDepth: 1 })] }), (value) => {
          mapsOrRefuses(map, isModel, value);
          return mapsOrRefuses(map, isModel, JSON.parse(JSON.stringify(value)) as unknown);
        }),
        { seed: 6002, numRuns: 300 },
      );
    });

    it(`${name}: a valid answer with one member replaced or removed`, () => {
      const allPaths = paths(valid);
      fc.assert(
        fc.property(fc.constantFrom(...allPaths), hostileValue, (path, replacement) =>
          mapsOrRefuses(map, isModel, replaceAt(valid, path, replacement)),
        ),
        { seed: 6003, numRuns: 1000 },
      );
    });

    it(`${name}: a valid answer with several members replaced`, () => {
      const allPaths = paths(valid);
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.constantFrom(...allPaths), hostileValue), { minLength: 2, maxLength: 5 }),
          (edits) => {
            let value: unknown = valid;
            for (const [path, replacement] of edits) {
              try {
                value = replaceAt(value, path, replacement);
              } catch {
                // A path into a member an earlier edit replaced with a primitive: skip that edit.
              }
            }
            return mapsOrRefuses(map, isModel, value);
          },
        ),
        { seed: 6004, numRuns: 500 },
      );
    });
  }
});
