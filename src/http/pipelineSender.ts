import type { TokenCredential } from "@azure/core-auth";
import type { OperationTracingOptions } from "@azure/core-tracing";
import {
  type HttpClient,
  type Pipeline,
  type PipelineRequest,
  type PipelineResponse,
  createHttpHeaders,
  createPipelineRequest,
} from "@azure/core-rest-pipeline";
import type { AbortSignalLike } from "../util/abortSignalLike.js";
import { createNodeHttpClient } from "./nodeHttpClient.js";
import type { KeyClientOptions } from "../models/operationOptions.js";
import { createKeyVaultPipeline } from "../pipeline/createKeyVaultPipeline.js";
import { defaultMaxResponseBodyBytes } from "./responseSizeLimit.js";

/** One request, as the REST client hands it to the pipeline. @internal */
export interface OutgoingRequest {
  url: string;
  method: "GET" | "PUT" | "POST" | "PATCH" | "DELETE";
  /** The JSON body, serialized. */
  body?: string;
  customHeaders?: Record<string, string>;
  timeout: number;
  allowInsecureConnection: boolean;
  abortSignal?: AbortSignalLike;
  tracingOptions?: OperationTracingOptions;
}

/**
 * A client's one road to the vault: its pipeline (createKeyVaultPipeline.ts) and its HTTP client (ours,
 * or the caller's `httpClient`), both made once. This module, and core-rest-pipeline with it, loads on
 * the client's first request.
 * @internal
 */
export class PipelineSender {
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;
  private readonly disableKeepAlive: boolean;

  constructor(vaultUrl: string, credential: TokenCredential, options: KeyClientOptions) {
    this.pipeline = createKeyVaultPipeline(vaultUrl, credential, options);
    this.httpClient = options.httpClient ?? createNodeHttpClient({ maxResponseBodyBytes: defaultMaxResponseBodyBytes });
    this.disableKeepAlive = options.keepAliveOptions?.enable === false;
  }

  send(init: OutgoingRequest, sent: { request?: PipelineRequest }): Promise<PipelineResponse> {
    const headers = createHttpHeaders(init.customHeaders);
    headers.set("accept", "application/json");
    if (init.body !== undefined) headers.set("content-type", "application/json");
    const request = createPipelineRequest({
      url: init.url,
      method: init.method,
      headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.abortSignal ? { abortSignal: init.abortSignal } : {}),
      timeout: init.timeout,
      allowInsecureConnection: init.allowInsecureConnection,
      disableKeepAlive: this.disableKeepAlive,
    });
    // Set on the request made: core-rest-pipeline 1.24's createPipelineRequest leaves tracingOptions out
    // (its request comes from @typespec/ts-http-runtime, which knows no tracing).
    if (init.tracingOptions) request.tracingOptions = init.tracingOptions;
    sent.request = request;
    return this.pipeline.sendRequest(this.httpClient, request);
  }
}
