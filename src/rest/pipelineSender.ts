import type { TokenCredential } from "@azure/core-auth";
import {
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineRequest,
} from "@azure/core-rest-pipeline";
import type { KeyClientOptions } from "../models/operationOptions.js";
import { createKeyVaultPipeline } from "../pipeline/createKeyVaultPipeline.js";
import type { AbortSignalLike } from "../abortSignalLike.js";
import type { OperationTracingOptions } from "@azure/core-tracing";

/** One request, as the REST client hands it to either path. @internal */
export interface RequestInit {
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
 * The standard path: core-rest-pipeline's request, the pipeline of createKeyVaultPipeline.ts and the
 * HTTP client, for whatever the direct path does not do (a caller's policies, HTTP client, agent,
 * proxy or TLS settings, an abort signal, a recording span, logging). This module, and
 * core-rest-pipeline with it, loads on the first such request.
 * @internal
 */
export class PipelineSender {
  private readonly pipeline;
  private readonly httpClient: HttpClient;

  constructor(vaultUrl: string, credential: TokenCredential, options: KeyClientOptions) {
    this.pipeline = createKeyVaultPipeline(vaultUrl, credential, options);
    // Requests with default options take the direct path (directTransport.ts); this path serves the
    // customized ones, where core-rest-pipeline's own client is the right one.
    this.httpClient = options.httpClient ?? createDefaultHttpClient();
  }

  send(init: RequestInit, sent: { request?: PipelineRequest }): Promise<PipelineResponse> {
    const headers = createHttpHeaders(init.customHeaders);
    headers.set("accept", "application/json");
    if (init.body !== undefined) headers.set("content-type", "application/json");
    const request = createPipelineRequest({
      url: init.url,
      method: init.method,
      headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.abortSignal ? { abortSignal: init.abortSignal } : {}),
      ...(init.tracingOptions ? { tracingOptions: init.tracingOptions } : {}),
      timeout: init.timeout,
      allowInsecureConnection: init.allowInsecureConnection,
    });
    sent.request = request;
    return this.pipeline.sendRequest(this.httpClient, request);
  }
}
