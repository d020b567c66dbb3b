/**
 * Checked reads of the fields of a service answer, for the mappers of transformations.ts: each returns
 * the field as its type, or `undefined` when it is absent or `null`, and fails on anything else with
 * a RestError (code `MalformedResponse`) that names the field, so a broken answer never surfaces as a
 * TypeError from deep inside a mapper. They throw a PendingRestError (the RestError made at the
 * caller's async boundary), so that they can run before @azure/core-rest-pipeline is loaded.
 * @internal
 */
import { PendingRestError } from "../http/pendingRestError.js";
import { fromBase64Url, fromUnixSeconds } from "./encoding.js";

/** A JSON object of an answer. @internal */
export type Json = Record<string, unknown>;

/** The error of an answer that is not what the service should send (a RestError to the caller). @internal */
export function malformed(what: string, expected: string): PendingRestError {
  return new PendingRestError(`Malformed response from Key Vault: ${what} should be ${expected}.`, {
    code: "MalformedResponse",
  });
}

export function asObject(value: unknown, what: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformed(what, "an object");
  return value as Json;
}

/** A field of the type given, or undefined when absent or null; anything else is malformed. */
export function optional(obj: Json, field: string, what: string, type: "string"): string | undefined;
export function optional(obj: Json, field: string, what: string, type: "number"): number | undefined;
export function optional(obj: Json, field: string, what: string, type: "boolean"): boolean | undefined;
export function optional(
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

export function requiredString(obj: Json, field: string, what: string): string {
  const value = optional(obj, field, what, "string");
  if (value === undefined) throw malformed(`${what}.${field}`, "present (a string)");
  return value;
}

export function optionalDate(obj: Json, field: string, what: string): Date | undefined {
  const seconds = optional(obj, field, what, "number");
  if (seconds === undefined) return undefined;
  const date = fromUnixSeconds(seconds);
  if (Number.isNaN(date.getTime())) throw malformed(`${what}.${field}`, "a date in epoch seconds");
  return date;
}

export function optionalBytes(obj: Json, field: string, what: string): Uint8Array | undefined {
  const text = optional(obj, field, what, "string");
  return text === undefined ? undefined : fromBase64Url(text);
}

export function optionalTags(obj: Json, what: string): Record<string, string> | undefined {
  const tags = obj["tags"];
  if (tags === undefined || tags === null) return undefined;
  const record = asObject(tags, `${what}.tags`);
  for (const name in record) {
    if (typeof record[name] !== "string") throw malformed(`${what}.tags.${name}`, "a string");
  }
  return { ...(record as Record<string, string>) };
}

export function optionalStringArray(obj: Json, field: string, what: string): string[] | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
    throw malformed(`${what}.${field}`, "an array of strings");
  return [...(value as string[])];
}
