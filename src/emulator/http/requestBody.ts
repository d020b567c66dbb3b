/**
 * Request bodies: read only for authenticated requests to an operation that takes one, at most
 * {@link maxBodyBytes} each, and at most a {@link BodyBudget} across every request in flight. A
 * body the emulator will not read (the request was refused first, or it is too large) is discarded
 * as it arrives, never held, for a bounded number of bytes and time, so that the client reads its
 * answer (a 401, a 413) instead of a connection reset, and a slow or endless body cannot hold the
 * connection for long.
 * @internal
 */
import type { IncomingMessage } from "node:http";
import { EmulatorError } from "../vault/errors.js";

/** Largest accepted request body. @internal */
export const maxBodyBytes = 1024 * 1024;

/** Most bytes of request bodies held at once, across every request. @internal */
export const maxBufferedBodyBytes = 64 * 1024 * 1024;

/** How much of an unread body is discarded, and for how long, before the connection is closed. @internal */
export const discardLimits = { bytes: 4 * maxBodyBytes, ms: 10_000 };

/** The bytes of request bodies held at once. @internal */
export class BodyBudget {
  private used = 0;

  constructor(readonly limit: number = maxBufferedBodyBytes) {}

  /** Bytes held now. */
  get buffered(): number {
    return this.used;
  }

  /** Takes `bytes` from the budget; false (nothing taken) when they do not fit. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  /** Gives `bytes` back. */
  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/** A body read, holding its share of the budget until released. @internal */
export interface ReadBody {
  bytes: Buffer;
  /** Gives the body's bytes back to the budget (once the request is answered). */
  release(): void;
}

/** 413 in the service's shape. @internal */
export function bodyTooLarge(): EmulatorError {
  return new EmulatorError(
    413,
    "RequestEntityTooLarge",
    `The request body is larger than the limit of ${maxBodyBytes} bytes.`,
  );
}

function busy(): EmulatorError {
  return new EmulatorError(
    503,
    "ServiceUnavailable",
    "The emulator holds too many request bodies at once. Retry the request later.",
    undefined,
    { "retry-after": "1" },
  );
}

/** The declared Content-Length, or undefined when the body is chunked (or has no length). */
function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers["content-length"];
  return header === undefined || !/^\d+$/.test(header) ? undefined : Number(header);
}

/**
 * Throws 413 when the declared length is over the limit: checked as soon as the request is
 * authenticated, before any byte of the body is read.
 * @internal
 */
export function checkDeclaredLength(request: IncomingMessage): void {
  if ((declaredLength(request) ?? 0) > maxBodyBytes) throw bodyTooLarge();
}

/**
 * Reads the body of an authenticated request within the limits: 413 past {@link maxBodyBytes}, 503
 * (with Retry-After) when the budget is spent. A declared length is taken from the budget at once.
 * @internal
 */
export function readBody(request: IncomingMessage, budget: BodyBudget): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const declared = declaredLength(request);
    if ((declared ?? 0) > maxBodyBytes) {
      reject(bodyTooLarge());
      return;
    }
    let taken = declared ?? 0;
    if (!budget.take(taken)) {
      reject(busy());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: Error): void => {
      request.off("data", onData).off("end", onEnd).off("error", stop).off("close", onClose);
      budget.give(taken);
      taken = 0;
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        stop(bodyTooLarge());
        return;
      }
      if (size > taken) {
        if (!budget.take(size - taken)) {
          stop(busy());
          return;
        }
        taken = size;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      request.off("data", onData).off("error", stop).off("close", onClose);
      const held = taken;
      let released = false;
      resolve({
        bytes: Buffer.concat(chunks),
        release: () => {
          if (!released) budget.give(held);
          released = true;
        },
      });
    };
    const onClose = (): void => {
      stop(new Error("the client closed the connection before the end of the body"));
    };
    request.on("data", onData).on("end", onEnd).on("error", stop).on("close", onClose);
  });
}

/**
 * Discards the rest of a body that will not be read, without holding it: the connection stays
 * usable once the body has arrived; past {@link discardLimits} it is closed.
 * @internal
 */
export function discardUnreadBody(request: IncomingMessage): void {
  if (request.complete || request.readableEnded || request.destroyed) return;
  let seen = 0;
  const close = (): void => {
    clearTimeout(timer);
    request.socket.destroy();
  };
  const timer = setTimeout(close, discardLimits.ms);
  timer.unref();
  request.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > discardLimits.bytes) close();
  });
  request.on("end", () => clearTimeout(timer));
  request.on("close", () => clearTimeout(timer));
  request.resume();
}
