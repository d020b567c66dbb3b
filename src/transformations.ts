import type * as Wire from "./generated/models.js";
import { parseKeyVaultKeyIdentifier, type KeyVaultKeyIdentifier } from "./identifier.js";
import { DeletedKey, type DeletionFields, deletedKeyOfItem } from "./models/deletedKey.js";
import { JsonWebKey, type JsonWebKeyFields } from "./models/jsonWebKey.js";
import {
  KeyProperties,
  type KeyAttestation,
  type KeyPropertiesFields,
  type KeyReleasePolicy,
  keyItemProperties,
} from "./models/keyProperties.js";
import { KeyVaultKey } from "./models/keyVaultKey.js";
import type { CreateKeyOptions } from "./models/keyOptions.js";
import type {
  KeyRotationLifetimeAction,
  KeyRotationPolicy,
  KeyRotationPolicyProperties,
} from "./models/rotationPolicy.js";
import { toBase64Url, toUnixSeconds } from "./util/encoding.js";
import {
  type Json,
  asObject,
  malformed,
  optional,
  optionalBytes,
  optionalDate,
  optionalStringArray,
  optionalTags,
  requiredString,
} from "./util/wireReaders.js";

/*
 * The one place that knows both the wire types and the public models: a mapper from the wire and
 * its inverse for each model, pure functions. The models come out with the own keys of the official
 * package's objects (each present, `undefined` when the service sent nothing), so that code and tests
 * written for `@azure/keyvault-keys` see the same objects. A malformed answer is a RestError (code
 * MalformedResponse) naming the field (see util/wireReaders.ts).
 */

/** The JWK fields after kid, kty and key_ops, in the order the official client writes them (`t` is `key_hsm` on the wire). */
const wireOrder = ["n", "e", "d", "dp", "dq", "qi", "p", "q", "k", "t", "crv", "x", "y"] as const;

/** A JWK of the wire as a {@link JsonWebKey}: every field an own key, as in the official package. @internal */
export function jsonWebKeyFromWire(value: unknown, what = "key"): JsonWebKey {
  const wire = asObject(value, what);
  const bytes = (field: string): Uint8Array | undefined => optionalBytes(wire, field, what);
  return new JsonWebKey({
    kid: optional(wire, "kid", what, "string"),
    kty: optional(wire, "kty", what, "string"),
    keyOps: optionalStringArray(wire, "key_ops", what),
    n: bytes("n"),
    e: bytes("e"),
    d: bytes("d"),
    dp: bytes("dp"),
    dq: bytes("dq"),
    qi: bytes("qi"),
    p: bytes("p"),
    q: bytes("q"),
    k: bytes("k"),
    t: bytes("key_hsm"),
    crv: optional(wire, "crv", what, "string"),
    x: bytes("x"),
    y: bytes("y"),
  });
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

/**
 * The parts of a kid, by the package's one parser of key identifiers; a kid that is not a key
 * identifier as the service writes them (a `keys` or `deletedkeys` collection, a name and version of
 * 0-9, a-z, A-Z and '-') is a MalformedResponse, not a TypeError later.
 */
function parseKid(id: string, what: string): KeyVaultKeyIdentifier {
  let parsed: KeyVaultKeyIdentifier | undefined;
  try {
    parsed = parseKeyVaultKeyIdentifier(id);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !isServiceKid(id, parsed)) {
    throw malformed(`${what} kid`, "a key identifier such as https://<vault>/keys/<name>/<version>");
  }
  return parsed;
}

function isServiceKid(id: string, parsed: KeyVaultKeyIdentifier): boolean {
  const start = collectionStart(id);
  return (
    start >= 0 &&
    (segmentIs(id, start, "keys") || segmentIs(id, start, "deletedkeys")) &&
    serviceSegment.test(parsed.name) &&
    (parsed.version === undefined || serviceSegment.test(parsed.version))
  );
}

/**
 * Where the collection (`id.split("/")[3]`) starts: after the third '/', or -1. Found without
 * splitting, as every listed item goes through here.
 */
function collectionStart(id: string): number {
  let at = -1;
  for (let slashes = 0; slashes < 3; slashes++) {
    at = id.indexOf("/", at + 1);
    if (at < 0) return -1;
  }
  return at + 1;
}

/** Whether the '/'-delimited segment of `id` that starts at `start` is `segment`. */
function segmentIs(id: string, start: number, segment: string): boolean {
  const end = start + segment.length;
  return id.startsWith(segment, start) && (end === id.length || id[end] === "/");
}

/** A name or version as the service writes them. */
const serviceSegment = /^[0-9A-Za-z-]+$/;

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
  // One literal, in the order of the official package's properties.
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
  const kid = requiredString(wire, "kid", "key item");
  return keyItemProperties(KeyProperties.prototype, readProperties(wire, "key item"), kid, parseKid(kid, "key item"));
}

/**
 * A list item of `/deletedkeys` as a {@link DeletedKey}: no key material, but `key.kid` is set, as the
 * official package does (callers read `deletedKey.key?.kid`). @internal
 */
export function deletedKeyFromItem(value: unknown): DeletedKey {
  const what = "deleted key item";
  const wire = asObject(value, what);
  const kid = requiredString(wire, "kid", what);
  return deletedKeyOfItem(kid, readProperties(wire, what), parseKid(kid, what), deletionFieldsFromWire(wire, what));
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

/** The body of a create request: the key type, and what the options set. @internal */
export function keyCreateParametersToWire(kty: string, options: CreateKeyOptions): Wire.KeyCreateParameters {
  const body: Wire.KeyCreateParameters = { kty };
  if (options.keySize !== undefined) body.key_size = options.keySize;
  // Any RSA key takes an exponent, whichever method creates it (Python's create_key sends it too).
  if (options.publicExponent !== undefined && (kty === "RSA" || kty === "RSA-HSM"))
    body.public_exponent = options.publicExponent;
  if (options.keyOps) body.key_ops = [...options.keyOps];
  const attributes = keyAttributesToWire(options);
  if (attributes) body.attributes = attributes;
  if (options.tags) body.tags = { ...options.tags };
  if (options.curve !== undefined) body.crv = options.curve;
  const releasePolicy = releasePolicyToWire(options.releasePolicy);
  if (releasePolicy) body.release_policy = releasePolicy;
  return body;
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
