import type * as Wire from "./generated/models.js";
import { fromBase64Url, fromUnixSeconds, toBase64Url, toUnixSeconds } from "./util/encoding.js";
import { parseKeyVaultKeyIdentifier, type KeyVaultKeyIdentifier } from "./identifier.js";
import { DeletedKey, DeletedKeyProperties, type DeletionFields } from "./models/deletedKey.js";
import { JsonWebKey, type JsonWebKeyFields } from "./models/jsonWebKey.js";
import {
  KeyProperties,
  type KeyAttestation,
  type KeyPropertiesFields,
  type KeyReleasePolicy,
} from "./models/keyProperties.js";
import { KeyVaultKey } from "./models/keyVaultKey.js";
import type {
  KeyRotationLifetimeAction,
  KeyRotationPolicy,
  KeyRotationPolicyProperties,
} from "./models/rotationPolicy.js";
import { PendingRestError } from "./http/pendingRestError.js";

/*
 * The one place that knows both the wire types and the public models. Each mapper from the wire
 * checks the types of what it reads and fails with a RestError (code MalformedResponse) that names the
 * missing or malformed field, so a broken answer never surfaces as a TypeError from deep inside.
 * The mappers here run without @azure/core-rest-pipeline loaded: they throw a PendingRestError, which
 * the client's async boundary turns into the RestError; transformations.ts gives the same mappers
 * throwing the RestError itself.
 */

type Json = Record<string, unknown>;

/** The error of an answer that is not what the service should send (a RestError to the caller). @internal */
export function malformed(what: string, expected: string): PendingRestError {
  return new PendingRestError(`Malformed response from Key Vault: ${what} should be ${expected}.`, {
    code: "MalformedResponse",
  });
}

function asObject(value: unknown, what: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformed(what, "an object");
  return value as Json;
}

/** A field of the type given, or undefined when absent or null; anything else is malformed. */
function optional(obj: Json, field: string, what: string, type: "string"): string | undefined;
function optional(obj: Json, field: string, what: string, type: "number"): number | undefined;
function optional(obj: Json, field: string, what: string, type: "boolean"): boolean | undefined;
function optional(
  obj: Json,
  field: string,
  what: string,
  type: "string" | "number" | "boolean",
): string | number | boolean | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) throw malformed(`${what}.${field}`, `a ${type}`);
  return value as string | number | boolean;
}

function requiredString(obj: Json, field: string, what: string): string {
  const value = optional(obj, field, what, "string");
  if (value === undefined) throw malformed(`${what}.${field}`, "present (a string)");
  return value;
}

function optionalDate(obj: Json, field: string, what: string): Date | undefined {
  const seconds = optional(obj, field, what, "number");
  if (seconds === undefined) return undefined;
  const date = fromUnixSeconds(seconds);
  if (Number.isNaN(date.getTime())) throw malformed(`${what}.${field}`, "a date in epoch seconds");
  return date;
}

function optionalBytes(obj: Json, field: string, what: string): Uint8Array | undefined {
  const text = optional(obj, field, what, "string");
  return text === undefined ? undefined : fromBase64Url(text);
}

function optionalTags(obj: Json, what: string): Record<string, string> | undefined {
  const tags = obj["tags"];
  if (tags === undefined || tags === null) return undefined;
  const record = asObject(tags, `${what}.tags`);
  for (const [name, value] of Object.entries(record)) {
    if (typeof value !== "string") throw malformed(`${what}.tags.${name}`, "a string");
  }
  return { ...(record as Record<string, string>) };
}

function optionalStringArray(obj: Json, field: string, what: string): string[] | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
    throw malformed(`${what}.${field}`, "an array of strings");
  return [...(value as string[])];
}

/** The JWK fields after kid, kty and key_ops, in the official package's order (`t` is `key_hsm` on the wire). */
const wireOrder = ["n", "e", "d", "dp", "dq", "qi", "p", "q", "k", "t", "crv", "x", "y"] as const;

