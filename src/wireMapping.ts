import type * as Wire from "./generated/models.js";
import { fromBase64Url, fromUnixSeconds, toBase64Url, toUnixSeconds } from "./encoding.js";
import { parseKeyVaultKeyIdentifier, type KeyVaultKeyIdentifier } from "./identifier.js";
import { DeletedKey, type DeletionFields } from "./models/deletedKey.js";
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
import { PendingRestError } from "./rest/pendingRestError.js";

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

const byteFields = ["n", "e", "d", "dp", "dq", "qi", "p", "q", "k", "t", "x", "y"] as const;

/** @internal */
export function jsonWebKeyFromWire(value: unknown, what = "key"): JsonWebKey {
  const wire = asObject(value, what);
  const fields: { -readonly [K in keyof JsonWebKeyFields]: JsonWebKeyFields[K] } = {};
  const kid = optional(wire, "kid", what, "string");
  if (kid !== undefined) fields.kid = kid;
  const kty = optional(wire, "kty", what, "string");
  if (kty !== undefined) fields.kty = kty;
  const keyOps = optionalStringArray(wire, "key_ops", what);
  if (keyOps !== undefined) fields.keyOps = keyOps;
  for (const name of byteFields) {
    const bytes = optionalBytes(wire, name === "t" ? "key_hsm" : name, what);
    if (bytes !== undefined) fields[name] = bytes;
  }
  const crv = optional(wire, "crv", what, "string");
  if (crv !== undefined) fields.crv = crv;
  return new JsonWebKey(fields);
}

/** @internal */
export function jsonWebKeyToWire(key: JsonWebKeyFields): Wire.JsonWebKey {
  const wire: Wire.JsonWebKey = {};
  if (key.kid !== undefined) wire.kid = key.kid;
  if (key.kty !== undefined) wire.kty = key.kty;
  if (key.keyOps !== undefined) wire.key_ops = [...key.keyOps];
  for (const name of byteFields) {
    const bytes = key[name];
    if (bytes !== undefined) (wire as Record<string, string>)[name === "t" ? "key_hsm" : name] = toBase64Url(bytes);
  }
  if (key.crv !== undefined) wire.crv = key.crv;
  return wire;
}

