/*
 * Assertions that a typed result holds exactly what the service sent: ids, names parsed from ids,
 * dates as real Dates with the same epoch seconds, byte fields as Uint8Arrays with the same bytes.
 * Used by the unit tests and by the conformance replay.
 */
import { expect } from "vitest";
import type { DeletedKey, KeyProperties, KeyRotationPolicy, KeyVaultKey } from "../../src/index.js";

type Json = Record<string, unknown>;

const obj = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});

/** Name, version and vault URL of a kid, parsed independently of the code under test. */
export function splitKid(kid: string): { vaultUrl: string; name: string; version?: string } {
  const url = new URL(kid);
  const [, name, version] = url.pathname.split("/").filter(Boolean);
  return {
    vaultUrl: `${url.protocol}//${url.host}`,
    name: decodeURIComponent(name ?? ""),
    ...(version ? { version } : {}),
  };
}

export function expectDate(actual: unknown, seconds: unknown, what: string): void {
  if (seconds === undefined || seconds === null) {
    expect(actual, what).toBeUndefined();
    return;
  }
  expect(actual, what).toBeInstanceOf(Date);
  expect((actual as Date).getTime(), what).toBe((seconds as number) * 1000);
}

export function expectBytes(actual: unknown, base64url: unknown, what: string): void {
  if (base64url === undefined || base64url === null) {
    expect(actual, what).toBeUndefined();
    return;
  }
  // A Node Buffer, as the official package's byte fields are.
  expect(Buffer.isBuffer(actual), `${what} is a Buffer`).toBe(true);
  expect(Buffer.from(actual as Uint8Array).toString("base64url"), what).toBe(
    Buffer.from(base64url as string, "base64url").toString("base64url"),
  );
}

const same = (actual: unknown, expected: unknown, what: string): void => {
  if (expected === undefined || expected === null) expect(actual, what).toBeUndefined();
  else expect(actual, what).toEqual(expected);
};

/** `properties` of a key, deleted key or list item against the wire object it came from. */
export function expectPropertiesMatchWire(props: KeyProperties, wire: Json, kid: string): void {
  const attributes = obj(wire["attributes"]);
  const parsed = splitKid(kid);
  expect(props.id).toBe(kid);
  expect(props.name).toBe(parsed.name);
  expect(props.vaultUrl).toBe(parsed.vaultUrl);
  same(props.version, parsed.version, "version");
  same(props.enabled, attributes["enabled"], "enabled");
  expectDate(props.createdOn, attributes["created"], "createdOn");
  expectDate(props.updatedOn, attributes["updated"], "updatedOn");
  expectDate(props.notBefore, attributes["nbf"], "notBefore");
  expectDate(props.expiresOn, attributes["exp"], "expiresOn");
  same(props.recoveryLevel, attributes["recoveryLevel"], "recoveryLevel");
  same(props.recoverableDays, attributes["recoverableDays"], "recoverableDays");
  same(props.exportable, attributes["exportable"], "exportable");
  same(props.hsmPlatform, attributes["hsmPlatform"], "hsmPlatform");
  same(props.tags, wire["tags"], "tags");
  same(props.managed, wire["managed"], "managed");
  const policy = wire["release_policy"];
  if (policy === undefined || policy === null) {
    expect(props.releasePolicy).toBeUndefined();
  } else {
    const p = obj(policy);
    same(props.releasePolicy?.contentType, p["contentType"], "releasePolicy.contentType");
    same(props.releasePolicy?.immutable, p["immutable"], "releasePolicy.immutable");
    expectBytes(props.releasePolicy?.encodedPolicy, p["data"], "releasePolicy.encodedPolicy");
  }
}

const byteFields: Array<[string, string]> = [
  ["n", "n"],
  ["e", "e"],
  ["d", "d"],
  ["dp", "dp"],
  ["dq", "dq"],
  ["qi", "qi"],
  ["p", "p"],
  ["q", "q"],
  ["k", "k"],
  ["t", "key_hsm"],
  ["x", "x"],
  ["y", "y"],
];

/** A KeyVaultKey (or DeletedKey with material) against the KeyBundle it came from. */
export function expectKeyMatchesWire(key: KeyVaultKey | DeletedKey, wire: Json): void {
  const jwk = obj(wire["key"]);
  const kid = jwk["kid"] as string;
  expect(key.id).toBe(kid);
  expect(key.name).toBe(splitKid(kid).name);
  expect(key.keyType).toBe(jwk["kty"]);
  same(key.keyOperations, jwk["key_ops"], "keyOperations");
  expect(key.key?.kid).toBe(kid);
  same(key.key?.crv, jwk["crv"], "crv");
  for (const [field, wireField] of byteFields) {
    expectBytes((key.key as Record<string, unknown> | undefined)?.[field], jwk[wireField], `key.${field}`);
  }
  expectPropertiesMatchWire(key.properties, wire, kid);
}

/** A DeletedKey against a DeletedKeyBundle or DeletedKeyItem. */
export function expectDeletedKeyMatchesWire(deleted: DeletedKey, wire: Json): void {
  if (wire["key"]) expectKeyMatchesWire(deleted, wire);
  else expectPropertiesMatchWire(deleted.properties, wire, wire["kid"] as string);
  same(deleted.recoveryId, wire["recoveryId"], "recoveryId");
  same(deleted.properties.recoveryId, wire["recoveryId"], "properties.recoveryId");
  expectDate(deleted.deletedDate, wire["deletedDate"], "deletedDate");
  expectDate(deleted.properties.deletedOn, wire["deletedDate"], "properties.deletedOn");
  expectDate(deleted.scheduledPurgeDate, wire["scheduledPurgeDate"], "scheduledPurgeDate");
  expectDate(deleted.properties.scheduledPurgeDate, wire["scheduledPurgeDate"], "properties.scheduledPurgeDate");
}

/** A KeyRotationPolicy against the wire policy. Action types are normalised to `Rotate`/`Notify`. */
export function expectRotationPolicyMatchesWire(policy: KeyRotationPolicy, wire: Json): void {
  const attributes = obj(wire["attributes"]);
  same(policy.id, wire["id"], "id");
  same(policy.expiresIn, attributes["expiryTime"], "expiresIn");
  expectDate(policy.createdOn, attributes["created"], "createdOn");
  expectDate(policy.updatedOn, attributes["updated"], "updatedOn");
  const actions = (wire["lifetimeActions"] as Json[] | undefined) ?? [];
  expect(policy.lifetimeActions ?? []).toHaveLength(actions.length);
  actions.forEach((action, i) => {
    const type = String(obj(action["action"])["type"]);
    const actual = policy.lifetimeActions![i]!;
    expect(actual.action.toLowerCase()).toBe(type.toLowerCase());
    expect(["Rotate", "Notify"]).toContain(actual.action);
    same(actual.timeAfterCreate, obj(action["trigger"])["timeAfterCreate"], "timeAfterCreate");
    same(actual.timeBeforeExpiry, obj(action["trigger"])["timeBeforeExpiry"], "timeBeforeExpiry");
  });
}