/** A JWK of the wire as a {@link JsonWebKey}: every field an own key, as in the official package. @internal */
export function jsonWebKeyFromWire(value: unknown, what = "key"): JsonWebKey {
  const wire = asObject(value, what);
  const key = Object.create(JsonWebKey.prototype) as Record<string, unknown>;
  key["kid"] = optional(wire, "kid", what, "string");
  key["kty"] = optional(wire, "kty", what, "string");
  key["keyOps"] = optionalStringArray(wire, "key_ops", what);
  for (const name of wireOrder) {
    key[name] =
      name === "crv"
        ? optional(wire, name, what, "string")
        : optionalBytes(wire, name === "t" ? "key_hsm" : name, what);
  }
  return key;
}

/** A {@link JsonWebKey} as the wire's JWK, fields in the order the official client writes them. @internal */
export function jsonWebKeyToWire(key: JsonWebKeyFields): Wire.JsonWebKey {
  const wire: Record<string, unknown> = {};
  if (key.kid !== undefined) wire["kid"] = key.kid;
  if (key.kty !== undefined) wire["kty"] = key.kty;
  if (key.keyOps !== undefined) wire["key_ops"] = [...key.keyOps];
  for (const name of wireOrder) {
    const value = key[name];
    if (value === undefined) continue;
    wire[name === "t" ? "key_hsm" : name] = typeof value === "string" ? value : toBase64Url(value);
  }
  return wire;
}

/** A release policy of the wire; its three fields are always keys of the result, as in the official package. @internal */
export function releasePolicyFromWire(value: unknown, what: string): KeyReleasePolicy | undefined {
  if (value === undefined || value === null) return undefined;
  const wire = asObject(value, what);
  return {
    contentType: optional(wire, "contentType", what, "string"),
    immutable: optional(wire, "immutable", what, "boolean"),
    encodedPolicy: optionalBytes(wire, "data", what),
  };
}

/** @internal */
export function releasePolicyToWire(policy: KeyReleasePolicy | undefined): Wire.KeyReleasePolicy | undefined {
  if (!policy) return undefined;
  const wire: Wire.KeyReleasePolicy = {};
  if (policy.contentType !== undefined) wire.contentType = policy.contentType;
  if (policy.immutable !== undefined) wire.immutable = policy.immutable;
  if (policy.encodedPolicy !== undefined) wire.data = toBase64Url(policy.encodedPolicy);
  return wire;
}

function attestationFromWire(value: unknown, what: string): KeyAttestation | undefined {
  if (value === undefined || value === null) return undefined;
  const wire = asObject(value, what);
  return {
    certificatePemFile: optionalBytes(wire, "certificatePemFile", what),
    privateKeyAttestation: optionalBytes(wire, "privateKeyAttestation", what),
    publicKeyAttestation: optionalBytes(wire, "publicKeyAttestation", what),
    version: optional(wire, "version", what, "string"),
  };
}

/** The kid, parsed once, so that a kid that is not a key identifier is a MalformedResponse, not a TypeError. */
function parseKid(id: string, what: string): KeyVaultKeyIdentifier {
  const parsed = parseKidFast(id) ?? parseKidSlow(id);
  if (!parsed) throw malformed(`${what} kid`, "a key identifier such as https://<vault>/keys/<name>/<version>");
  return parsed;
}

function parseKidSlow(id: string): KeyVaultKeyIdentifier | undefined {
  try {
    const parsed = parseKeyVaultKeyIdentifier(id);
    // As the service writes them: a key collection, and a name and version of 0-9, a-z, A-Z and '-'.
    const collection = new URL(id).pathname.split("/")[1];
    const segment = /^[0-9A-Za-z-]+$/;
    if (collection !== "keys" && collection !== "deletedkeys") return undefined;
    if (!segment.test(parsed.name) || (parsed.version !== undefined && !segment.test(parsed.version))) return undefined;
    return parsed;
  } catch {
    return undefined;
  }
}

