import { AbortError } from "@azure/abort-controller";
import {
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
  type TlsSettings,
  RestError,
} from "@azure/core-rest-pipeline";
import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import { type Deadline, Deadlines } from "./deadlines.js";
import { plainPathAndQuery } from "./plainUrl.js";
import { ResponseHeaders } from "./responseHeaders.js";
import { requestTimeoutCode } from "./requestTimeout.js";
import { responseTooLargeError } from "./responseSizeLimit.js";

/** Options of {@link createNodeHttpClient}. @internal */
export interface NodeHttpClientOptions {
  /** The largest answer body read, in bytes, after decompression; a larger one is refused while it arrives. */
  maxResponseBodyBytes: number;
}

/** The key under which agents for requests without TLS settings are cached. */
const noTlsSettings: TlsSettings = {};

/**
 * The one HTTP client of a Key Vault client, under its pipeline: a core-rest-pipeline `HttpClient` over
 * `node:http`/`node:https` with a keep-alive agent per client (and per TLS settings), honouring what
 * the pipeline's policies put on the request: `agent` (agentPolicy, proxyPolicy), `tlsSettings`
 * (tlsPolicy), `abortSignal`, `disableKeepAlive`, `streamResponseStatusCodes`, `onDownloadProgress`,
 * and decoding gzip or deflate answers when decompressResponsePolicy asked for them.
 *
 * It differs from core's own Node client in two ways that matter to a client holding keys:
 * `request.timeout` bounds the whole exchange, until the last byte of the body (core's stops at the
 * headers, so a stalled body hangs forever), and the body is refused as soon as it passes the size
 * limit (counted after decompression), so a huge or hostile answer never sits in memory.
 * @internal
 */
export function createNodeHttpClient(options: NodeHttpClientOptions): HttpClient {
  return new NodeHttpClient(options.maxResponseBodyBytes);
}

/** Where a request goes. */
interface Target {
  hostname: string;
  port: string;
  insecure: boolean;
  /** Path and query. */
  path: string;
}

class NodeHttpClient implements HttpClient {
  private httpAgent?: http.Agent;
  private readonly httpsAgents = new WeakMap<TlsSettings, https.Agent>();
  private readonly deadlines = new Deadlines();
  /** The origin requested last, parsed. */
  private lastOrigin?: { prefix: string; target: Omit<Target, "path"> };

  constructor(private readonly maxBodyBytes: number) {}

  sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    let target: Target;
    try {
      target = this.target(request.url);
    } catch {
      return Promise.reject(new RestError(`Invalid URL: ${request.url}`, { code: RestError.REQUEST_SEND_ERROR }));
    }
    const insecure = target.insecure;
    if (insecure && !request.allowInsecureConnection) {
      return Promise.reject(new Error(`Cannot connect to ${request.url} while allowInsecureConnection is false.`));
    }
    if (request.abortSignal?.aborted) {
      return Promise.reject(new AbortError("The operation was aborted. Request has already been canceled."));
    }
    const body = typeof request.body === "function" ? request.body() : request.body;
    if (body !== undefined && body !== null && !request.headers.has("Content-Length")) {
      const length = bodyLength(body);
      if (length !== undefined) request.headers.set("Content-Length", length);
    }
    const agent = request.agent as http.Agent | undefined;
    let requestOptions: http.RequestOptions = {
      agent: agent ?? this.agentFor(request, insecure),
      hostname: target.hostname,
      path: target.path,
      port: target.port,
      method: request.method,
      headers: request.headers.toJSON({ preserveCase: true }),
    };
    // With an agent not of ours (a proxy's, the caller's), the TLS settings go on the request: that
    // agent reads them from there when it connects, so that a `ca` is trusted through a proxy too.
    if (agent !== undefined && request.tlsSettings) requestOptions = { ...requestOptions, ...request.tlsSettings };
    if (request.requestOverrides) requestOptions = { ...requestOptions, ...request.requestOverrides };
    return new Promise((resolve, reject) => {
      new Exchange(request, this.maxBodyBytes, this.deadlines, resolve, reject).start(
        insecure ? http : https,
        requestOptions,
        body,
      );
    });
  }

  /**
   * Host, port and path of a URL, as `new URL()` gives them. A URL of the origin requested last whose
   * path and query hold only characters a URL keeps as they are (all the URLs a Key Vault client
   * sends) is split without a parse.
   */
  private target(href: string): Target {
    const last = this.lastOrigin;
    if (last !== undefined && href.startsWith(last.prefix)) {
      const path = href.slice(last.prefix.length - 1);
      if (plainPathAndQuery.test(path)) {
        const { hostname, port, insecure } = last.target;
        return { hostname, port, insecure, path };
      }
    }
    const url = new URL(href);
    const target = { hostname: url.hostname, port: url.port, insecure: url.protocol !== "https:" };
    this.lastOrigin = { prefix: `${url.origin}/`, target };
    return { ...target, path: `${url.pathname}${url.search}` };
  }

  private agentFor(request: PipelineRequest, insecure: boolean): http.Agent {
    const keepAlive = !request.disableKeepAlive;
    if (insecure) {
      if (!keepAlive) return http.globalAgent;
      return (this.httpAgent ??= new http.Agent({ keepAlive: true }));
    }
    if (!keepAlive && !request.tlsSettings) return https.globalAgent;
    const settings = request.tlsSettings ?? noTlsSettings;
    let agent = this.httpsAgents.get(settings);
    if (agent === undefined || agent.options.keepAlive !== keepAlive) {
      agent = new https.Agent({ keepAlive, ...settings });
      this.httpsAgents.set(settings, agent);
    }
    return agent;
  }
}

