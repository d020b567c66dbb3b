/**
 * The HTTP front of the emulator: checks the bearer token (before reading any byte of the body),
 * finds the route, checks the api-version, reads the body (`http/requestBody.ts`: 1 MiB each, a
 * budget across requests), parses it as JSON, runs the handler and writes the answer in the
 * service's shape. Client mistakes never become a 5xx: unexpected handler errors map to 400.
 * @internal
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkApiVersion } from "./apiVersions.js";
import type { TokenAuthority } from "./auth.js";
import { EmulatorError, badParameter, serviceUnavailable, throttled } from "../vault/errors.js";
import type { FaultInjector } from "./faults.js";
import { checkDeclaredLength, discardUnreadBody, readBody, type BodyBudget, type ReadBody } from "./requestBody.js";
import { checkKeyName } from "./requestValidation.js";
import * as crypto from "./routes/cryptoRoutes.js";
import * as deleted from "./routes/deletedKeyRoutes.js";
import * as keys from "./routes/keyRoutes.js";
import type { EmulatorServices, RouteHandler, RouteRequest } from "./routes/routeTypes.js";

/** The service version header value the recordings of 2026 carry. @internal */
export const serviceVersion = "1.9.3070.2";

type Methods = Partial<Record<string, RouteHandler>>;

interface Match {
  methods: Methods;
  params: { name?: string; version?: string };
}

const cryptoOperations: Record<string, RouteHandler> = {
  encrypt: crypto.encrypt,
  decrypt: crypto.decrypt,
  wrapkey: crypto.wrapKey,
  unwrapkey: crypto.unwrapKey,
  sign: crypto.sign,
  verify: crypto.verify,
  release: crypto.release,
};

/** Finds the route of a path (split on "/", leading slashes dropped, empty version = latest). @internal */
export function matchRoute(segments: string[]): Match | undefined {
  const [collection, name, third, fourth, ...rest] = segments;
  if (rest.length > 0) return undefined;
  const lowerCollection = collection?.toLowerCase();
  if (lowerCollection === "rng" && name === undefined) return { methods: { POST: crypto.getRandomBytes }, params: {} };
  if (lowerCollection === "deletedkeys") {
    if (name === undefined || name === "")
      return third === undefined ? { methods: { GET: deleted.listDeletedKeys }, params: {} } : undefined;
    if (third === undefined)
      return { methods: { GET: deleted.getDeletedKey, DELETE: deleted.purgeDeletedKey }, params: { name } };
    if (third.toLowerCase() === "recover" && fourth === undefined)
      return { methods: { POST: deleted.recoverDeletedKey }, params: { name } };
    return undefined;
  }
  if (lowerCollection !== "keys") return undefined;
  if (name === undefined || name === "")
    return third === undefined ? { methods: { GET: keys.listKeys }, params: {} } : undefined;
  if (third === undefined) {
    if (name.toLowerCase() === "restore") return { methods: { POST: keys.restoreKey }, params: {} };
    return {
      methods: { GET: keys.getKey, PATCH: keys.updateKey, PUT: keys.importKey, DELETE: keys.deleteKey },
      params: { name },
    };
  }
  const lowerThird = third.toLowerCase();
  if (fourth === undefined) {
    const latestCrypto = cryptoOperations[lowerThird];
    const named: Record<string, Methods> = {
      create: { POST: keys.createKey },
      backup: { POST: keys.backupKey },
      rotate: { POST: keys.rotateKey },
      versions: { GET: keys.listKeyVersions },
      rotationpolicy: { GET: keys.getRotationPolicy, PUT: keys.updateRotationPolicy },
      attestation: { GET: crypto.getKeyAttestation }, // GET /keys/{name}/attestation: the latest version
    };
    const fixed = named[lowerThird] ?? (latestCrypto ? { POST: latestCrypto } : undefined);
    // Anything else is a version; an operation name on POST means "that operation on the latest version".
    return {
      methods: { GET: keys.getKey, PATCH: keys.updateKey, ...fixed },
      params: fixed ? { name } : { name, version: third },
    };
  }
  const lowerFourth = fourth.toLowerCase();
  if (lowerFourth === "attestation")
    return { methods: { GET: crypto.getKeyAttestation }, params: { name, version: third } };
  const operation = cryptoOperations[lowerFourth];
  return operation ? { methods: { POST: operation }, params: { name, version: third } } : undefined;
}

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
    if (options.faults && (await injectFault(options.faults, request))) return;
    const method = (request.method ?? "GET").toUpperCase();
    const { segments, query } = splitTarget(request.url ?? "/");
    const match = matchRoute(segments);
    if (!match) {
      throw new EmulatorError(404, "NotFound", `No keys API operation matches ${method} /${segments.join("/")}.`);
    }
    const handler = match.methods[method];
    if (!handler) {
      throw new EmulatorError(
        405,
        "MethodNotAllowed",
        `The method ${method} is not allowed on /${segments.join("/")}.`,
        undefined,
        {
          allow: Object.keys(match.methods).join(", "),
        },
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
 * Applies the drawn faults of an authenticated request: waits the latency, then throws the 429 or
 * 503, or resets the connection (returning true: nothing more to answer).
 */
async function injectFault(faults: FaultInjector, request: IncomingMessage): Promise<boolean> {
  const { latencyInMs, failure } = faults.draw();
  if (latencyInMs > 0) await new Promise<void>((resolve) => setTimeout(resolve, latencyInMs));
  if (failure === "throttle") throw throttled(faults.throttleRetryAfterSeconds);
  if (failure === "unavailable") throw serviceUnavailable();
  if (failure === "reset") {
    const socket = request.socket;
    try {
      socket.resetAndDestroy(); // a TCP RST, as a dropped connection looks
    } catch {
      socket.destroy(); // not a plain TCP handle (TLS): a close without an answer
    }
    return true;
  }
  return false;
}

/**
 * Errors that no handler anticipated: a failed write of the data folder (an errno error) is the
 * emulator's own fault (500); anything else came from odd client input and is a 400.
 */
function mapUnexpected(error: unknown): EmulatorError {
  const message = error instanceof Error ? error.message : String(error);
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof errno === "string" && /^E[A-Z]+$/.test(errno)) {
    return new EmulatorError(500, "InternalError", `The emulator could not persist the change: ${message}`);
  }
  return new EmulatorError(400, "BadParameter", `The request could not be processed: ${message}`);
}
