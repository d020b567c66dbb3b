import type { OperationOptions } from "../models/operationOptions.js";
import type { RestCallOptions } from "./keyVaultRestClient.js";

/**
 * The per-request part of a public options bag, for the REST layer: abort signal, tracing, headers,
 * timeout and the raw-response hook. Builds a new object; the caller's options are never touched.
 * @internal
 */
export function toCallOptions(options: OperationOptions): RestCallOptions {
  const call: RestCallOptions = {};
  if (options.abortSignal) call.abortSignal = options.abortSignal;
  if (options.tracingOptions) call.tracingOptions = options.tracingOptions;
  if (options.onResponse) call.onResponse = options.onResponse;
  const request = options.requestOptions;
  if (request) {
    const requestOptions: NonNullable<RestCallOptions["requestOptions"]> = {};
    if (request.timeout !== undefined) requestOptions.timeout = request.timeout;
    if (request.allowInsecureConnection !== undefined)
      requestOptions.allowInsecureConnection = request.allowInsecureConnection;
    if (request.headers) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name] = String(value);
      requestOptions.customHeaders = headers;
    }
    call.requestOptions = requestOptions;
  }
  return call;
}