/**
 * One request and its answer: one deadline bounds the whole of it, the caller's signal can end it at
 * any time, and it settles exactly once.
 */
class Exchange {
  private req?: http.ClientRequest;
  private stream?: Readable;
  private deadline?: Deadline;
  private settled = false;
  private readonly onAbort = (): void => {
    this.fail(new AbortError("The operation was aborted. Rejecting from abort signal callback while making request."));
  };

  constructor(
    private readonly request: PipelineRequest,
    private readonly maxBodyBytes: number,
    private readonly deadlines: Deadlines,
    private readonly resolve: (response: PipelineResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  start(module: typeof http | typeof https, options: http.RequestOptions, body: unknown): void {
    const { request } = this;
    if (request.timeout > 0) {
      this.deadline = this.deadlines.watch(request.timeout, () => {
        this.fail(
          new RestError(
            `the vault did not answer ${request.method} ${pathOf(request.url)} in full within ${request.timeout} ms (requestOptions.timeout, or the client's requestTimeoutInMs).`,
            { code: requestTimeoutCode, request },
          ),
        );
      });
    }
    request.abortSignal?.addEventListener("abort", this.onAbort);
    const req = module.request(options, (res) => this.answer(res));
    this.req = req;
    req.once("error", (error: NodeJS.ErrnoException) => {
      this.fail(new RestError(error.message, { code: error.code ?? RestError.REQUEST_SEND_ERROR, request }));
    });
    if (body === undefined || body === null) req.end();
    else if (typeof body === "string" || body instanceof Uint8Array) req.end(body);
    else if (body instanceof ArrayBuffer) req.end(Buffer.from(body));
    else if (isReadable(body)) body.pipe(req);
    else this.fail(new RestError("Unrecognized body type", { code: RestError.REQUEST_SEND_ERROR, request }));
  }

  private answer(res: http.IncomingMessage): void {
    if (this.settled) {
      res.destroy();
      return;
    }
    const { request } = this;
    const status = res.statusCode ?? 0;
    const headers = new ResponseHeaders(res.headers);
    const response: PipelineResponse = { status, headers, request };
    if (request.method === "HEAD") {
      res.resume();
      this.succeed(response);
      return;
    }
    const declared = Number(headers.get("content-length"));
    if (Number.isFinite(declared) && declared > this.maxBodyBytes) {
      res.destroy();
      this.fail(responseTooLargeError(request, status, this.maxBodyBytes));
      return;
    }
    let stream: Readable = res;
    const acceptEncoding = request.headers.get("accept-encoding");
    if (acceptEncoding !== undefined && (acceptEncoding.includes("gzip") || acceptEncoding.includes("deflate"))) {
      const encoding = headers.get("content-encoding");
      if (encoding === "gzip" || encoding === "deflate") {
        const decoder = encoding === "gzip" ? zlib.createGunzip() : zlib.createInflate();
        res.once("error", (error) => decoder.destroy(error));
        stream = res.pipe(decoder);
      }
    }
    this.stream = stream;
    const streamed = request.streamResponseStatusCodes;
    if (streamed !== undefined && (streamed.has(Number.POSITIVE_INFINITY) || streamed.has(status))) {
      // The caller reads the body: the exchange is over for this client once the headers are in.
      response.readableStreamBody = stream;
      this.succeed(response);
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const progress = request.onDownloadProgress;
    stream.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > this.maxBodyBytes) {
        chunks.length = 0;
        this.fail(responseTooLargeError(request, status, this.maxBodyBytes));
        return;
      }
      chunks.push(chunk);
      progress?.({ loadedBytes: received });
    });
    stream.once("end", () => {
      const only = chunks.length === 1 ? chunks[0] : undefined;
      response.bodyAsText = (only ?? Buffer.concat(chunks)).toString("utf8");
      this.succeed(response);
    });
    stream.once("error", (error: NodeJS.ErrnoException) => {
      if (error.name === "AbortError") this.fail(error);
      else if (error.code === "ECONNRESET") {
        // The connection dropped mid-body: a reset like any other, which the retry policy retries.
        this.fail(
          new RestError(`The connection was reset while reading the answer: ${error.message}`, {
            code: error.code,
            request,
          }),
        );
      } else {
        this.fail(
          new RestError(`Error reading response as text: ${error.message}`, { code: RestError.PARSE_ERROR, request }),
        );
      }
    });
  }

  private succeed(response: PipelineResponse): void {
    if (this.settled) return;
    this.finish();
    this.resolve(response);
  }

  private fail(error: unknown): void {
    if (this.settled) return;
    this.finish();
    // Destroying the request also destroys its response and the socket: nothing more is read.
    this.stream?.destroy();
    this.req?.destroy();
    this.reject(error);
  }

  private finish(): void {
    this.settled = true;
    if (this.deadline !== undefined) this.deadlines.cancel(this.deadline);
    this.request.abortSignal?.removeEventListener("abort", this.onAbort);
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function bodyLength(body: unknown): number | undefined {
  if (typeof body === "string") return Buffer.byteLength(body);
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return body.byteLength;
  return undefined;
}

function isReadable(body: unknown): body is NodeJS.ReadableStream {
  return typeof body === "object" && body !== null && typeof (body as { pipe?: unknown }).pipe === "function";
}
