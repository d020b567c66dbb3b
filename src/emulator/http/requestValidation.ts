/**
 * Checks of request bodies: each failure is a 400 BadParameter naming the field.
 * @internal
 */
import type { LifetimeActions } from "../../generated/models.js";
import { approximateDays, parseDuration } from "../vault/durations.js";
import { defaultNotifyAction } from "./render.js";
import { badParameter } from "../vault/errors.js";
import { fromBase64Url, isJsonObject, type JsonObject } from "../vault/encoding.js";
import type { StoredReleasePolicy } from "../store/keyStore.js";

const namePattern = /^[0-9a-zA-Z-]{1,127}$/;

/** Checks a key name from the URL. @internal */
export function checkKeyName(name: string): string {
  if (!namePattern.test(name)) {
    throw badParameter(
      `The request URI contains an invalid name: ${name}. Key names are 1-127 characters of 0-9, a-z, A-Z and '-'.`,
    );
  }
  return name;
}

/** The request body as an object; 400 when it is missing or not a JSON object. @internal */
export function requireObjectBody(body: unknown): JsonObject {
  if (!isJsonObject(body)) throw badParameter("The request body must be a JSON object.");
  return body;
}

/** An optional integer member. @internal */
export function optionalInteger(object: JsonObject, field: string, label = field): number | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value))
    throw badParameter(`The parameter '${label}' must be an integer.`);
  return value;
}

/** An optional boolean member. @internal */
export function optionalBoolean(object: JsonObject, field: string, label = field): boolean | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw badParameter(`The parameter '${label}' must be a boolean.`);
  return value;
}

/** An optional string member. @internal */
export function optionalString(object: JsonObject, field: string): string | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badParameter(`The parameter '${field}' must be a string.`);
  return value;
}

/** A required string member. @internal */
export function requiredString(object: JsonObject, field: string): string {
  const value = object[field];
  if (typeof value !== "string") throw badParameter(`The parameter '${field}' is required and must be a string.`);
  return value;
}

/** Writable attributes of a request. @internal */
export interface AttributesInput {
  enabled?: boolean;
  nbf?: number | null;
  exp?: number | null;
  exportable?: boolean;
}

/** Reads `attributes` of a create, import or update body (read-only members are ignored). @internal */
export function parseAttributes(body: JsonObject): AttributesInput | undefined {
  const raw = body["attributes"];
  if (raw === undefined || raw === null) return undefined;
  if (!isJsonObject(raw)) throw badParameter("The parameter 'attributes' must be an object.");
  const out: AttributesInput = {};
  const enabled = optionalBoolean(raw, "enabled", "attributes.enabled");
  if (enabled !== undefined) out.enabled = enabled;
  for (const field of ["nbf", "exp"] as const) {
    if (field in raw) out[field] = optionalInteger(raw, field, `attributes.${field}`) ?? null;
  }
  const exportable = optionalBoolean(raw, "exportable", "attributes.exportable");
  if (exportable !== undefined) out.exportable = exportable;
  if (typeof out.nbf === "number" && typeof out.exp === "number" && out.nbf > out.exp) {
    throw badParameter("The parameter 'attributes.nbf' must not be later than 'attributes.exp'.");
  }
  return out;
}

/** Reads `tags`: an object of string values (at most 15, as the service). @internal */
export function parseTags(body: JsonObject): Record<string, string> | undefined {
  const raw = body["tags"];
  if (raw === undefined || raw === null) return undefined;
  if (!isJsonObject(raw)) throw badParameter("The parameter 'tags' must be an object of strings.");
  const entries = Object.entries(raw);
  if (entries.length > 15) throw badParameter("The parameter 'tags' may hold at most 15 tags.");
  for (const [name, value] of entries) {
    if (typeof value !== "string") throw badParameter(`The tag '${name}' must have a string value.`);
    if (name.length > 512 || value.length > 512)
      throw badParameter(`The tag '${name}' is too long (512 characters at most).`);
  }
  return { ...(raw as Record<string, string>) };
}