/** What a key bundle or item says about the key besides its material, every field read (undefined when absent). */
interface WireProperties {
  tags: Record<string, string> | undefined;
  enabled: boolean | undefined;
  notBefore: Date | undefined;
  expiresOn: Date | undefined;
  createdOn: Date | undefined;
  updatedOn: Date | undefined;
  recoverableDays: number | undefined;
  recoveryLevel: string | undefined;
  exportable: boolean | undefined;
  hsmPlatform: string | undefined;
  attestation: KeyAttestation | undefined;
  managed: boolean | undefined;
}

function readProperties(wire: Json, what: string): WireProperties {
  const at = `${what}.attributes`;
  const wireAttributes = wire["attributes"];
  const attributes = wireAttributes === undefined || wireAttributes === null ? {} : asObject(wireAttributes, at);
  return {
    tags: optionalTags(wire, what),
    enabled: optional(attributes, "enabled", at, "boolean"),
    notBefore: optionalDate(attributes, "nbf", at),
    expiresOn: optionalDate(attributes, "exp", at),
    createdOn: optionalDate(attributes, "created", at),
    updatedOn: optionalDate(attributes, "updated", at),
    recoverableDays: optional(attributes, "recoverableDays", at, "number"),
    recoveryLevel: optional(attributes, "recoveryLevel", at, "string"),
    exportable: optional(attributes, "exportable", at, "boolean"),
    hsmPlatform: optional(attributes, "hsmPlatform", at, "string"),
    attestation: attestationFromWire(attributes["attestation"], `${at}.attestation`),
    managed: optional(wire, "managed", what, "boolean"),
  };
}

/** The fields of a bundle's {@link KeyProperties}: the key's own, its identifier's parts and its release policy. */
function bundleFields(wire: Json, kid: string, what: string): KeyPropertiesFields {
  const parsed = parseKid(kid, what);
  const read = readProperties(wire, what);
  // One literal, in the order of the properties (a spread of `read` costs more than the rest of the mapping).
  return {
    tags: read.tags,
    enabled: read.enabled,
    notBefore: read.notBefore,
    expiresOn: read.expiresOn,
    createdOn: read.createdOn,
    updatedOn: read.updatedOn,
    recoverableDays: read.recoverableDays,
    recoveryLevel: read.recoveryLevel,
    exportable: read.exportable,
    releasePolicy: releasePolicyFromWire(wire["release_policy"], `${what}.release_policy`),
    hsmPlatform: read.hsmPlatform,
    vaultUrl: parsed.vaultUrl,
    version: parsed.version,
    name: parsed.name,
    managed: read.managed,
    id: kid,
    attestation: read.attestation,
  };
}

/**
 * The {@link KeyProperties} of a list item, with the keys of the official package's list items (no
 * release policy or attestation), made field by field: a listing makes one per key. `exportable` is
 * kept when the item has it (the official package drops it).
 */
function itemProperties<P extends KeyProperties>(prototype: P, wire: Json, kid: string, what: string): P {
  const parsed = parseKid(kid, what);
  const read = readProperties(wire, what);
  const properties = Object.create(prototype) as Record<string, unknown>;
  properties["createdOn"] = read.createdOn;
  properties["enabled"] = read.enabled;
  properties["expiresOn"] = read.expiresOn;
  properties["id"] = kid;
  properties["managed"] = read.managed;
  properties["name"] = parsed.name;
  properties["notBefore"] = read.notBefore;
  properties["recoverableDays"] = read.recoverableDays;
  properties["recoveryLevel"] = read.recoveryLevel;
  properties["hsmPlatform"] = read.hsmPlatform;
  properties["tags"] = read.tags;
  properties["updatedOn"] = read.updatedOn;
  properties["vaultUrl"] = parsed.vaultUrl;
  properties["version"] = parsed.version;
  if (read.exportable !== undefined) properties["exportable"] = read.exportable;
  return properties as P;
}

/**
 * The identifier of a key as the service writes it (`https://<vault host>[:port]/keys/<name>[/<version>]`,
 * lower-case host, names of 0-9, a-z, A-Z and '-'), parsed without a URL object: the same parts as
 * {@link parseKeyVaultKeyIdentifier}, which a URL would give back unchanged. Anything else (upper-case
 * or international hosts, numeric hosts other than dotted quads, default ports, escapes, trailing
 * slashes) returns `undefined`, for the full parser.
 */
