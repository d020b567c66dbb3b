/*
 * What a RestError says about the service's error answer, as `@azure/keyvault-keys` says it (its
 * generated client and core's createRestError): the message and code of the body's `error` (or of the
 * body itself when it has no `error` member), "Unexpected status code: <status>" when there is no
 * message, and `details` of the shape `{ error: { code, message, innerError } }` (the `innererror`
 * chain renamed, each level with those three keys). Unlike the official client, an empty body, `null`
 * or a body that is not JSON still gives these (the official throws a TypeError from its deserializer).
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null;

/** The error member of a body, or the body itself, as core's createRestError reads it. */
function errorMember(body: unknown): Json | undefined {
  if (!isObject(body)) return undefined;
  const error = body["error"] ?? body;
  return isObject(error) ? error : undefined;
}

/** The message of a RestError for an error answer with this (parsed) body. @internal */
export function serviceErrorMessage(body: unknown, status: number): string {
  const message = errorMember(body)?.["message"];
  if (message === undefined || message === null) return `Unexpected status code: ${status}`;
  // Whatever the service put there, as `new RestError(message)` (an Error) turns it into text.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(message);
}

/** The `code` of a RestError for an error answer with this (parsed) body (`undefined` when it has none). @internal */
export function serviceErrorCode(body: unknown): string | undefined {
  const code = errorMember(body)?.["code"];
  return code === null ? undefined : (code as string | undefined);
}

/** One level of the `error` / `innererror` chain, renamed as the official package renames it. */
function errorLevel(value: unknown): unknown {
  // Falsy values (absent, null, "") are kept as they are, as the official deserializer keeps them.
  if (!value) return value;
  const level = value as Json;
  return { code: level["code"], message: level["message"], innerError: errorLevel(level["innererror"]) };
}

/** The `details` of a RestError for an error answer with this (parsed) body. @internal */
export function serviceErrorDetails(body: unknown): { error: unknown } {
  return { error: errorLevel(isObject(body) ? body["error"] : undefined) };
}
