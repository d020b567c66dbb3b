/*
 * A request as the differential fake vault saw it, kept for the tests to compare (method, raw path and
 * query, headers, body), and the writing of the fake's JSON answers, which marks the status on it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** One request as the fake vault saw it. */
export interface RecordedRequest {
  method: string;
  /** The raw path, exactly as sent (percent-encoding and empty segments kept). */
  path: string;
  /** Query parameters, decoded. */
  query: Record<string, string>;
  /** Raw query string, as sent. */
  rawQuery: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body (`{ __raw__: text }` when it is not JSON); `undefined` when the body was empty. */
  body: unknown;
  /** The raw body text. */
  rawBody: string;
  /** Whether the request carried an `Authorization` header. */
  authenticated: boolean;
  /** The status the fake answered. */
  status: number;
}

/** The record of a request whose body has been read (its status still 0). */
export function recordOf(req: IncomingMessage, rawBody: string): RecordedRequest {
  const rawUrl = req.url ?? "/";
  const q = rawUrl.indexOf("?");
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q === -1 ? "" : rawUrl.slice(q + 1);
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) query[k] = v;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
  let body: unknown;
  if (rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = { __raw__: rawBody };
    }
  }
  return {
    method: req.method ?? "",
    path,
    query,
    rawQuery,
    headers,
    body,
    rawBody,
    authenticated: headers["authorization"] !== undefined,
    status: 0,
  };
}

/** Answers `record` with `status` and a JSON body (none when `body` is undefined), as the service does. */
export function sendJson(
  res: ServerResponse,
  record: RecordedRequest,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  record.status = status;
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { "content-type": "application/json; charset=utf-8" } : {}),
    "content-length": Buffer.byteLength(text),
    "x-ms-keyvault-service-version": "1.9.3070.2",
    ...headers,
  });
  res.end(text);
}
