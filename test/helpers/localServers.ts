/*
 * Real loopback servers for the security and reliability tests: node:http, or node:https with a
 * self-signed certificate, that record every request (headers included) and answer as the test says.
 * A recording credential hands out unmistakable tokens, so a test can look for them anywhere.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { afterEach } from "vitest";
import { createSelfSignedCertificate } from "../../src/emulator/tls/selfSignedCertificate.js";
import { challengeHeader, EC_P256, UNAUTHORIZED_BODY } from "./wire.js";

/** A request as the server saw it. */
export interface SeenRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Answers one request; the body has been read. Not answering at all leaves the request hanging. */
export type Handler = (request: SeenRequest, response: http.ServerResponse, server: LocalServer) => void;

export interface LocalServer {
  /** `http://127.0.0.1:<port>` or `https://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly requests: SeenRequest[];
  /** The requests that carried an `Authorization` header. */
  authorized(): SeenRequest[];
  /** How many connections clients opened to it (TLS connections, for an https server). */
  connections(): number;
  close(): Promise<void>;
}

let certificate: { key: string; cert: string } | undefined;

/** The PEM certificate the https servers use (one per test file), to trust with `new https.Agent({ ca })`. */
export function testCertificate(): { key: string; cert: string } {
  if (!certificate) {
    const made = createSelfSignedCertificate();
    certificate = { key: made.privateKeyPem, cert: made.certificatePem };
  }
  return certificate;
}

/** An https agent that trusts {@link testCertificate} (and nothing else). */
export function trustingAgent(): https.Agent {
  return new https.Agent({ ca: testCertificate().cert, keepAlive: false });
}

export async function startServer(handler: Handler, options: { https?: boolean } = {}): Promise<LocalServer> {
  const requests: SeenRequest[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const seen: SeenRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(seen);
      handler(seen, res, self);
    });
  };
  const server = options.https ? https.createServer(testCertificate(), listener) : http.createServer(listener);
  let connections = 0;
  server.on(options.https ? "secureConnection" : "connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const self: LocalServer = {
    url: `${options.https ? "https" : "http"}://127.0.0.1:${port}`,
    requests,
    authorized: () => requests.filter((r) => r.headers.authorization !== undefined),
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return self;
}

/** The service's 401 challenge, naming `resource`. */
export function challenge(response: http.ServerResponse, resource: string): void {
  response.writeHead(401, {
    "www-authenticate": challengeHeader(resource),
    "content-type": "application/json; charset=utf-8",
  });
  response.end(JSON.stringify(UNAUTHORIZED_BODY));
}

export function json(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/**
 * A vault: requests without a token get the challenge for the server's own origin (which passes the
 * client's resource verification: same host); authorized requests go to `authorized`.
 */
export function vault(authorized: Handler): Handler {
  return (request, response, server) => {
    if (request.headers.authorization === undefined) challenge(response, server.url);
    else authorized(request, response, server);
  };
}

/** A key bundle the client maps, with `kid` on `vaultUrl`. */
export function keyBundle(
  vaultUrl: string,
  name: string,
  version = "0123456789abcdef0123456789abcdef",
): Record<string, unknown> {
  return {
    key: {
      kid: `${vaultUrl}/keys/${name}/${version}`,
      kty: "EC",
      key_ops: ["sign", "verify"],
      crv: "P-256",
      ...EC_P256,
    },
    attributes: {
      enabled: true,
      created: 1777476606,
      updated: 1777476607,
      recoveryLevel: "Recoverable+Purgeable",
      recoverableDays: 90,
    },
  };
}

/** A credential that records every call and hands out unmistakable, unique tokens. */
export class RecordingCredential implements TokenCredential {
  readonly calls: Array<{ scopes: string[]; tenantId?: string }> = [];
  readonly issued: string[] = [];

  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    this.calls.push({
      scopes: Array.isArray(scopes) ? [...scopes] : [scopes],
      ...(options.tenantId ? { tenantId: options.tenantId } : {}),
    });
    const token = `SECRET-TOKEN-${this.calls.length}-${Math.random().toString(36).slice(2)}`;
    this.issued.push(token);
    return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

/** Retry settings that keep the tests fast. */
export const FAST_RETRY = { retryDelayInMs: 1, maxRetryDelayInMs: 10 };

/** Client options that trust {@link testCertificate} through `tlsOptions`, as users trust a private CA. */
export function trustingTlsOptions(): { tlsOptions: { ca: string } } {
  return { tlsOptions: { ca: testCertificate().cert } };
}

/**
 * Servers (and anything else with a `close()`) that a test file starts, each closed after the test
 * that started it. Call once at the top of the file.
 */
export function closedAfterEachTest(): {
  start(handler: Handler, options?: { https?: boolean }): Promise<LocalServer>;
  track<T extends { close(): Promise<void> }>(closable: T): T;
} {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  const track = <T extends { close(): Promise<void> }>(closable: T): T => {
    open.push(closable);
    return closable;
  };
  return { track, start: async (handler, options) => track(await startServer(handler, options)) };
}
