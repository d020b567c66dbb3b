import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { defaultMaxResponseBodyBytes, responseTooLargeError } from "../http/responseSizeLimit.js";

/** The name of {@link responseSizeLimitPolicy}. */
export const responseSizeLimitPolicyName = "keyVaultResponseSizeLimitPolicy";

/**
 * Refuses an answer larger than `maxBytes`, by its `Content-Length` or by the size of the body read,
 * with a `RestError` (code `ResponseTooLarge`) instead of handing a huge string to `JSON.parse`. It is
 * there for a caller's own HTTP client, which reads the whole answer first; the client's own HTTP
 * client already stops reading at the limit. Answers the caller asked to stream are left alone.
 * @internal
 */
export function responseSizeLimitPolicy(maxBytes: number = defaultMaxResponseBodyBytes): PipelinePolicy {
  return {
    name: responseSizeLimitPolicyName,
    sendRequest(request, next) {
      return next(request).then((response) => {
        if (response.readableStreamBody) return response;
        const declared = Number(response.headers.get("content-length"));
        const text = response.bodyAsText;
        // In UTF-8 a string takes from 1 to 3 bytes per UTF-16 code unit: measure exactly only when
        // those bounds cannot decide.
        const tooLarge =
          (Number.isFinite(declared) && declared > maxBytes) ||
          (typeof text === "string" &&
            text.length * 3 > maxBytes &&
            (text.length > maxBytes || Buffer.byteLength(text) > maxBytes));
        if (!tooLarge) return response;
        response.bodyAsText = undefined;
        throw responseTooLargeError(request, response.status, maxBytes);
      });
    },
  };
}
