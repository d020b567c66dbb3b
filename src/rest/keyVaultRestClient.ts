import type { TokenCredential } from "@azure/core-auth";
import type { HttpClient, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { arch, release, type } from "node:os";
import { SDK_VERSION } from "../constants.js";
import { logger } from "../logger.js";
import type { FullOperationResponse, KeyClientOptions } from "../models/operationOptions.js";
import { DirectPipeline } from "./directPipeline.js";
import { LiteHeaders, LiteRequest } from "./liteHttp.js";
import type { OperationSpec, OperationSender, SendOptions } from "./operationSender.js";
import { PendingRestError, restErrorOf, toRestError } from "./pendingRestError.js";
import type { PipelineSender, RequestInit } from "./pipelineSender.js";
import { type PathTemplateCache, buildPath } from "./buildPath.js";
import { plainPathAndQuery } from "./plainUrl.js";
import { errorFromResponse, parseJsonBody } from "./responseErrors.js";
import { defaultRetryBounds } from "./retryDecision.js";

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
  /** Set when the operation's tracing span records: the request then gets its HTTP span (standard path). */
  tracingActive?: boolean;
}

/** What makes the direct path unfit for every request of a client: anything that customizes the pipeline. */
function needsStandardPipeline(options: KeyClientOptions): boolean {
  return Boolean(
    options.httpClient ||
    (options.additionalPolicies && options.additionalPolicies.length > 0) ||
    options.agent ||
    options.tlsOptions ||
    options.proxyOptions ||
    process.env["HTTPS_PROXY"] ||
    process.env["HTTP_PROXY"] ||
    process.env["https_proxy"] ||
    process.env["http_proxy"],
  );
}

/**
 * Sends the generated layer's operations: builds the URL from the template (each segment
 * percent-encoded, `.` and `..` refused), adds `api-version`, serializes the JSON body, checks the
 * status and parses the answer. Also fetches later pages from a `nextLink`, refusing links that leave
 * the vault.
 *
 * Two paths send: the direct one (directPipeline.ts) for a client with the default options and a
 * plain request, and core-rest-pipeline's pipeline (pipelineSender.ts, loaded on first need) for
 * anything else. Both send the same requests; errors reach the caller as `RestError`s.
 * @internal
 */
export class KeyVaultRestClient implements OperationSender {
  readonly vaultUrl: string;
  private readonly origin: string;
  private readonly originPrefix: string;
  private readonly queryPrefix: string;
  private readonly direct?: DirectPipeline;
  private standard?: Promise<PipelineSender>;
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
    if (!needsStandardPipeline(clientOptions)) {
      const prefix = clientOptions.userAgentOptions?.userAgentPrefix;
      const retry = clientOptions.retryOptions;
      this.direct = new DirectPipeline(this.vaultUrl, credential, clientOptions, {
        userAgent: `${prefix ? `${prefix} ` : ""}azsdk-js-keyvault-keys-lite/${SDK_VERSION} ${coreUserAgent()}`,
        clientRequestIdHeaderName:
          clientOptions.telemetryOptions?.clientRequestIdHeaderName ?? "x-ms-client-request-id",
        maxRetries: retry?.maxRetries ?? defaultRetryBounds.maxRetries,
        retryDelayInMs: retry?.retryDelayInMs ?? defaultRetryBounds.retryDelayInMs,
        maxRetryDelayInMs: retry?.maxRetryDelayInMs ?? defaultRetryBounds.maxRetryDelayInMs,
        handleRedirects: clientOptions.redirectOptions?.handleRedirects !== false,
        maxRedirects: clientOptions.redirectOptions?.maxRetries ?? 20,
      });
    }
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
    const init: RequestInit = {
      url,
      method,
      timeout,
      allowInsecureConnection: requestOptions?.allowInsecureConnection ?? this.options.allowInsecureConnection ?? false,
    };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (requestOptions?.customHeaders) init.customHeaders = requestOptions.customHeaders;
    if (options.abortSignal) init.abortSignal = options.abortSignal;
    if (options.tracingOptions) init.tracingOptions = options.tracingOptions;
    let response: PipelineResponse;
    const sent: { request?: PipelineRequest } = {};
    try {
      try {
        response = await this.sendRequest(init, options, sent);
      } catch (e) {
        // The HTTP client reports its timeout as an AbortError; the caller did not abort, so say what happened.
        if (timeout > 0 && !options.abortSignal?.aborted && e instanceof Error && e.name === "AbortError") {
          throw new PendingRestError(
            `${operationId}: the vault did not answer within ${timeout} ms (requestOptions.timeout, or the client's requestTimeoutInMs).`,
            { code: "REQUEST_TIMEOUT", ...(sent.request ? { request: sent.request } : {}) },
          );
        }
        throw e;
      }
      let parsedBody: unknown;
      let error: unknown;
      let failed = false;
      if (!expectedStatuses.includes(response.status)) {
        const pending = errorFromResponse(operationId, response);
        parsedBody = pending.options.details;
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

  /** The direct path when it can serve this request, else the standard pipeline. */
  private sendRequest(
    init: RequestInit,
    options: RestCallOptions,
    sent: { request?: PipelineRequest },
  ): Promise<PipelineResponse> {
    const direct = this.direct;
    if (direct && !init.abortSignal && !options.tracingActive && !logger.error.enabled) {
      const headers = new LiteHeaders(init.customHeaders);
      headers.set("accept", "application/json");
      if (init.body !== undefined) headers.set("content-type", "application/json");
      const request = new LiteRequest({ ...init, headers });
      sent.request = request;
      return direct.sendRequest(request);
    }
    this.standard ??= import("./pipelineSender.js").then(
      ({ PipelineSender }) => new PipelineSender(this.vaultUrl, this.credential, this.clientOptions),
    );
    return this.standard.then((sender) => sender.send(init, sent));
  }
}

/**
 * The part of the user agent that core-rest-pipeline's userAgentPolicy writes after the prefix:
 * `core-rest-pipeline/<version> Node/<version> (<OS type> <release>; <arch>)`. Written here so that
 * the direct path sends the very same header without loading core-rest-pipeline; the version is the
 * one package.json pins, and a test compares the two paths' headers.
 * @internal
 */
export function coreUserAgent(): string {
  const os = `${type()} ${release()}; ${arch()}`;
  const versions = process.versions as NodeJS.ProcessVersions & { bun?: string; deno?: string };
  const runtime = versions.bun
    ? ` Bun/${versions.bun} (${os})`
    : versions.deno
      ? ` Deno/${versions.deno} (${os})`
      : versions.node
        ? ` Node/${versions.node} (${os})`
        : "";
  return `core-rest-pipeline/${coreRestPipelineVersion}${runtime}`;
}

/** The version of @azure/core-rest-pipeline in package.json (pinned), as its userAgentPolicy writes it. @internal */
export const coreRestPipelineVersion = "1.24.0";

function sameVaultIgnoringDefaultPort(url: URL, origin: string): boolean {
  // The service writes `:443` into its nextLinks; that is the same origin as the vault URL without it.
  const normalized = new URL(url.toString());
  if (normalized.protocol === "https:" && normalized.port === "443") normalized.port = "";
  return normalized.origin === origin;
}

export type { PipelineResponse };