/** Reads `release_policy`. @internal */
export function parseReleasePolicy(body: JsonObject): StoredReleasePolicy | undefined {
  const raw = body["release_policy"];
  if (raw === undefined || raw === null) return undefined;
  if (!isJsonObject(raw)) throw badParameter("The parameter 'release_policy' must be an object.");
  const data = raw["data"];
  if (typeof data !== "string" || data.length === 0)
    throw badParameter("The parameter 'release_policy.data' is required (base64url).");
  const decoded = fromBase64Url(data, "release_policy.data");
  const contentType = raw["contentType"] ?? "application/json; charset=utf-8";
  if (typeof contentType !== "string")
    throw badParameter("The parameter 'release_policy.contentType' must be a string.");
  if (contentType.toLowerCase().startsWith("application/json")) {
    try {
      JSON.parse(decoded.toString("utf8"));
    } catch {
      throw badParameter("The parameter 'release_policy.data' must encode a JSON policy document.");
    }
  }
  const immutable = optionalBoolean(raw, "immutable", "release_policy.immutable") ?? false;
  return { contentType, data: decoded.toString("base64url"), immutable };
}

function checkedDuration(value: unknown, field: string): string {
  if (typeof value !== "string" || !parseDuration(value)) {
    throw badParameter(
      `The parameter '${field}' must be an ISO 8601 duration such as P90D; got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** A rotation policy request, checked and normalised (Rotate/Notify spelling, default Notify added). @internal */
export function parseRotationPolicy(body: JsonObject): { lifetimeActions: LifetimeActions[]; expiryTime?: string } {
  const rawActions = body["lifetimeActions"] ?? [];
  if (!Array.isArray(rawActions)) throw badParameter("The parameter 'lifetimeActions' must be an array.");
  const lifetimeActions: LifetimeActions[] = [];
  const seen = new Set<string>();
  rawActions.forEach((raw: unknown, index) => {
    const where = `lifetimeActions[${index}]`;
    if (!isJsonObject(raw) || !isJsonObject(raw["trigger"]) || !isJsonObject(raw["action"])) {
      throw badParameter(`The parameter '${where}' must have a 'trigger' object and an 'action' object.`);
    }
    const typeRaw = raw["action"]["type"];
    const type =
      typeof typeRaw === "string" ? { rotate: "Rotate", notify: "Notify" }[typeRaw.toLowerCase()] : undefined;
    if (!type) throw badParameter(`The parameter '${where}.action.type' must be Rotate or Notify.`);
    if (seen.has(type)) throw badParameter(`Only one ${type} action is allowed in a rotation policy.`);
    seen.add(type);
    const trigger = raw["trigger"];
    const hasAfter = trigger["timeAfterCreate"] !== undefined && trigger["timeAfterCreate"] !== null;
    const hasBefore = trigger["timeBeforeExpiry"] !== undefined && trigger["timeBeforeExpiry"] !== null;
    if (hasAfter === hasBefore) {
      throw badParameter(
        `The parameter '${where}.trigger' must have exactly one of timeAfterCreate and timeBeforeExpiry.`,
      );
    }
    if (type === "Notify" && hasAfter)
      throw badParameter("A Notify action only supports the timeBeforeExpiry trigger.");
    const triggerOut = hasAfter
      ? { timeAfterCreate: checkedDuration(trigger["timeAfterCreate"], `${where}.trigger.timeAfterCreate`) }
      : { timeBeforeExpiry: checkedDuration(trigger["timeBeforeExpiry"], `${where}.trigger.timeBeforeExpiry`) };
    lifetimeActions.push({ trigger: triggerOut, action: { type } });
  });
  if (!seen.has("Notify")) lifetimeActions.push(structuredClone(defaultNotifyAction));
  const attributes = body["attributes"];
  if (attributes !== undefined && attributes !== null && !isJsonObject(attributes)) {
    throw badParameter("The parameter 'attributes' must be an object.");
  }
  const expiryRaw = attributes?.["expiryTime"];
  if (expiryRaw === undefined || expiryRaw === null) return { lifetimeActions };
  const expiryTime = checkedDuration(expiryRaw, "attributes.expiryTime");
  const days = approximateDays(
    parseDuration(expiryTime) ?? { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 },
  );
  if (days < 28) throw badParameter("The parameter 'attributes.expiryTime' must be at least 28 days (P28D).");
  return { lifetimeActions, expiryTime };
}
