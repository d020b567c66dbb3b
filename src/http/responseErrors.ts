import type { PipelineResponse } from "@azure/core-rest-pipeline";
import { serviceErrorCode, serviceErrorDetails, serviceErrorMessage } from "./serviceError.js";
import { PendingRestError } from "./pendingRestError.js";

/**
 * Turns an unexpected status into a (pending) `RestError` with the status, and the message, `code` and
 * `details` the official package gives (serviceError.ts). Works when the body is empty or not JSON.
 * @internal
 */
export function errorFromResponse(_operationId: string, response: PipelineResponse): PendingRestError {
  const parsed = errorBodyOf(response);
  return new PendingRestError(serviceErrorMessage(parsed, response.status), {
    statusCode: response.status,
    code: serviceErrorCode(parsed),
    request: response.request,
    response,
    details: serviceErrorDetails(parsed),
  });
}

/**
 * The body of an error answer as the official client sees it (and hands to `onResponse` as
 * `parsedBody`): the parsed JSON, or the text itself when it is not JSON.
 * @internal
 */
export function errorBodyOf(response: PipelineResponse): unknown {
  const text = response.bodyAsText ?? "";
  if (text.length === 0) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
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
