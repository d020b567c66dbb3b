import type {
  HttpClient,
  LogPolicyOptions,
  PipelineOptions,
  PipelinePolicy,
  PipelineResponse,
  RawHttpHeadersInput,
} from "@azure/core-rest-pipeline";
import type { OperationTracingOptions } from "@azure/core-tracing";
import type { AbortSignalLike } from "../util/abortSignalLike.js";

/** Per-request HTTP options. */
export interface OperationRequestOptions {
  /** Extra headers for this request. */
  headers?: RawHttpHeadersInput;
  /**
   * Milliseconds each attempt of this request may wait for the vault's answer before it fails with a
   * `RestError` of code `REQUEST_TIMEOUT`; 0 means no timeout. Default: the client's `requestTimeoutInMs`.
   */
  timeout?: number;
  /** Allow this request over plain http (the client option sets it for every request). */
  allowInsecureConnection?: boolean;
}

/** The raw response of an operation, for `onResponse`. */
export type FullOperationResponse = PipelineResponse & { parsedBody?: unknown };

/** Options every operation accepts. */
export interface OperationOptions {
  /** Cancels the operation: the request, every page of a list and every wait of a poller. */
  abortSignal?: AbortSignalLike;
  /** Per-request HTTP options. */
  requestOptions?: OperationRequestOptions;
  /** Tracing context for the operation's span. */
  tracingOptions?: OperationTracingOptions;
  /** Called with each raw response (every page of a list, every request of a poller). */
  onResponse?: (rawResponse: FullOperationResponse, error?: unknown) => void;
}

/** Where to add an extra policy. */
export interface AdditionalPolicyConfig {
  /** The policy to add to the client's HTTP pipeline. */
  policy: PipelinePolicy;
  /** `perCall`: once per operation, before retries; `perRetry`: on every attempt, after authentication. */
  position: "perCall" | "perRetry";
}

/** Options of {@link KeyClient} and {@link CryptographyClient}. */
export interface KeyClientOptions extends PipelineOptions {
  /** The service API version; one of `7.0` ... `7.6` and `2025-07-01` (the default). */
  serviceVersion?: string;
  /**
   * Skip the check that the authentication challenge's resource host is a parent of the vault host.
   * Set it only for a vault behind a custom domain, or for the emulator.
   */
  disableChallengeResourceVerification?: boolean;
  /** The HTTP client to send requests with. */
  httpClient?: HttpClient;
  /** Allow plain http. Tokens are sent over http only when this is set. */
  allowInsecureConnection?: boolean;
  /**
   * Milliseconds each request attempt may wait for the vault's answer before it fails with a
   * `RestError` of code `REQUEST_TIMEOUT` (default 120000, two minutes; 0 means no timeout). A call's
   * `requestOptions.timeout` overrides it.
   */
  requestTimeoutInMs?: number;
  /** Extra pipeline policies. */
  additionalPolicies?: AdditionalPolicyConfig[];
  /** Keep-alive settings. */
  keepAliveOptions?: { enable?: boolean };
  /** What the log policy may show (headers and query parameters beyond the safe defaults). */
  loggingOptions?: LogPolicyOptions;
  /** Redirect settings. */
  redirectOptions?: { handleRedirects?: boolean; maxRetries?: number };
}

/** Options of {@link CryptographyClient}. */
export interface CryptographyClientOptions extends KeyClientOptions {}
