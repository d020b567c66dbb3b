/**
 * The HTTP front of the emulator: checks the bearer token (before reading any byte of the body),
 * finds the route in the table of `routeTable.ts`, checks the api-version, reads the body
 * (`requestBody.ts`: 1 MiB each, a budget across requests), parses it as JSON, runs the handler and
 * writes the answer in the service's shape. Client mistakes never become a 5xx: unexpected handler
 * errors map to 400 (a failed write of the data folder, the emulator's own fault, to 500).
 * @internal
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isSystemError } from "../store/atomicFile.js";
import { checkApiVersion } from "./apiVersions.js";
import type { TokenAuthority } from "./auth.js";
import { EmulatorError, badParameter } from "../vault/errors.js";
import { applyFault, type FaultInjector } from "./faults.js";
import { checkDeclaredLength, discardUnreadBody, readBody, type BodyBudget, type ReadBody } from "./requestBody.js";
import { checkKeyName } from "./requestValidation.js";
import { createRouteMatcher } from "./routeMatcher.js";
import { routes } from "./routeTable.js";
import type { EmulatorServices, RouteRequest } from "./routes/routeTypes.js";

/** The service version header value the recordings of 2026 carry. @internal */
export const serviceVersion = "1.9.3070.2";

/**
 * Finds the route of a request: `method` (upper case) and the path's segments (split on "/", leading
 * slashes dropped, each decoded). Undefined when no pattern matches (404).
 * @internal
 */
export const matchRoute = createRouteMatcher(routes);

function splitTarget(url: string): { segments: string[]; query: URLSearchParams } {
  const questionMark = url.indexOf("?");
  const path = questionMark < 0 ? url : url.slice(0, questionMark);
  const query = new URLSearchParams(questionMark < 0 ? "" : url.slice(questionMark + 1));
  let segments: string[];
  try {
    segments = path
      .replace(/^\/+/, "")
      .split("/")
      .map((segment) => decodeURIComponent(segment));
  } catch {
    throw badParameter("The request URI is not valid.");
  }
  if (segments.length === 1 && segments[0] === "") segments = [];
  return { segments, query };
}

function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    throw badParameter("The request body is not valid JSON.");
  }
}

function send(response: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string>): void {
  const headers: Record<string, string> = {
    "cache-control": "no-cache",
    "x-ms-keyvault-service-version": serviceVersion,
    ...extraHeaders,
  };
  if (status === 204 || body === undefined) {
    response.writeHead(status, { ...headers, "content-length": "0" });
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
  });
  response.end(text);
}

/** What the request handler needs. @internal */
export interface RouterOptions {
  services: EmulatorServices;
  auth: TokenAuthority;
  /** Fault injection, applied to authenticated requests before routing. */
  faults?: FaultInjector;
  /** The bytes of request bodies held at once, across requests. */
  bodies: BodyBudget;
}

/** Creates the node:http request listener. @internal */
export function createRequestListener(
  options: RouterOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    void handle(options, request, response);
  };
}

async function handle(options: RouterOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const headers: Record<string, string> = { "x-ms-request-id": randomUUID() };
  const clientRequestId = request.headers["x-ms-client-request-id"];
  if (typeof clientRequestId === "string") headers["x-ms-client-request-id"] = clientRequestId;
  let raw: ReadBody | undefined;
  try {
    options.auth.check(request.headers.authorization);
    checkDeclaredLength(request);
    if (options.faults && (await applyFault(options.faults, request))) return;
    const method = (request.method ?? "GET").toUpperCase();
    const { segments, query } = splitTarget(request.url ?? "/");
    const match = matchRoute(method, segments);
    if (!match) {
      throw new EmulatorError(404, "NotFound", `No keys API operation matches ${method} /${segments.join("/")}.`);
    }
    const { handler } = match;
    if (!handler) {
      throw new EmulatorError(
        405,
        "MethodNotAllowed",
        `The method ${method} is not allowed on /${segments.join("/")}.`,
        undefined,
        { allow: match.allowed.join(", ") },
      );
    }
    const apiVersion = checkApiVersion(query.get("api-version"));
    if (match.params.name !== undefined) checkKeyName(match.params.name);
    raw = await readBody(request, options.bodies);
    const body = parseJsonBody(raw.bytes);
    const routeRequest: RouteRequest = {
      services: options.services,
      params: match.params,
      query,
      body,
      apiVersion,
      render: {
        vaultUrl: options.services.vaultUrl(request.headers.host),
        apiVersion,
        recoverableDays: options.services.recoverableDays,
      },
    };
    const result = await handler(routeRequest);
    send(response, result.status, result.body, headers);
  } catch (error) {
    const mapped = error instanceof EmulatorError ? error : mapUnexpected(error);
    discardUnreadBody(request);
    send(response, mapped.status, mapped.toBody(), { ...headers, ...mapped.headers });
  } finally {
    raw?.release();
  }
}

/**
 * Errors that no handler anticipated: a failed write of the data folder (an errno error) is the
 * emulator's own fault (500); anything else came from odd client input and is a 400.
 */
function mapUnexpected(error: unknown): EmulatorError {
  const message = error instanceof Error ? error.message : String(error);
  if (isSystemError(error)) {
    return new EmulatorError(500, "InternalError", `The emulator could not persist the change: ${message}`);
  }
  return new EmulatorError(400, "BadParameter", `The request could not be processed: ${message}`);
}