/** @internal */
export function releasePolicyFromWire(value: unknown, what: string): KeyReleasePolicy | undefined {
  if (value === undefined || value === null) return undefined;
  const wire = asObject(value, what);
  const policy: KeyReleasePolicy = {};
  const contentType = optional(wire, "contentType", what, "string");
  if (contentType !== undefined) policy.contentType = contentType;
  const immutable = optional(wire, "immutable", what, "boolean");
  if (immutable !== undefined) policy.immutable = immutable;
  const data = optionalBytes(wire, "data", what);
  if (data !== undefined) policy.encodedPolicy = data;
  return policy;
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
  const attestation: KeyAttestation = {};
  for (const field of ["certificatePemFile", "privateKeyAttestation", "publicKeyAttestation"] as const) {
    const bytes = optionalBytes(wire, field, what);
    if (bytes !== undefined) attestation[field] = bytes;
  }
  const version = optional(wire, "version", what, "string");
  if (version !== undefined) attestation.version = version;
  return attestation;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The kid, parsed once, so that a kid that is not a key identifier is a MalformedResponse, not a TypeError. */
function parseKid(id: string, what: string): KeyVaultKeyIdentifier {
  try {
    return parseKidFast(id) ?? parseKeyVaultKeyIdentifier(id);
  } catch {
    throw malformed(`${what} kid`, "a key identifier such as https://<vault>/keys/<name>/<version>");
  }
}

/**
 * Reads attributes, tags, managed and release policy into `target`, one field at a time, in this order
 * (the order of the properties of the result); fields the wire leaves out are not set.
 */
function readPropertyFields(target: Mutable<KeyPropertiesFields>, wire: Json, what: string): void {
  const at = `${what}.attributes`;
  const wireAttributes = wire["attributes"];
  const attributes = wireAttributes === undefined || wireAttributes === null ? {} : asObject(wireAttributes, at);
  const enabled = optional(attributes, "enabled", at, "boolean");
  if (enabled !== undefined) target.enabled = enabled;
  const notBefore = optionalDate(attributes, "nbf", at);
  if (notBefore !== undefined) target.notBefore = notBefore;
  const expiresOn = optionalDate(attributes, "exp", at);
  if (expiresOn !== undefined) target.expiresOn = expiresOn;
  const createdOn = optionalDate(attributes, "created", at);
  if (createdOn !== undefined) target.createdOn = createdOn;
  const updatedOn = optionalDate(attributes, "updated", at);
  if (updatedOn !== undefined) target.updatedOn = updatedOn;
  const recoveryLevel = optional(attributes, "recoveryLevel", at, "string");
  if (recoveryLevel !== undefined) target.recoveryLevel = recoveryLevel;
  const recoverableDays = optional(attributes, "recoverableDays", at, "number");
  if (recoverableDays !== undefined) target.recoverableDays = recoverableDays;
  const exportable = optional(attributes, "exportable", at, "boolean");
  if (exportable !== undefined) target.exportable = exportable;
  const hsmPlatform = optional(attributes, "hsmPlatform", at, "string");
  if (hsmPlatform !== undefined) target.hsmPlatform = hsmPlatform;
  const wireAttestation = attributes["attestation"];
  const attestation =
    wireAttestation === undefined || wireAttestation === null
      ? undefined
      : attestationFromWire(wireAttestation, `${at}.attestation`);
  if (attestation !== undefined) target.attestation = attestation;
  const tags = optionalTags(wire, what);
  if (tags !== undefined) target.tags = tags;
  const managed = optional(wire, "managed", what, "boolean");
  if (managed !== undefined) target.managed = managed;
  const wireReleasePolicy = wire["release_policy"];
  const releasePolicy =
    wireReleasePolicy === undefined || wireReleasePolicy === null
      ? undefined
      : releasePolicyFromWire(wireReleasePolicy, `${what}.release_policy`);
  if (releasePolicy !== undefined) target.releasePolicy = releasePolicy;
}

/**
 * The property fields of a deleted key (bundle or item), without `id` (a DeletedKey adds it itself):
 * name, vaultUrl, version, then attributes, tags, managed and release policy.
 */
function propertyFieldsFromWire(wire: Json, id: string, what: string): KeyPropertiesFields {
  const parsed = parseKid(id, what);
  const fields: KeyPropertiesFields = { name: parsed.name, vaultUrl: parsed.vaultUrl };
  if (parsed.version !== undefined) fields.version = parsed.version;
  readPropertyFields(fields, wire, what);
  return fields;
}

/**
 * The {@link KeyProperties} of a key item or bundle, made field by field: the object its constructor
 * makes from the fields of the wire (name, vaultUrl, then `id` first for a list item or after the other
 * fields for a key bundle, then version), without an intermediate fields object and the constructor's
 * generic copy of it. A listing makes one per key.
 */
function keyPropertiesFromWire(wire: Json, id: string, what: string, idFirst: boolean): KeyProperties {
  const parsed = parseKid(id, what);
  const properties = Object.create(KeyProperties.prototype) as Mutable<KeyProperties>;
  properties.name = parsed.name;
  properties.vaultUrl = parsed.vaultUrl;
  if (idFirst) properties.id = id;
  readPropertyFields(properties, wire, what);
  if (!idFirst) properties.id = id;
  if (parsed.version !== undefined) properties.version = parsed.version;
  return properties;
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
  const parsed: KeyVaultKeyIdentifier = {
    sourceId: id,
    vaultUrl: `${scheme}://${host}${port !== undefined ? `:${port}` : ""}`,
    name,
  };
  if (version !== undefined) parsed.version = version;
  return parsed;
}

function deletionFieldsFromWire(wire: Json, what: string): DeletionFields {
  const fields: DeletionFields = {};
  const recoveryId = optional(wire, "recoveryId", what, "string");
  if (recoveryId !== undefined) fields.recoveryId = recoveryId;
  const deletedOn = optionalDate(wire, "deletedDate", what);
  if (deletedOn !== undefined) fields.deletedOn = deletedOn;
  const scheduledPurgeDate = optionalDate(wire, "scheduledPurgeDate", what);
  if (scheduledPurgeDate !== undefined) fields.scheduledPurgeDate = scheduledPurgeDate;
  return fields;
}

/**
 * A key bundle (create, import, get, update, rotate, restore, recover) as a {@link KeyVaultKey}: the
 * object `new KeyVaultKey(kid, key, fields)` makes (the same properties in the same order), built
 * field by field. @internal
 */
export function keyVaultKeyFromWire(value: unknown): KeyVaultKey {
  const wire = asObject(value, "key bundle");
  const key = jsonWebKeyFromWire(wire["key"], "key bundle.key");
  const kid = key.kid;
  if (kid === undefined) throw malformed("key bundle.key.kid", "present (a string)");
  const properties = keyPropertiesFromWire(wire, kid, "key bundle", false);
  const result = Object.create(KeyVaultKey.prototype) as Mutable<KeyVaultKey>;
  result.name = properties.name;
  result.properties = properties;
  result.key = key;
  result.id = kid;
  if (key.kty !== undefined) result.keyType = key.kty;
  if (key.keyOps !== undefined) result.keyOperations = key.keyOps;
  return result;
}

/** A deleted key bundle (delete, get deleted) as a {@link DeletedKey}. @internal */
export function deletedKeyFromWire(value: unknown): DeletedKey {
  const wire = asObject(value, "deleted key bundle");
  const key = jsonWebKeyFromWire(wire["key"], "deleted key bundle.key");
  if (key.kid === undefined) throw malformed("deleted key bundle.key.kid", "present (a string)");
  const properties = propertyFieldsFromWire(wire, key.kid, "deleted key bundle");
  return new DeletedKey(key.kid, key, Object.assign(properties, deletionFieldsFromWire(wire, "deleted key bundle")));
}

/** A list item of `/keys` or `/keys/{name}/versions` as {@link KeyProperties}. @internal */
export function keyPropertiesFromItem(value: unknown): KeyProperties {
  const wire = asObject(value, "key item");
  const kid = requiredString(wire, "kid", "key item");
  return keyPropertiesFromWire(wire, kid, "key item", true);
}

/**
 * A list item of `/deletedkeys` as a {@link DeletedKey}: no key material, but `key.kid` is set, as the
 * official package does (callers read `deletedKey.key?.kid`). @internal
 */
export function deletedKeyFromItem(value: unknown): DeletedKey {
  const wire = asObject(value, "deleted key item");
  const kid = requiredString(wire, "kid", "deleted key item");
  const properties = propertyFieldsFromWire(wire, kid, "deleted key item");
  return new DeletedKey(kid, { kid }, Object.assign(properties, deletionFieldsFromWire(wire, "deleted key item")));
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

/** @internal */
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
  const lifetimeActions = ((actionsValue as unknown[] | null | undefined) ?? []).map((item, i) => {
    const what = `rotation policy.lifetimeActions[${i}]`;
    const entry = asObject(item, what);
    const trigger =
      entry["trigger"] === undefined || entry["trigger"] === null ? {} : asObject(entry["trigger"], `${what}.trigger`);
    const action = asObject(entry["action"], `${what}.action`);
    const type = requiredString(action, "type", `${what}.action`);
    const result: KeyRotationLifetimeAction = { action: normalizeAction(type) };
    const after = optional(trigger, "timeAfterCreate", `${what}.trigger`, "string");
    if (after !== undefined) result.timeAfterCreate = after;
    const before = optional(trigger, "timeBeforeExpiry", `${what}.trigger`, "string");
    if (before !== undefined) result.timeBeforeExpiry = before;
    return result;
  });
  const policy: { -readonly [K in keyof KeyRotationPolicy]: KeyRotationPolicy[K] } = { lifetimeActions };
  const id = optional(wire, "id", "rotation policy", "string");
  if (id !== undefined) policy.id = id;
  const expiresIn = optional(attributes, "expiryTime", "rotation policy.attributes", "string");
  if (expiresIn !== undefined) policy.expiresIn = expiresIn;
  const createdOn = optionalDate(attributes, "created", "rotation policy.attributes");
  if (createdOn !== undefined) policy.createdOn = createdOn;
  const updatedOn = optionalDate(attributes, "updated", "rotation policy.attributes");
  if (updatedOn !== undefined) policy.updatedOn = updatedOn;
  return policy;
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
