/**
 * Request bodies: a request without a valid token gets its 401 before its body is read, and the body
 * is never held (300 slow unauthenticated 1 MiB uploads hold no memory of the emulator); a body over
 * 1 MiB gets 413 in the service's shape that the client reads, never a reset, declared or chunked,
 * and through KeyClient without a retry; the bytes held across requests are capped (503 with
 * Retry-After past the cap, back to normal once bodies are done).
 */
import * as http from "node:http";
import * as net from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyClient } from "../../src/index.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { internalsOf } from "../../src/emulator/internals.js";
import { maxBodyBytes, maxBufferedBodyBytes } from "../../src/emulator/http/requestBody.js";
import { EmulatorTestClient } from "../helpers/emulatorTestClient.js";

let emulator: RunningEmulator;
let client: EmulatorTestClient;
let port: number;

beforeAll(async () => {
  emulator = await startEmulator({ https: false });
  client = new EmulatorTestClient(emulator);
  port = Number(new URL(emulator.url).port);
});
afterAll(async () => {
  await emulator.close();
});

const buffered = (): number => internalsOf(emulator).bodies.buffered;

/** Polls `condition` until it holds (the test's timeout bounds the wait). */
async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** A raw connection that sends `head` (request line and headers) and `body`, and collects what comes back. */
function connection(head: string, body: Buffer): { socket: net.Socket; received: () => string; closed: Promise<void> } {
  const socket = net.connect(port, "127.0.0.1");
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  socket.on("error", () => undefined);
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  socket.write(head);
  socket.write(body);
  return { socket, received: () => text, closed };
}

const head = (method: string, target: string, headers: Record<string, string>): string =>
  `${method} ${target} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n` +
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("") +
  "\r\n";

/** The status and JSON body of the first answer in `text`, once it is all there. */
function firstAnswer(text: string): { status: number; body: unknown } | undefined {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const length = Number(/content-length: (\d+)/i.exec(text.slice(0, end))?.[1] ?? NaN);
  const body = text.slice(end + 4, end + 4 + length);
  if (body.length < length) return undefined;
  return { status: Number(text.slice(9, 12)), body: JSON.parse(body) as unknown };
}

describe("authentication before the body", () => {
  it("answers 300 slow unauthenticated 1 MiB uploads with 401 before their bodies end, holding none of them", async () => {
    collectGarbage();
    const before = process.memoryUsage();
    const quarter = Buffer.alloc(256 * 1024, 0x20); // a quarter of the body, then nothing: the client is slow
    const uploads = Array.from({ length: 300 }, () =>
      connection(
        head("POST", "/keys/slow/create?api-version=7.6", {
          "content-type": "application/json",
          "content-length": String(maxBodyBytes),
        }),
        quarter,
      ),
    );
    try {
      await eventually(() => uploads.every((upload) => firstAnswer(upload.received()) !== undefined));
      for (const upload of uploads) {
        const answer = firstAnswer(upload.received());
        expect(answer?.status).toBe(401);
        expect(answer?.body).toMatchObject({ error: { code: "Unauthorized" } });
        expect(upload.received()).toMatch(/www-authenticate: Bearer authorization=/i);
      }
      expect(buffered()).toBe(0);
      // 300 x 256 KiB = 75 MiB were sent; none of it is held (the old emulator held every byte). What was
      // read and thrown away is garbage until a collection: measure what a full collection leaves.
      collectGarbage();
      const grown = process.memoryUsage().arrayBuffers - before.arrayBuffers;
      expect(grown).toBeLessThan(32 * 1024 * 1024);
    } finally {
      for (const upload of uploads) upload.socket.destroy();
    }
  });

  it("keeps the connection usable once the refused body has arrived", async () => {
    const body = Buffer.from(JSON.stringify({ kty: "EC" }));
    const first = head("POST", "/keys/reuse/create?api-version=7.6", {
      "content-type": "application/json",
      "content-length": String(body.length),
    });
    const second = head("GET", "/keys?api-version=7.6", { authorization: `Bearer ${client.token}` });
    const upload = connection(first, body);
    try {
      await eventually(() => firstAnswer(upload.received()) !== undefined);
      upload.socket.write(second);
      await eventually(() => (upload.received().match(/HTTP\/1\.1 /g) ?? []).length === 2);
      expect(upload.received()).toMatch(/^HTTP\/1\.1 401 [\s\S]*HTTP\/1\.1 200 /);
    } finally {
      upload.socket.destroy();
    }
  });
});

