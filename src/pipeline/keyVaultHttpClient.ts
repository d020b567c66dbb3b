// Default imports on purpose: they are the modules' live export objects, so `http.request` is looked
// up at call time and interceptors that patch it (nock, msw) see our requests. A
// namespace import (`import * as`) is a snapshot taken at first import and bypasses them.
import http from "node:http";
import https from "node:https";
import {
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
  type TlsSettings,
  RestError,
  createDefaultHttpClient,
  createHttpHeaders,
} from "@azure/core-rest-pipeline";
import { textOf } from "../rest/liteHttp.js";

/**
 * The HTTP client of the Key Vault pipeline. Key Vault requests are small JSON exchanges, so the
 * common case (a string body or none, no abort signal, no progress callbacks, no
 * streamed or compressed answer, no request overrides) goes straight to `node:http(s)` and reads the
 * answer as text, doing what core-rest-pipeline's default Node client does for such a request with
 * less in between: the same request options, headers (names as given, `Content-Length` added the
 * same way), keep-alive agents (one per TLS settings object, the caller's `request.agent` first),
 * response headers and errors. Anything else goes to core-rest-pipeline's default client, unchanged.
 * @internal
 */
export function createKeyVaultHttpClient(): HttpClient {
  let fallback: HttpClient | undefined;
  let httpAgent: http.Agent | undefined;
  const httpsAgents = new WeakMap<TlsSettings, https.Agent>();
  const defaultTlsSettings: TlsSettings = {};

  function agentFor(request: PipelineRequest, insecure: boolean): http.Agent {
    // core-rest-pipeline types `request.agent` structurally; it is the caller's node:http(s) Agent, which
    // goes to node as core-rest-pipeline's own Node client hands it on.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- see above
    if (request.agent) return request.agent as http.Agent;
    const disableKeepAlive = request.disableKeepAlive;
    if (insecure) {
      if (disableKeepAlive) return http.globalAgent;
      return (httpAgent ??= new http.Agent({ keepAlive: true }));
    }
    if (disableKeepAlive && !request.tlsSettings) return https.globalAgent;
    const tlsSettings = request.tlsSettings ?? defaultTlsSettings;
    let agent = httpsAgents.get(tlsSettings);
    if (agent && agent.options.keepAlive === !disableKeepAlive) return agent;
    agent = new https.Agent({ keepAlive: !disableKeepAlive, ...tlsSettings });
    httpsAgents.set(tlsSettings, agent);
    return agent;
  }

  return {
    sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      if (!isPlain(request)) return (fallback ??= createDefaultHttpClient()).sendRequest(request);
      const body = request.body as string | undefined;
      if (body && !request.headers.has("Content-Length"))
        request.headers.set("Content-Length", Buffer.byteLength(body));
      const url = new URL(request.url);
      const insecure = url.protocol !== "https:";
      if (insecure && !request.allowInsecureConnection) {
        return Promise.reject(new Error(`Cannot connect to ${request.url} while allowInsecureConnection is false.`));
      }
      const options: http.RequestOptions = {
        agent: agentFor(request, insecure),
        hostname: url.hostname,
        path: `${url.pathname}${url.search}`,
        port: url.port,
        method: request.method,
        headers: request.headers.toJSON({ preserveCase: true }),
      };
      return new Promise<PipelineResponse>((resolve, reject) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const onResponse = (res: http.IncomingMessage): void => {
          if (timer !== undefined) clearTimeout(timer);
          const headers = createHttpHeaders();
          const raw = res.headers;
          for (const name in raw) {
            const value = raw[name];
            if (Array.isArray(value)) {
              const first = value[0];
              if (first !== undefined) headers.set(name, first);
            } else if (value) headers.set(name, value);
          }
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            resolve({
              status: res.statusCode ?? 0,
              headers,
              request,
              bodyAsText: textOf(chunks),
            });
          });
          res.on("error", (e: Error) => {
            reject(
              e.name === "AbortError"
                ? e
                : new RestError(`Error reading response as text: ${e.message}`, { code: RestError.PARSE_ERROR }),
            );
          });
        };
        const req = insecure ? http.request(options, onResponse) : https.request(options, onResponse);
        req.once("error", (err: NodeJS.ErrnoException) => {
          if (timer !== undefined) clearTimeout(timer);
          reject(new RestError(err.message, { code: err.code ?? RestError.REQUEST_SEND_ERROR, request }));
        });
        if (request.timeout > 0) {
          // As the default client: the timeout runs until the answer's headers, then the request is
          // destroyed and the call fails with an AbortError.
          timer = setTimeout(() => {
            const abortError = new AbortError(
              "The operation was aborted. Rejecting from abort signal callback while making request.",
            );
            req.destroy(abortError);
            reject(abortError);
          }, request.timeout);
        }
        if (body) req.end(body);
        else req.end();
      });
    },
  };
}

/** A request the direct path handles exactly as the default client would. */
function isPlain(request: PipelineRequest): boolean {
  if (request.abortSignal || request.method === "HEAD") return false;
  if (request.body !== undefined && request.body !== null && typeof request.body !== "string") return false;
  if (request.onUploadProgress || request.onDownloadProgress || request.requestOverrides) return false;
  if (request.streamResponseStatusCodes && request.streamResponseStatusCodes.size > 0) return false;
  if (request.multipartBody || request.formData || request.enableBrowserStreams) return false;
  const acceptEncoding = request.headers.get("Accept-Encoding");
  return !acceptEncoding || (!acceptEncoding.includes("gzip") && !acceptEncoding.includes("deflate"));
}

/** The error of a request that ran out of time, as the default client names it. */
class AbortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AbortError";
  }
}
