import type { AbortSignalLike } from "../util/abortSignalLike.js";
import type { OperationTracingOptions } from "@azure/core-tracing";

/** HTTP methods the Key Vault keys API uses. */
export type OperationMethod = "GET" | "PUT" | "POST" | "PATCH" | "DELETE";

/**
 * One REST call, as the generated layer describes it: the caller fills in the path segments, query and
 * body; the sender builds the URL, adds `api-version`, sends it and checks the status.
 * @internal
 */
export interface OperationSpec {
  /** The spec's operationId, used in errors and logs. */
  operationId: string;
  method: OperationMethod;
  /** Path template from the spec, such as `/keys/{key-name}/{key-version}`. */
  pathTemplate: string;
  /** Values of the template's segments, unencoded. */
  pathParameters: Record<string, string>;
  /** Path parameters whose segment is left out when their value is empty. */
  optionalPathParameters?: readonly string[];
  /** Query parameters other than `api-version`; `undefined` values are left out. */
  queryParameters: Record<string, string | number | undefined>;
  /** JSON body, when the operation has one. */
  body?: unknown;
  /** Statuses that mean success. */
  expectedStatuses: readonly number[];
}

/** Per-request options the generated functions pass through to the sender. @internal */
export interface SendOptions {
  abortSignal?: AbortSignalLike;
  requestOptions?: {
    timeout?: number;
    customHeaders?: Record<string, string>;
    allowInsecureConnection?: boolean;
  };
  tracingOptions?: OperationTracingOptions;
}

/** What the generated operations need from the layer below them. @internal */
export interface OperationSender {
  sendOperation<T>(spec: OperationSpec, options?: SendOptions): Promise<T>;
}
