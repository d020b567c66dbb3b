import type { TokenCredential } from "@azure/core-auth";
import type { PipelinePolicy, SendRequest } from "@azure/core-rest-pipeline";
import { challengeAuthenticationPolicy } from "../pipeline/challengeAuthenticationPolicy.js";
import { defaultMaxResponseBodyBytes, oversizedResponseError } from "../pipeline/responseSizeLimitPolicy.js";
import type { KeyClientOptions } from "../models/operationOptions.js";
import { DirectTransport } from "./directTransport.js";
import { LiteRequest, type LiteResponse } from "./liteHttp.js";
import { PendingRestError, isRestErrorLike } from "./pendingRestError.js";
import { retryDelayInMs } from "./retryDecision.js";

/** The settings of the direct path, read once from the client options. @internal */
export interface DirectPipelineSettings {
  userAgent: string;
  clientRequestIdHeaderName: string;
  maxRetries: number;
  retryDelayInMs: number;
  maxRetryDelayInMs: number;
  handleRedirects: boolean;
  maxRedirects: number;
}

/** One attempt of the retry loop: a response, or an error (with the response it carries, if any). */
type Attempt =
  | { response: LiteResponse }
  | { error: Error & { code?: string; statusCode?: number }; response: LiteResponse | undefined };

/**
 * The pipeline of createKeyVaultPipeline.ts for a client with the default options (no extra policies,
 * HTTP client, agent, proxy or TLS settings) and a request with no abort signal, no recording span
 * and logging off, in one piece: user agent, request id, retries (core-rest-pipeline's
 * defaultRetryPolicy: Retry-After for 429 and 503, exponential backoff with jitter for 408, 5xx and
 * system errors), same-origin redirects without the token, the challenge authentication (the same
 * policy object) and the response size limit, over {@link DirectTransport}. It sends what the standard
 * pipeline sends and answers what it answers, without a chain of eight async policies, a request
 * object and two header copies per request, or core-rest-pipeline itself loaded.
 * @internal
 */
export class DirectPipeline {
  private readonly transport = new DirectTransport();
  private readonly challenge: PipelinePolicy;
  private readonly sendOnce: SendRequest;

  constructor(
    vaultUrl: string,
    credential: TokenCredential,
    options: KeyClientOptions,
    private readonly settings: DirectPipelineSettings,
  ) {
    this.challenge = challengeAuthenticationPolicy(credential, vaultUrl, {
      disableChallengeResourceVerification: options.disableChallengeResourceVerification ?? false,
    });
    this.sendOnce = (request) => {
      // The challenge policy hands on the request it was given: the LiteRequest of sendAuthorized().
      if (!(request instanceof LiteRequest)) throw new TypeError("The direct path sends only its own requests.");
      return this.sendWithinSizeLimit(request);
    };
  }

  async sendRequest(request: LiteRequest): Promise<LiteResponse> {
    const { settings } = this;
    // userAgentPolicy and setClientRequestIdPolicy: only when the caller set no such header.
    if (!request.headers.has("User-Agent")) request.headers.set("User-Agent", settings.userAgent);
    if (!request.headers.has(settings.clientRequestIdHeaderName))
      request.headers.set(settings.clientRequestIdHeaderName, request.requestId);
    // defaultRetryPolicy: the last response, or the last error, after maxRetries retries.
    for (let retryCount = 0; ; retryCount++) {
      let attempt: Attempt;
      try {
        const response = await this.sendAuthorized(request);
        // Redirects are followed only for an answer that asks for one: no extra async step otherwise.
        attempt = {
          response:
            this.settings.handleRedirects && response.status >= 300 && response.status < 400
              ? await this.followRedirects(request, response)
              : response,
        };
      } catch (error) {
        if (!isRestErrorLike(error)) throw error;
        attempt = {
          error,
          response: (error instanceof PendingRestError
            ? error.options.response
            : (error as { response?: LiteResponse }).response) as LiteResponse | undefined,
        };
      }
      const responseError = "error" in attempt ? attempt.error : undefined;
      const delay =
        retryCount >= settings.maxRetries
          ? undefined
          : retryDelayInMs(retryCount, attempt.response, responseError, settings);
      // No retry (or "throw": an error no strategy retries): the attempt's response, or its error.
      if (delay === undefined || delay === "throw") {
        if ("error" in attempt) throw attempt.error;
        return attempt.response;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** redirectPolicy: 300, 301/302 for GET and HEAD, 303 for POST (as a GET), 307; same origin only. */
  private async followRedirects(request: LiteRequest, first: LiteResponse): Promise<LiteResponse> {
    let response = first;
    for (let redirects = 0; redirects < this.settings.maxRedirects; redirects++) {
      const location = response.headers.get("location");
      const { status } = response;
      const method = request.method;
      const redirects303 = status === 303 && method === "POST";
      const follows =
        location &&
        (status === 300 ||
          ((status === 301 || status === 302) && (method === "GET" || method === "HEAD")) ||
          redirects303 ||
          status === 307);
      if (!follows) return response;
      const url = new URL(location, request.url);
      if (url.origin !== new URL(request.url).origin) return response;
      request.url = url.toString();
      if (status === 303) {
        request.method = "GET";
        request.headers.delete("Content-Length");
        delete request.body;
      }
      request.headers.delete("Authorization");
      response = await this.sendAuthorized(request);
    }
    return response;
  }

  private sendAuthorized(request: LiteRequest): Promise<LiteResponse> {
    return this.challenge.sendRequest(request, this.sendOnce) as Promise<LiteResponse>;
  }

  /** responseSizeLimitPolicy over the transport. */
  private sendWithinSizeLimit(request: LiteRequest): Promise<LiteResponse> {
    return this.transport.send(request).then((response) => {
      const error = oversizedResponseError(request, response, defaultMaxResponseBodyBytes);
      if (error) throw error;
      return response;
    });
  }
}