const serviceKid =
  /^(https?):\/\/((?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*|(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(?::([1-9]\d{0,4}))?\/(?:keys|deletedkeys)\/([0-9A-Za-z-]+)(?:\/([0-9A-Za-z-]+))?$/;

function parseKidFast(id: string): KeyVaultKeyIdentifier | undefined {
  const m = serviceKid.exec(id);
  if (!m) return undefined;
  const [, scheme, host, port, name, version] = m as unknown as [
    string,
    string,
    string,
    string | undefined,
    string,
    string | undefined,
  ];
  if (host.includes("xn--")) return undefined;
  if (port !== undefined && (Number(port) > 65535 || port === (scheme === "https" ? "443" : "80"))) return undefined;
  return {
    sourceId: id,
    vaultUrl: `${scheme}://${host}${port !== undefined ? `:${port}` : ""}`,
    name,
    version,
  };
}

function deletionFieldsFromWire(wire: Json, what: string): DeletionFields {
  return {
    recoveryId: optional(wire, "recoveryId", what, "string"),
    deletedOn: optionalDate(wire, "deletedDate", what),
    scheduledPurgeDate: optionalDate(wire, "scheduledPurgeDate", what),
  };
}

/** A key bundle (create, import, get, update, rotate, restore, recover) as a {@link KeyVaultKey}. @internal */
export function keyVaultKeyFromWire(value: unknown): KeyVaultKey {
  const wire = asObject(value, "key bundle");
  const key = jsonWebKeyFromWire(wire["key"], "key bundle.key");
  if (key.kid === undefined) throw malformed("key bundle.key.kid", "present (a string)");
  return new KeyVaultKey(key.kid, key, bundleFields(wire, key.kid, "key bundle"));
}

/**
 * A deleted key bundle (delete, get deleted) as a {@link DeletedKey}; its properties have the deletion
 * facts when the bundle has a `recoveryId` (none without soft delete), as in the official package. @internal
 */
export function deletedKeyFromWire(value: unknown): DeletedKey {
  const wire = asObject(value, "deleted key bundle");
  const key = jsonWebKeyFromWire(wire["key"], "deleted key bundle.key");
  if (key.kid === undefined) throw malformed("deleted key bundle.key.kid", "present (a string)");
  const fields = bundleFields(wire, key.kid, "deleted key bundle");
  const deletion = deletionFieldsFromWire(wire, "deleted key bundle");
  return new DeletedKey(key.kid, key, deletion.recoveryId ? { ...fields, ...deletion } : fields);
}

/** A list item of `/keys` or `/keys/{name}/versions` as {@link KeyProperties}. @internal */
export function keyPropertiesFromItem(value: unknown): KeyProperties {
  const wire = asObject(value, "key item");
  return itemProperties(KeyProperties.prototype, wire, requiredString(wire, "kid", "key item"), "key item");
}

/**
 * A list item of `/deletedkeys` as a {@link DeletedKey}: no key material, but `key.kid` is set, as the
 * official package does (callers read `deletedKey.key?.kid`). @internal
 */
export function deletedKeyFromItem(value: unknown): DeletedKey {
  const what = "deleted key item";
  const wire = asObject(value, what);
  const kid = requiredString(wire, "kid", what);
  const properties = itemProperties(DeletedKeyProperties.prototype, wire, kid, what) as unknown as Record<
    string,
    unknown
  >;
  const deletion = deletionFieldsFromWire(wire, what);
  properties["recoveryId"] = deletion.recoveryId;
  properties["scheduledPurgeDate"] = deletion.scheduledPurgeDate;
  properties["deletedOn"] = deletion.deletedOn;
  const key = Object.create(JsonWebKey.prototype) as Record<string, unknown>;
  key["kid"] = kid;
  const deleted = Object.create(DeletedKey.prototype) as Record<string, unknown>;
  deleted["key"] = key;
  deleted["id"] = kid;
  deleted["name"] = properties["name"];
  deleted["properties"] = properties;
  return deleted as unknown as DeletedKey;
}

/** The attributes part of a create, import or update request. @internal */
export function keyAttributesToWire(options: {
  enabled?: boolean | undefined;
  notBefore?: Date | undefined;
  expiresOn?: Date | undefined;
  exportable?: boolean | undefined;
}): Wire.KeyAttributes | undefined {
  const attributes: Wire.KeyAttributes = {};
  if (options.enabled !== undefined) attributes.enabled = options.enabled;
  if (options.notBefore !== undefined) attributes.nbf = toUnixSeconds(options.notBefore);
  if (options.expiresOn !== undefined) attributes.exp = toUnixSeconds(options.expiresOn);
  if (options.exportable !== undefined) attributes.exportable = options.exportable;
  return Object.keys(attributes).length > 0 ? attributes : undefined;
}

/**
 * A rotation policy of the wire, with the keys of the official package's object (`id`, `createdOn`,
 * `updatedOn`, `expiresIn`, `lifetimeActions`; each action `action`, `timeAfterCreate` and
 * `timeBeforeExpiry`), each present even when `undefined`. @internal
 */
export function rotationPolicyFromWire(value: unknown): KeyRotationPolicy {
  const wire = asObject(value, "rotation policy");
  const attributes =
    wire["attributes"] === undefined || wire["attributes"] === null
      ? {}
      : asObject(wire["attributes"], "rotation policy.attributes");
  const actionsValue = wire["lifetimeActions"];
  if (actionsValue !== undefined && actionsValue !== null && !Array.isArray(actionsValue)) {
    throw malformed("rotation policy.lifetimeActions", "an array");
  }
  const lifetimeActions = (actionsValue as unknown[] | null | undefined)?.map((item, i): KeyRotationLifetimeAction => {
    const what = `rotation policy.lifetimeActions[${i}]`;
    const entry = asObject(item, what);
    const trigger =
      entry["trigger"] === undefined || entry["trigger"] === null ? {} : asObject(entry["trigger"], `${what}.trigger`);
    const action = asObject(entry["action"], `${what}.action`);
    return {
      action: normalizeAction(requiredString(action, "type", `${what}.action`)),
      timeAfterCreate: optional(trigger, "timeAfterCreate", `${what}.trigger`, "string"),
      timeBeforeExpiry: optional(trigger, "timeBeforeExpiry", `${what}.trigger`, "string"),
    };
  });
  return {
    id: optional(wire, "id", "rotation policy", "string"),
    createdOn: optionalDate(attributes, "created", "rotation policy.attributes"),
    updatedOn: optionalDate(attributes, "updated", "rotation policy.attributes"),
    expiresIn: optional(attributes, "expiryTime", "rotation policy.attributes", "string"),
    lifetimeActions,
  };
}

function normalizeAction(type: string): KeyRotationLifetimeAction["action"] {
  const lower = type.toLowerCase();
  return (lower === "rotate" ? "Rotate" : lower === "notify" ? "Notify" : type) as KeyRotationLifetimeAction["action"];
}

/** @internal */
export function rotationPolicyToWire(policy: KeyRotationPolicyProperties): Wire.KeyRotationPolicy {
  const wire: Wire.KeyRotationPolicy = {};
  if (policy.lifetimeActions !== undefined) {
    wire.lifetimeActions = policy.lifetimeActions.map((action) => {
      const trigger: Wire.LifetimeActionsTrigger = {};
      if (action.timeAfterCreate !== undefined) trigger.timeAfterCreate = action.timeAfterCreate;
      if (action.timeBeforeExpiry !== undefined) trigger.timeBeforeExpiry = action.timeBeforeExpiry;
      return { trigger, action: { type: action.action } };
    });
  }
  if (policy.expiresIn !== undefined) wire.attributes = { expiryTime: policy.expiresIn };
  return wire;
}
