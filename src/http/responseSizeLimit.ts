import { type PipelineRequest, RestError } from "@azure/core-rest-pipeline";

/**
 * The largest answer the client accepts: 16 MiB. Key Vault answers are small JSON documents; the
 * largest, a backup of a key with its versions, stays far below this (the service fails backups of
 * keys with more than ~500 versions, about 5 MB).
 * @internal
 */
export const defaultMaxResponseBodyBytes = 16 * 1024 * 1024;

/** The `code` of the error an answer larger than the limit gets. @internal */
export const responseTooLargeCode = "ResponseTooLarge";

/** The error of an answer over the limit, by its declared length or by what was read of it. @internal */
export function responseTooLargeError(
  request: Pick<PipelineRequest, "method" | "url">,
  status: number,
  maxBytes: number,
): RestError {
  return new RestError(
    `The vault's answer to ${request.method} ${new URL(request.url).pathname} is larger than the limit of ${maxBytes} bytes; it was refused.`,
    { code: responseTooLargeCode, statusCode: status, request: request as PipelineRequest },
  );
}
