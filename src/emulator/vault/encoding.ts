/**
 * The byte and JSON encodings the emulator reads and writes: base64url fields, JSON objects, and JSON
 * carried as base64url (tokens, JWS, skip tokens).
 * @internal
 */
import { badParameter } from "./errors.js";
import { toBase64Url } from "../../jose/bytes.js";

export { toBase64Url } from "../../jose/bytes.js";

const base64UrlPattern = /^[A-Za-z0-9_\-+/]*={0,2}$/;

/**
 * The bytes of base64url text, read leniently: standard base64 (`+`, `/`, `=` padding) too, as some
 * clients send it. Characters of neither alphabet are skipped, as `Buffer.from` skips them.
 * @internal
 */
export function lenientBase64Bytes(text: string): Buffer {
  return Buffer.from(text.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""), "base64url");
}

/**
 * Decodes a base64url (or, leniently, base64) field of a request, naming the field when it is not one.
 * @internal
 */
export function fromBase64Url(value: unknown, field: string): Buffer {
  if (typeof value !== "string") throw badParameter(`The parameter '${field}' must be a base64url string.`);
  if (!base64UrlPattern.test(value)) throw badParameter(`The parameter '${field}' is not valid base64url.`);
  return lenientBase64Bytes(value);
}

/** A JSON object (not an array, not null). @internal */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object. @internal */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The base64url of a value's JSON text. @internal */
export function toBase64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** The value of base64url JSON text; throws (a SyntaxError) when it is not JSON. @internal */
export function fromBase64UrlJson(text: string): unknown {
  return JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
}

/**
 * A compact JWS (`header.payload.signature`, each base64url) of JSON `header` and `payload`, `sign`
 * making the signature over the ASCII signing input.
 * @internal
 */
export function compactJws(header: object, payload: unknown, sign: (input: Buffer) => Buffer): string {
  const input = `${toBase64UrlJson(header)}.${toBase64UrlJson(payload)}`;
  return `${input}.${toBase64Url(sign(Buffer.from(input)))}`;
}
