import {
  type HttpClient,
  type Pipeline,
  type PipelineResponse,
  RestError,
  createHttpHeaders,
  createPipelineRequest,
} from "@azure/core-rest-pipeline";
import type { FullOperationResponse } from "../models/operationOptions.js";
import type { OperationSpec, SendOptions } from "./operationSender.js";
import type { OperationSender } from "./operationSender.js";
import { createKeyVaultHttpClient } from "../pipeline/keyVaultHttpClient.js";
import { buildPath } from "./buildPath.js";
import { errorFromResponse, parseJsonBody } from "./responseErrors.js";

/** Options of {@link KeyVaultRestClient}. @internal */
export interface KeyVaultRestClientOptions {
  apiVersion: string;
  httpClient?: HttpClient;
  allowInsecureConnection?: boolean;
  /**
   * Milliseconds each attempt may wait for the answer's headers before it is abandoned; a call's
   * `requestOptions.timeout` overrides it, 0 means none. Default {@link defaultRequestTimeoutInMs}.
   */
  requestTimeoutInMs?: number;
}

/**
 * The default timeout of one request attempt: 2 minutes. A vault that sends no answer in that time is
 * not going to; without it a dead connection would hang the caller forever.
 * @internal
 */
export const defaultRequestTimeoutInMs = 120_000;

/** The longest delay `setTimeout` honours; a longer one fires at once. @internal */
export const maxTimerDelayInMs = 2 ** 31 - 1;

/** Per-request options as the client layer passes them: the send options plus the raw-response hook. @internal */
export interface RestCallOptions extends SendOptions {
  onResponse?: (rawResponse: FullOperationResponse, error?: unknown) => void;
}

/**
 * Sends the generated layer's operations through the pipeline: builds the URL from the template
 * (each segment percent-encoded, `.` and `..` refused), adds `api-version`, serializes the JSON body,
 * checks the status and parses the answer. Also fetches later pages from a `nextLink`, refusing links
 * that leave the vault.
 * @internal
 */
export class KeyVaultRestClient implements OperationSender {
  readonly vaultUrl: string;
  private readonly origin: string;
  private readonly httpClient: HttpClient;

  constructor(
    vaultUrl: string,
    private readonly pipeline: Pipeline,
    private readonly options: KeyVaultRestClientOptions,
  ) {
    this.vaultUrl = vaultUrl.replace(/\/+$/, "");
    this.origin = new URL(this.vaultUrl).origin;
    this.httpClient = options.httpClient ?? createKeyVaultHttpClient();
  }

  get apiVersion(): string {
    return this.options.apiVersion;
  }

  sendOperation<T>(spec: OperationSpec, options: RestCallOptions = {}): Promise<T> {
    let query = `api-version=${encodeURIComponent(this.options.apiVersion)}`;
    for (const [name, value] of Object.entries(spec.queryParameters)) {
      if (value !== undefined) query += `&${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`;
    }
    const url = `${this.vaultUrl}${buildPath(spec.pathTemplate, spec.pathParameters, spec.optionalPathParameters)}?${query}`;
    return this.send<T>(spec.operationId, spec.method, url, spec.body, spec.expectedStatuses, options);
  }

  /**
   * Fetches a page from a service `nextLink`. The link must point at this vault: a link to another
   * origin is refused before any request, so no token can follow it.
   */
  getPage<T>(nextLink: string, operationId: string, options: RestCallOptions = {}): Promise<T> {
    let url: URL;
    try {
      url = new URL(nextLink, this.vaultUrl);
    } catch {
      return Promise.reject(new RestError(`${operationId}: the service returned an invalid nextLink.`, { code: "InvalidNextLink" }));
    }
    if (url.origin !== this.origin && !sameVaultIgnoringDefaultPort(url, this.origin)) {
      return Promise.reject(
        new RestError(
          `${operationId}: refusing to follow a nextLink to ${url.origin}, which is not the vault ${this.origin}.`,
          { code: "InvalidNextLink" },
        ),
      );
    }
    if (!url.searchParams.has("api-version")) url.searchParams.set("api-version", this.options.apiVersion);
    return this.send<T>(operationId, "GET", url.toString(), undefined, [200], options);
  }

  private async send<T>(
    operationId: string,
    method: OperationSpec["method"],
    url: string,
    body: unknown,
    expectedStatuses: readonly number[],
    options: RestCallOptions,
  ): Promise<T> {
    const headers = createHttpHeaders(options.requestOptions?.customHeaders);
    headers.set("accept", "application/json");
    let bodyText: string | undefined;
    if (body !== undefined) {
      bodyText = JSON.stringify(body);
      headers.set("content-type", "application/json");
    }
    const timeout = Math.min(options.requestOptions?.timeout ?? this.options.requestTimeoutInMs ?? defaultRequestTimeoutInMs, maxTimerDelayInMs);
    const request = createPipelineRequest({
      url,
      method,
      headers,
      ...(bodyText !== undefined ? { body: bodyText } : {}),
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      ...(options.tracingOptions ? { tracingOptions: options.tracingOptions } : {}),
      timeout,
      allowInsecureConnection: options.requestOptions?.allowInsecureConnection ?? this.options.allowInsecureConnection ?? false,
    });
    let response: PipelineResponse;
    try {
      response = await this.pipeline.sendRequest(this.httpClient, request);
    } catch (e) {
      // The HTTP client reports its timeout as an AbortError; the caller did not abort, so say what happened.
      if (timeout > 0 && !options.abortSignal?.aborted && e instanceof Error && e.name === "AbortError") {
        throw new RestError(
          `${operationId}: the vault did not answer within ${timeout} ms (requestOptions.timeout, or the client's requestTimeoutInMs).`,
          { code: "REQUEST_TIMEOUT", request },
        );
      }
      throw e;
    }
    let parsedBody: unknown;
    let error: RestError | undefined;
    if (!expectedStatuses.includes(response.status)) {
      error = errorFromResponse(operationId, response);
      parsedBody = error.details;
    } else {
      try {
        parsedBody = parseJsonBody(operationId, response);
      } catch (e) {
        error = e as RestError;
      }
    }
    options.onResponse?.({ ...response, parsedBody } as FullOperationResponse, error);
    if (error) throw error;
    return parsedBody as T;
  }
}

function sameVaultIgnoringDefaultPort(url: URL, origin: string): boolean {
  // The service writes `:443` into its nextLinks; that is the same origin as the vault URL without it.
  const normalized = new URL(url.toString());
  if (normalized.protocol === "https:" && normalized.port === "443") normalized.port = "";
  return normalized.origin === origin;
}

export type { PipelineResponse };
