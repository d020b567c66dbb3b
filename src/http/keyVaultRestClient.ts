import type { TokenCredential } from "@azure/core-auth";
import type { PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import type { FullOperationResponse, KeyClientOptions } from "../models/operationOptions.js";
import type { OperationSpec, OperationSender, SendOptions } from "./operationSpec.js";
import { PendingRestError, isRestErrorLike, restErrorOf, toRestError } from "./pendingRestError.js";
import { requestTimeoutCode } from "./requestTimeout.js";
import type { OutgoingRequest, PipelineSender } from "./pipelineSender.js";
import { type PathTemplateCache, buildPath } from "./buildPath.js";
import { plainPathAndQuery } from "./plainUrl.js";
import { errorBodyOf, errorFromResponse, parseJsonBody } from "./responseErrors.js";

/** Options of {@link KeyVaultRestClient}. @internal */
export interface KeyVaultRestClientOptions {
  apiVersion: string;
  allowInsecureConnection?: boolean;
  /**
   * Milliseconds each attempt may take, until the last byte of the answer, before it is abandoned; a call's
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
  /** Set when the operation's tracing span records: the request then gets its HTTP span. */
  tracingActive?: boolean;
}

/**
 * Sends the generated layer's operations: builds the URL from the template (each segment
 * percent-encoded, `.` and `..` refused), adds `api-version`, serializes the JSON body, checks the
 * status and parses the answer. Also fetches later pages from a `nextLink`, refusing links that leave
 * the vault.
 *
 * Every request goes through the client's one pipeline (pipelineSender.ts), made on the first
 * request, which is also when `@azure/core-rest-pipeline` loads; errors reach the caller as `RestError`s.
 * @internal
 */
export class KeyVaultRestClient implements OperationSender {
  readonly vaultUrl: string;
  private readonly origin: string;
  private readonly originPrefix: string;
  private readonly queryPrefix: string;
  /** The pipeline, once loaded (requests then skip the wait for it). */
  private sender?: PipelineSender;
  private loading?: Promise<PipelineSender>;
  /** Path templates split once per client. */
  private readonly pathTemplates: PathTemplateCache = new Map();

  constructor(
    vaultUrl: string,
    private readonly credential: TokenCredential,
    private readonly clientOptions: KeyClientOptions,
    private readonly options: KeyVaultRestClientOptions,
  ) {
    this.vaultUrl = vaultUrl.replace(/\/+$/, "");
    this.origin = new URL(this.vaultUrl).origin;
    this.originPrefix = `${this.origin}/`;
    this.queryPrefix = `api-version=${encodeURIComponent(options.apiVersion)}`;
  }

  get apiVersion(): string {
    return this.options.apiVersion;
  }

  sendOperation<T>(spec: OperationSpec, options: RestCallOptions = {}): Promise<T> {
    let query = this.queryPrefix;
    const parameters = spec.queryParameters;
    for (const name in parameters) {
      const value = parameters[name];
      if (value !== undefined) query += `&${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`;
    }
    let path: string;
    try {
      path = buildPath(spec.pathTemplate, spec.pathParameters, spec.optionalPathParameters, this.pathTemplates);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new TypeError(String(error))); // buildPath's TypeError
    }
    return this.send<T>(
      spec.operationId,
      spec.method,
      `${this.vaultUrl}${path}?${query}`,
      spec.body,
      spec.expectedStatuses,
      options,
    );
  }

  /**
   * Fetches a page from a service `nextLink`. The link must point at this vault: a link to another
   * origin is refused before any request, so no token can follow it.
   */
  getPage<T>(nextLink: string, operationId: string, options: RestCallOptions = {}): Promise<T> {
    // The service's own links (this origin, a plain path and query with the api-version) are sent as
    // they are, which is what the URL parse below would give back for them.
    if (
      nextLink.startsWith(this.originPrefix) &&
      plainPathAndQuery.test(nextLink.slice(this.origin.length)) &&
      /[?&]api-version=/.test(nextLink)
    ) {
      return this.send<T>(operationId, "GET", nextLink, undefined, [200], options);
    }
    let url: URL;
    try {
      url = new URL(nextLink, this.vaultUrl);
    } catch {
      return restErrorOf(
        new PendingRestError(`${operationId}: the service returned an invalid nextLink.`, { code: "InvalidNextLink" }),
      ).then((e) => Promise.reject(e));
    }
    if (url.origin !== this.origin && !sameVaultIgnoringDefaultPort(url, this.origin)) {
      const error = new PendingRestError(
        `${operationId}: refusing to follow a nextLink to ${url.origin}, which is not the vault ${this.origin}.`,
        { code: "InvalidNextLink" },
      );
      return restErrorOf(error).then((e) => Promise.reject(e));
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
    const requestOptions = options.requestOptions;
    const timeout = Math.min(
      requestOptions?.timeout ?? this.options.requestTimeoutInMs ?? defaultRequestTimeoutInMs,
      maxTimerDelayInMs,
    );
    const init: OutgoingRequest = {
      url,
      method,
      timeout,
      allowInsecureConnection: requestOptions?.allowInsecureConnection ?? this.options.allowInsecureConnection ?? false,
    };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (requestOptions?.customHeaders) init.customHeaders = requestOptions.customHeaders;
    if (options.abortSignal) init.abortSignal = options.abortSignal;
    // Only the requests of an operation whose span records get an HTTP span (httpSpanPolicy.ts).
    if (options.tracingActive) init.tracingOptions = options.tracingOptions ?? {};
    let response: PipelineResponse;
    const sent: { request?: PipelineRequest } = {};
    try {
      try {
        response = await this.sendRequest(init, sent);
      } catch (e) {
        // A caller's own HTTP client may report its timeout as an AbortError; the caller did not abort, so say what happened.
        if (timeout > 0 && !options.abortSignal?.aborted && e instanceof Error && e.name === "AbortError") {
          throw new PendingRestError(
            `${operationId}: the vault did not answer within ${timeout} ms (requestOptions.timeout, or the client's requestTimeoutInMs).`,
            { code: requestTimeoutCode, ...(sent.request ? { request: sent.request } : {}) },
          );
        }
        if (isRestErrorLike(e) && e.code === requestTimeoutCode) e.message = `${operationId}: ${e.message}`;
        throw e;
      }
      let parsedBody: unknown;
      let error: unknown;
      let failed = false;
      if (!expectedStatuses.includes(response.status)) {
        const pending = errorFromResponse(operationId, response);
        parsedBody = errorBodyOf(response);
        error = await restErrorOf(pending);
        failed = true;
      } else {
        try {
          parsedBody = parseJsonBody(operationId, response);
        } catch (e) {
          error = await toRestError(e);
          failed = true;
        }
      }
      options.onResponse?.({ ...response, parsedBody }, error);
      if (failed) throw error;
      return parsedBody as T;
    } catch (e) {
      throw await toRestError(e);
    }
  }

  /** Sends through the client's pipeline, made (and core-rest-pipeline loaded) on the first request. */
  private sendRequest(init: OutgoingRequest, sent: { request?: PipelineRequest }): Promise<PipelineResponse> {
    const sender = this.sender;
    if (sender !== undefined) return sender.send(init, sent);
    this.loading ??= import("./pipelineSender.js").then(({ PipelineSender }) => {
      this.sender = new PipelineSender(this.vaultUrl, this.credential, this.clientOptions);
      return this.sender;
    });
    return this.loading.then((loaded) => loaded.send(init, sent));
  }
}

function sameVaultIgnoringDefaultPort(url: URL, origin: string): boolean {
  // The service writes `:443` into its nextLinks; that is the same origin as the vault URL without it.
  const normalized = new URL(url.toString());
  if (normalized.protocol === "https:" && normalized.port === "443") normalized.port = "";
  return normalized.origin === origin;
}

export type { PipelineResponse };