/** Sends `size` bytes of body in 64 KiB writes; resolves with the answer and any error the request saw. */
function upload(
  size: number,
  headers: Record<string, string>,
): Promise<{ status: number; body: { error?: { code?: string } }; errors: string[] }> {
  return new Promise((resolve, reject) => {
    const errors: string[] = [];
    const request = http.request(
      { host: "127.0.0.1", port, method: "POST", path: "/keys/big/create?api-version=7.6", headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          // Give a reset a moment to show on the request before resolving.
          setTimeout(() => {
            resolve({
              status: response.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as { error?: { code?: string } },
              errors,
            });
          }, 50);
        });
      },
    );
    request.on("error", (error: NodeJS.ErrnoException) => {
      errors.push(error.code ?? error.message);
      if (errors.length === 1 && !request.writableFinished) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const writeMore = (): void => {
      while (sent < size) {
        sent += chunk.length;
        if (!request.write(chunk)) {
          request.once("drain", writeMore);
          return;
        }
      }
      request.end();
    };
    writeMore();
  });
}

describe("413 for bodies over 1 MiB", () => {
  const authorization = (): string => `Bearer ${client.token}`;

  it("answers a declared 4 MiB body with 413 in the service's shape, read by the client, not a reset", async () => {
    const answer = await upload(4 * 1024 * 1024, {
      authorization: authorization(),
      "content-type": "application/json",
      "content-length": String(4 * 1024 * 1024),
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({
      error: {
        code: "RequestEntityTooLarge",
        message: `The request body is larger than the limit of ${maxBodyBytes} bytes.`,
      },
    });
    expect(answer.errors).toEqual([]);
  });

  it("answers a chunked body with 413 once it passes 1 MiB", async () => {
    const answer = await upload(2 * 1024 * 1024, {
      authorization: authorization(),
      "content-type": "application/json",
      "transfer-encoding": "chunked",
    });
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe("RequestEntityTooLarge");
    expect(answer.errors).toEqual([]);
    expect(buffered()).toBe(0);
  });

  it("gives KeyClient a 413 RestError at the first try (no connection reset to retry)", async () => {
    let attempts = 0;
    const keyClient = new KeyClient(emulator.url, emulator.credential, {
      disableChallengeResourceVerification: true,
      allowInsecureConnection: true,
      additionalPolicies: [
        {
          position: "perRetry",
          policy: {
            name: "countAttempts",
            sendRequest: (request, next) => {
              if (request.body) attempts++;
              return next(request);
            },
          },
        },
      ],
    });
    const tags = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`t${i}`, "x".repeat(128 * 1024)]));
    await expect(keyClient.createEcKey("too-big", { tags })).rejects.toMatchObject({
      statusCode: 413,
      code: "RequestEntityTooLarge",
    });
    expect(attempts).toBe(1);
  });
});

describe("the cap on bytes held across requests", () => {
  it("answers 503 with Retry-After once the cap is taken, and serves again once bodies are done", async () => {
    const holders = maxBufferedBodyBytes / maxBodyBytes;
    const slow = Array.from({ length: holders }, () =>
      connection(
        head("POST", "/keys/held/create?api-version=7.6", {
          authorization: `Bearer ${client.token}`,
          "content-type": "application/json",
          "content-length": String(maxBodyBytes),
        }),
        Buffer.from("{"),
      ),
    );
    try {
      await eventually(() => buffered() === maxBufferedBodyBytes);
      const refused = await client.post("/keys/one-more/create", { kty: "EC" });
      expect(refused.status).toBe(503);
      expect(refused.headers["retry-after"]).toBe("1");
      expect(refused.body).toEqual({ error: { code: "ServiceUnavailable", message: expect.any(String) } });
      expect((await client.get("/keys/one-more")).status).toBe(404); // bodiless requests still pass
    } finally {
      for (const connection of slow) connection.socket.destroy();
    }
    await eventually(() => buffered() === 0);
    expect((await client.post("/keys/one-more/create", { kty: "EC" })).status).toBe(200);
  });
});

/** A full garbage collection, in a test process started without --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}
