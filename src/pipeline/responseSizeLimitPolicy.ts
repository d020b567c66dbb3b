import type { PipelinePolicy, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { PendingRestError, toRestError } from "../rest/pendingRestError.js";

/** The name of {@link responseSizeLimitPolicy}. */
export const responseSizeLimitPolicyName = "keyVaultResponseSizeLimitPolicy";

/**
 * The largest answer the client accepts: 16 MiB. Key Vault answers are small JSON documents; the
 * largest, a backup of a key with its versions, stays far below this (the service fails backups of
 * keys with more than ~500 versions, about 5 MB).
 * @internal
 */
export const defaultMaxResponseBodyBytes = 16 * 1024 * 1024;

/**
 * The error for an answer larger than `maxBytes`, by its `Content-Length` or by the size of the body
 * read (whose text it then drops); `undefined` for an answer within the limit. Answers the caller
 * asked to stream are left alone. Shared by the policy and the direct path.
 * @internal
 */
export function oversizedResponseError(
  request: PipelineRequest,
  response: PipelineResponse,
  maxBytes: number,
): PendingRestError | undefined {
  if (response.readableStreamBody) return undefined;
  const declared = Number(response.headers.get("content-length"));
  const text = response.bodyAsText;
  // In UTF-8 a string takes from 1 to 3 bytes per UTF-16 code unit: measure exactly only when
  // those bounds cannot decide, so that the common small answer costs one comparison.
  const tooLarge =
    (Number.isFinite(declared) && declared > maxBytes) ||
    (typeof text === "string" &&
      text.length * 3 > maxBytes &&
      (text.length > maxBytes || Buffer.byteLength(text) > maxBytes));
  if (!tooLarge) return undefined;
  response.bodyAsText = undefined;
  return responseTooLargeError(request, response.status, maxBytes);
}

/**
 * The error of an answer over the limit, also for a transport that stops reading as soon as the
 * limit is passed (so that a huge answer never sits in memory).
 * @internal
 */
export function responseTooLargeError(
  request: Pick<PipelineRequest, "method" | "url">,
  status: number,
  maxBytes: number,
): PendingRestError {
  return new PendingRestError(
    `The vault's answer to ${request.method} ${new URL(request.url).pathname} is larger than the limit of ${maxBytes} bytes; it was refused.`,
    { code: "ResponseTooLarge", statusCode: status, request: request as PipelineRequest },
  );
}

/**
 * Refuses an answer larger than `maxBytes`, by its `Content-Length` or by the size of the body read,
 * with a `RestError` (code `ResponseTooLarge`) instead of handing a huge string to `JSON.parse`.
 * Answers the caller asked to stream (`streamResponseStatusCodes`) are left alone.
 * @internal
 */
export function responseSizeLimitPolicy(maxBytes: number = defaultMaxResponseBodyBytes): PipelinePolicy {
  return {
    name: responseSizeLimitPolicyName,
    async sendRequest(request, next) {
      const response = await next(request);
      const error = oversizedResponseError(request, response, maxBytes);
      if (error) throw await toRestError(error);
      return response;
    },
  };
}
