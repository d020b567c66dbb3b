/**
 * Answers requests node:http cannot parse (bad request line, bad header, headers over the size limit)
 * in the service's error shape instead of node's bare status line, then closes the connection.
 * @internal
 */
import type { Duplex } from "node:stream";
import { serviceVersion } from "./router.js";

function statusOf(code: string | undefined): { status: number; reason: string; errorCode: string } {
  if (code === "HPE_HEADER_OVERFLOW")
    return { status: 431, reason: "Request Header Fields Too Large", errorCode: "RequestHeaderFieldsTooLarge" };
  if (code === "ERR_HTTP_REQUEST_TIMEOUT")
    return { status: 408, reason: "Request Timeout", errorCode: "RequestTimeout" };
  if (code === "HPE_CHUNK_EXTENSIONS_OVERFLOW")
    return { status: 413, reason: "Payload Too Large", errorCode: "RequestEntityTooLarge" };
  return { status: 400, reason: "Bad Request", errorCode: "BadRequest" };
}

/** The server's `clientError` listener. @internal */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, reason, errorCode } = statusOf(error.code);
  const body = JSON.stringify({
    error: { code: errorCode, message: `The HTTP request could not be parsed (${error.code ?? "unknown error"}).` },
  });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      "connection: close\r\n" +
      "cache-control: no-cache\r\n" +
      `x-ms-keyvault-service-version: ${serviceVersion}\r\n` +
      "content-type: application/json; charset=utf-8\r\n" +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body,
  );
}
