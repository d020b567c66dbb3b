import type { PipelineResponse } from "@azure/core-rest-pipeline";
import { PendingRestError } from "./pendingRestError.js";

interface ServiceErrorBody {
  error?: { code?: unknown; message?: unknown; innererror?: unknown };
}

/**
 * Turns an unexpected status into a (pending) `RestError` carrying the status, the service's error `code`, and
 * the parsed body (with `innererror`) in `details`. Works when the body is empty or not JSON.
 * @internal
 */
export function errorFromResponse(operationId: string, response: PipelineResponse): PendingRestError {
  const text = response.bodyAsText ?? "";
  let parsed: unknown;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  const serviceError = isObject(parsed) ? (parsed as ServiceErrorBody).error : undefined;
  const code = isObject(serviceError) && typeof serviceError.code === "string" ? serviceError.code : undefined;
  const message = isObject(serviceError) && typeof serviceError.message === "string" ? serviceError.message : undefined;
  return new PendingRestError(
    message ??
      `${operationId} failed with status ${response.status}${text.length === 0 ? " and an empty body" : parsed === undefined ? " and a body that is not JSON" : ""}.`,
    {
      statusCode: response.status,
      request: response.request,
      response,
      ...(code ? { code } : {}),
      details: parsed ?? (text.length > 0 ? { body: truncate(text) } : undefined),
    },
  );
}

/**
 * Parses a success answer as JSON; an empty body gives `undefined`. Anything that is not JSON is a
 * `RestError` with code `PARSE_ERROR` that names the operation, never a `SyntaxError`.
 * @internal
 */
export function parseJsonBody(operationId: string, response: PipelineResponse): unknown {
  const text = response.bodyAsText;
  if (text === undefined || text === null || text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new PendingRestError(
      `${operationId}: the service answered ${response.status} with a body that is not valid JSON (${text.length} characters).`,
      { code: "PARSE_ERROR", statusCode: response.status, request: response.request, response },
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function truncate(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}
