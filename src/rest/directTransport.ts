import type * as http from "node:http";
import type * as https from "node:https";
import { defaultMaxResponseBodyBytes, responseTooLargeError } from "../pipeline/responseSizeLimitPolicy.js";
import { type LiteRequest, type LiteResponse, NodeResponseHeaders, textOf } from "./liteHttp.js";
import { PendingRestError } from "./pendingRestError.js";
import { plainPathAndQuery } from "./plainUrl.js";

/** node:http or node:https, loaded on the first request for its scheme, with this client's keep-alive agent for it. */
interface Connector {
  module: typeof http | typeof https;
  agent: http.Agent;
}

/** Where a request goes, as `new URL()` gives it. */
interface Target {
  hostname: string;
  port: string;
  insecure: boolean;
  path: string;
}

/**
 * The transport of the direct path: one request over `node:https` (or `node:http` where the client
 * allows insecure connections) with this client's keep-alive agent, the answer read as text. It does
 * what core-rest-pipeline's default HTTP client (the standard path's) does for such a request: the same
 * request options and headers, `Content-Length` added the same way, the same timeout (until the answer's
 * headers, then an AbortError) and errors (a RestError with the system error's code).
 *
 * The modules are loaded on first use, not with the package; their default exports are the live
 * module objects, so interceptors that patch `https.request` (nock) see these requests.
 * @internal
 */
export class DirectTransport {
  private secure?: Connector;
  private insecure?: Connector;
  /** The last origin requested, parsed: the next request to it needs no URL parse. */
  private lastOrigin?: { prefix: string; hostname: string; port: string; insecure: boolean };

  send(request: LiteRequest): Promise<LiteResponse> {
    // Not an async function: once the module is loaded, nothing here waits.
    let target: Target;
    try {
      target = this.target(request.url);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new TypeError(String(error))); // new URL()'s TypeError
    }
    if (target.insecure && !request.allowInsecureConnection) {
      return Promise.reject(new Error(`Cannot connect to ${request.url} while allowInsecureConnection is false.`));
    }
    const connector = target.insecure ? this.insecure : this.secure;
    if (connector === undefined) {
      const loading: Promise<Connector> = target.insecure
        ? import("node:http").then((m) => (this.insecure ??= { module: m.default, agent: newAgent(m.default) }))
        : import("node:https").then((m) => (this.secure ??= { module: m.default, agent: newAgent(m.default) }));
      return loading.then((loaded) => this.sendLoaded(request, target, loaded));
    }
    return this.sendLoaded(request, target, connector);
  }

  private sendLoaded(request: LiteRequest, target: Target, { module, agent }: Connector): Promise<LiteResponse> {
    const body = request.body;
    if (body && !request.headers.has("Content-Length")) request.headers.set("Content-Length", Buffer.byteLength(body));
    const { hostname, port, path } = target;
    const options: http.RequestOptions = {
      agent,
      hostname,
      path,
      port,
      method: request.method,
      headers: request.headers.toJSON({ preserveCase: true }),
    };
    return new Promise<LiteResponse>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const req = module.request(options, (res) => {
        if (timer !== undefined) clearTimeout(timer);
        const chunks: Buffer[] = [];
        let received = 0;
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > defaultMaxResponseBodyBytes) {
            // Stop reading at the limit rather than hold the whole answer before refusing it.
            chunks.length = 0;
            res.destroy();
            reject(responseTooLargeError(request, res.statusCode ?? 0, defaultMaxResponseBodyBytes));
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: new NodeResponseHeaders(res.headers),
            request,
            bodyAsText: textOf(chunks),
          });
        });
        res.on("error", (e: Error) => {
          reject(
            e.name === "AbortError"
              ? e
              : new PendingRestError(`Error reading response as text: ${e.message}`, { code: "PARSE_ERROR" }),
          );
        });
      });
      req.once("error", (err: NodeJS.ErrnoException) => {
        if (timer !== undefined) clearTimeout(timer);
        reject(new PendingRestError(err.message, { code: err.code ?? "REQUEST_SEND_ERROR", request }));
      });
      if (request.timeout > 0) {
        timer = setTimeout(() => {
          const abortError = new Error(
            "The operation was aborted. Rejecting from abort signal callback while making request.",
          );
          abortError.name = "AbortError";
          req.destroy(abortError);
          reject(abortError);
        }, request.timeout);
      }
      if (body) req.end(body);
      else req.end();
    });
  }

  /**
   * Host, port and path of a URL, as `new URL()` gives them. A URL of the origin requested last, whose
   * path and query hold only characters a URL keeps as they are (what this client builds), is split
   * without a parse.
   */
  private target(href: string): Target {
    const last = this.lastOrigin;
    if (last && href.startsWith(last.prefix)) {
      const path = href.slice(last.prefix.length - 1);
      if (plainPathAndQuery.test(path))
        return { hostname: last.hostname, port: last.port, insecure: last.insecure, path };
    }
    const url = new URL(href);
    const insecure = url.protocol !== "https:";
    this.lastOrigin = { prefix: `${url.origin}/`, hostname: url.hostname, port: url.port, insecure };
    return { hostname: url.hostname, port: url.port, insecure, path: `${url.pathname}${url.search}` };
  }
}

function newAgent(module: typeof http | typeof https): http.Agent {
  return new module.Agent({ keepAlive: true });
}
