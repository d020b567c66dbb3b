/**
 * Small byte and JSON helpers shared by the emulator.
 * @internal
 */
import { badParameter } from "./errors.js";

export { toBase64Url } from "../../jose/bytes.js";

const base64UrlPattern = /^[A-Za-z0-9_\-+/]*={0,2}$/;

/**
 * Decodes a base64url (or, leniently, base64) field of a request, naming the field when it is not one.
 * @internal
 */
export function fromBase64Url(value: unknown, field: string): Buffer {
  if (typeof value !== "string") throw badParameter(`The parameter '${field}' must be a base64url string.`);
  if (!base64UrlPattern.test(value)) throw badParameter(`The parameter '${field}' is not valid base64url.`);
  return Buffer.from(value.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""), "base64url");
}

/** A JSON object (not an array, not null). @internal */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object. @internal */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Current time in whole epoch seconds. @internal */
export function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
