import type { HttpHeaders, PipelineRequest, PipelineResponse, RawHttpHeaders } from "@azure/core-rest-pipeline";
import type { OperationTracingOptions } from "@azure/core-tracing";

/*
 * The request, response and headers of the direct path (directPipeline.ts): the same shapes as
 * core-rest-pipeline's PipelineRequest, PipelineResponse and HttpHeaders, which is what the policies of
 * this package, RestError and `onResponse` callers see, made without loading core-rest-pipeline.
 */

/**
 * Headers as core-rest-pipeline's `createHttpHeaders()` keeps them: looked up by lower-cased name,
 * sent with the name as first given, values as strings, in insertion order.
 * @internal
 */
export class LiteHeaders implements HttpHeaders {
  private readonly entries = new Map<string, { name: string; value: string }>();

  constructor(raw?: RawHttpHeaders | Record<string, string>) {
    if (raw) for (const [name, value] of Object.entries(raw)) this.set(name, value);
  }

  get(name: string): string | undefined {
    return this.entries.get(name.toLowerCase())?.value;
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  set(name: string, value: string | number | boolean): void {
    this.entries.set(name.toLowerCase(), { name, value: String(value) });
  }

  delete(name: string): void {
    this.entries.delete(name.toLowerCase());
  }

  toJSON(options: { preserveCase?: boolean } = {}): RawHttpHeaders {
    const result: RawHttpHeaders = {};
    for (const [key, entry] of this.entries) result[options.preserveCase ? entry.name : key] = entry.value;
    return result;
  }

  toString(): string {
    return JSON.stringify(this.toJSON({ preserveCase: true }));
  }

  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const entry of this.entries.values()) yield [entry.name, entry.value];
  }
}

/**
 * The headers of an answer, read from node's `IncomingMessage.headers` (lower-case names) where they
 * are, and copied into a {@link LiteHeaders} only when something iterates or changes them: an answer
 * is usually asked for one or two headers. As the HTTP client of the standard path: the first value
 * of a repeated header, empty values left out.
 * @internal
 */
export class NodeResponseHeaders implements HttpHeaders {
  private copy?: LiteHeaders;

  constructor(private readonly raw: Record<string, string | string[] | undefined>) {}

  get(name: string): string | undefined {
    if (this.copy) return this.copy.get(name);
    const value = this.raw[name.toLowerCase()];
    const first = Array.isArray(value) ? value[0] : value;
    return first ? first : undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  set(name: string, value: string | number | boolean): void {
    this.headers().set(name, value);
  }

  delete(name: string): void {
    this.headers().delete(name);
  }

  toJSON(options?: { preserveCase?: boolean }): RawHttpHeaders {
    return this.headers().toJSON(options);
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.headers()[Symbol.iterator]();
  }

  private headers(): LiteHeaders {
    if (!this.copy) {
      const copy = new LiteHeaders();
      for (const name of Object.keys(this.raw)) {
        const value = this.get(name);
        if (value !== undefined) copy.set(name, value);
      }
      this.copy = copy;
    }
    return this.copy;
  }
}

/** What a {@link LiteRequest} is made from. @internal */
export interface LiteRequestInit {
  url: string;
  method: PipelineRequest["method"];
  headers: LiteHeaders;
  body?: string;
  timeout: number;
  allowInsecureConnection: boolean;
  tracingOptions?: OperationTracingOptions;
}

/**
 * A request of the direct path, with the fields (and defaults) of core-rest-pipeline's
 * `createPipelineRequest`, so that policies, errors and `onResponse` see the usual request.
 * @internal
 */
export class LiteRequest implements PipelineRequest {
  url: string;
  method: PipelineRequest["method"];
  headers: LiteHeaders;
  timeout: number;
  withCredentials = false;
  body?: string;
  multipartBody = undefined;
  formData = undefined;
  streamResponseStatusCodes = undefined;
  enableBrowserStreams = false;
  proxySettings = undefined;
  disableKeepAlive = false;
  abortSignal = undefined;
  requestId: string;
  tracingOptions?: OperationTracingOptions;
  allowInsecureConnection: boolean;
  onUploadProgress = undefined;
  onDownloadProgress = undefined;
  requestOverrides = undefined;
  authSchemes = undefined;

  constructor(init: LiteRequestInit) {
    this.url = init.url;
    this.method = init.method;
    this.headers = init.headers;
    this.body = init.body;
    this.timeout = init.timeout;
    this.requestId = globalThis.crypto.randomUUID();
    this.tracingOptions = init.tracingOptions;
    this.allowInsecureConnection = init.allowInsecureConnection;
  }
}

/** An answer of the direct path: a PipelineResponse with its body read as text. @internal */
export interface LiteResponse extends PipelineResponse {
  request: LiteRequest;
}

/** The text of an answer's body chunks (UTF-8): the one chunk of a small answer without a copy. @internal */
export function textOf(chunks: readonly Buffer[]): string {
  const only = chunks.length === 1 ? chunks[0] : undefined;
  return (only ?? Buffer.concat(chunks)).toString("utf8");
}
