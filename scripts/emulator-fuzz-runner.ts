/**
 * The emulator fuzzer: starts an in-process emulator (plain HTTP, in memory), seeds a few keys, then
 * sends seeded random requests one at a time and checks each answer: never a 5xx or a crash; every
 * 4xx in the service's error shape `{"error":{"code","message"}}`; a 2xx only with a valid token; a
 * request without a valid token answered 401 (its body is never read, whatever its size); an
 * oversize body answered 413, never a connection reset; and the store unchanged by every rejected
 * request.
 */
import { type KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import * as http from "node:http";
import * as net from "node:net";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.js";
import { internalsOf, storeFingerprint } from "../src/emulator/internals.js";
import type { StoredKey } from "../src/emulator/store/keyStore.js";
import {
  nextRequest,
  type FuzzContext,
  type FuzzRequest,
  type HttpFuzzRequest,
  type RawFuzzRequest,
} from "./emulator-fuzz-requests.js";
import { Random, type Json } from "./emulator-fuzz-values.js";

/** One answer, or how the connection ended without one. */
type Answer =
  { status: number; headers: Record<string, string | string[] | undefined>; text: string } | { error: string };

/** Settings of a fuzz run. */
export interface FuzzOptions {
  seed: number;
  requests: number;
  /** Called every 1,000 requests. */
  onProgress?: (done: number, report: FuzzReport) => void;
}

/** What a run saw. */
export interface FuzzReport {
  seed: number;
  requests: number;
  raw: number;
  oversize: number;
  accepted: number;
  rejected: number;
  noAnswer: number;
  byStatus: Record<string, number>;
  /** Descriptions of failed checks (empty when all passed). */
  failures: string[];
}

function sendHttp(agent: http.Agent, base: URL, request: HttpFuzzRequest): Promise<Answer> {
  return new Promise((resolve) => {
    const headers = { ...request.headers, ...(request.body ? { "content-length": String(request.body.length) } : {}) };
    let settled = false;
    const done = (answer: Answer): void => {
      if (!settled) resolve(answer);
      settled = true;
    };
    const outgoing = http.request(
      { agent, host: base.hostname, port: base.port, method: request.method, path: request.target, headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          done({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        response.on("error", (error) => done({ error: `response: ${error.message}` }));
      },
    );
    outgoing.on("error", (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
    outgoing.end(request.body);
  });
}

function parseRaw(bytes: Buffer): Answer | undefined {
  let text = bytes.toString("latin1");
  for (;;) {
    const end = text.indexOf("\r\n\r\n");
    if (end < 0) return undefined;
    const [statusLine = "", ...lines] = text.slice(0, end).split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
    if (status >= 100 && status < 200) {
      text = text.slice(end + 4);
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of lines)
      headers[line.slice(0, line.indexOf(":")).toLowerCase()] = line.slice(line.indexOf(":") + 1).trim();
    const length = Number(headers["content-length"] ?? 0);
    const body = text.slice(end + 4);
    if (Buffer.byteLength(body, "latin1") < length) return undefined;
    return {
      status: Number.isNaN(status) ? 0 : status,
      headers,
      text: Buffer.from(body.slice(0, length), "latin1").toString("utf8"),
    };
  }
}

function sendRaw(base: URL, request: RawFuzzRequest): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(base.port), base.hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (answer: Answer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(
      () => finish(parseRaw(Buffer.concat(chunks)) ?? { error: "no answer (timeout)" }),
      request.answerExpected ? 10_000 : 300,
    );
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      const answer = parseRaw(Buffer.concat(chunks));
      if (answer) finish(answer);
    });
    socket.on("error", () => finish(parseRaw(Buffer.concat(chunks)) ?? { error: "connection error" }));
    socket.on("close", () => finish(parseRaw(Buffer.concat(chunks)) ?? { error: "closed without an answer" }));
    socket.write(request.bytes);
  });
}

/** The check of one answer; undefined when it passes. */
function check(request: FuzzRequest, answer: Answer, method: string): string | undefined {
  if ("error" in answer) {
    if (request.kind === "raw" && !request.answerExpected) return undefined;
    return `no answer: ${answer.error}`;
  }
  const { status, headers, text } = answer;
  if (!(status >= 200 && status < 500)) return `status ${status}: ${text.slice(0, 300)}`;
  if (status < 300) {
    if (request.auth !== "valid") return `status ${status} without a valid token`;
    if (text) JSON.parse(text);
    return undefined;
  }
  if (request.auth !== "valid" && status !== 401 && request.kind === "http")
    return `status ${status} without a valid token (expected 401)`;
  if (
    request.kind === "http" &&
    request.auth === "valid" &&
    (request.body?.length ?? 0) > 1024 * 1024 &&
    status !== 413
  )
    return `status ${status} for a body over 1 MiB (expected 413)`;
  if (status === 401 && !String(headers["www-authenticate"] ?? "").startsWith("Bearer authorization="))
    return "401 without the challenge";
  if (method === "HEAD") return undefined; // no body on HEAD answers
  if (!String(headers["content-type"] ?? "").startsWith("application/json"))
    return `status ${status} with content-type ${String(headers["content-type"])}`;
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; innererror?: { code?: unknown } } };
  const keys = Object.keys(body).join(",");
  const errorKeys = Object.keys(body.error ?? {}).filter((key) => !["code", "message", "innererror"].includes(key));
  if (
    keys !== "error" ||
    typeof body.error?.code !== "string" ||
    typeof body.error.message !== "string" ||
    errorKeys.length > 0
  )
    return `status ${status} not in the error shape: ${text.slice(0, 300)}`;
  if (body.error.innererror !== undefined && typeof body.error.innererror.code !== "string")
    return `bad innererror: ${text.slice(0, 300)}`;
  return undefined;
}

function describe(request: FuzzRequest): string {
  if (request.kind === "raw") return `raw ${request.label}`;
  const body = request.body ? ` body(${request.body.length}) ${request.body.subarray(0, 120).toString("utf8")}` : "";
  return `${request.method} ${request.target.slice(0, 200)} auth=${request.auth}${body}`;
}

async function seed(
  emulator: RunningEmulator,
  send: (method: string, target: string, body?: Json) => Promise<Json>,
): Promise<FuzzContext> {
  const versions: string[] = [];
  const versionOf = (bundle: Json): string =>
    String(((bundle as { key?: { kid?: string } }).key?.kid ?? "").split("/").pop());
  const seeds: Array<[string, Json]> = [
    ["fz-rsa", { kty: "RSA", key_size: 2048 }],
    [
      "fz-rsa",
      { kty: "RSA-HSM", key_size: 2048, key_ops: ["sign", "verify", "encrypt", "decrypt", "wrapKey", "unwrapKey"] },
    ],
    ["fz-ec", { kty: "EC", crv: "P-256" }],
    ["fz-hsm", { kty: "EC-HSM", crv: "P-384" }],
    [
      "fz-oct",
      {
        kty: "oct-HSM",
        key_size: 256,
        attributes: { exportable: true },
        release_policy: {
          contentType: "application/json; charset=utf-8",
          data: Buffer.from('{"anyOf":[]}').toString("base64url"),
        },
      },
    ],
    ["fz-deleted", { kty: "EC" }],
  ];
  for (const [name, body] of seeds) {
    versions.push(versionOf(await send("POST", `/keys/${name}/create?api-version=7.6`, body)));
  }
  await send("DELETE", "/keys/fz-deleted?api-version=7.6");
  const backup = String(((await send("POST", "/keys/fz-ec/backup?api-version=7.6")) as { value?: string }).value);
  const jwk = (key: { export(options: { format: "jwk" }): object }): { [key: string]: Json } =>
    key.export({ format: "jwk" }) as { [key: string]: Json };
  const other = await startEmulator({ https: false });
  const foreignToken = other.createToken();
  await other.close();
  return {
    validToken: emulator.createToken(24 * 3600),
    foreignToken,
    names: [
      "fz-rsa",
      "FZ-RSA",
      "fz-ec",
      "fz-hsm",
      "fz-oct",
      "fz-deleted",
      "fz-new",
      "fz-new-2",
      "bad_name",
      "x".repeat(128),
    ],
    versions: [
      ...versions,
      ...versions.map((v) => v.toUpperCase()),
      randomBytes(16).toString("hex"),
      "",
      "nothex",
      "0".repeat(31),
    ],
    material: {
      jwks: [
        { kty: "oct", k: randomBytes(32).toString("base64url") },
        { kty: "oct-HSM", k: randomBytes(16).toString("base64url"), key_ops: ["encrypt", "decrypt"] },
        jwk(privateKeyOf("ec", { namedCurve: "P-256" })),
        jwk(privateKeyOf("rsa", { modulusLength: 2048 })),
        { ...jwk(createPublicKey(privateKeyOf("ec", { namedCurve: "P-384" }))), kty: "EC" },
      ],
      backup,
    },
  };
}

/** Runs the fuzzer. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const emulator = await startEmulator({ https: false });
  const base = new URL(emulator.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const report: FuzzReport = {
    seed: options.seed,
    requests: 0,
    raw: 0,
    oversize: 0,
    accepted: 0,
    rejected: 0,
    noAnswer: 0,
    byStatus: {},
    failures: [],
  };
  try {
    const token = emulator.createToken();
    const send = async (method: string, target: string, body?: Json): Promise<Json> => {
      const answer = await sendHttp(agent, base, {
        kind: "http",
        method,
        target,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
        auth: "valid",
      });
      if ("error" in answer || answer.status !== 200)
        throw new Error(`seeding ${method} ${target} failed: ${JSON.stringify(answer)}`);
      return JSON.parse(answer.text) as Json;
    };
    const context = await seed(emulator, send);
    const { store } = internalsOf(emulator);
    const baseline: StoredKey[] = structuredClone(store.snapshot().keys);
    const random = new Random(options.seed);
    for (let index = 1; index <= options.requests; index++) {
      if (index % 500 === 0) {
        // Keep the store small (valid random requests add versions): back to the seeded keys.
        for (const key of store.snapshot().keys) await store.commit({ op: "remove", name: key.name });
        for (const key of structuredClone(baseline)) await store.commit({ op: "put", key });
      }
      const request = nextRequest(random, context);
      const before = storeFingerprint(emulator);
      const answer = request.kind === "raw" ? await sendRaw(base, request) : await sendHttp(agent, base, request);
      const method = request.kind === "raw" ? "" : request.method;
      report.requests++;
      if (request.kind === "raw") report.raw++;
      if (request.kind === "http" && (request.body?.length ?? 0) > 1024 * 1024) report.oversize++;
      const status = "error" in answer ? "none" : String(answer.status);
      report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
      if ("error" in answer) {
        report.noAnswer++;
        if (process.env["FUZZ_DEBUG"])
          process.stderr.write(`no answer: ${describe(request).slice(0, 200)} -> ${answer.error}\n`);
      } else if (answer.status < 300) report.accepted++;
      else report.rejected++;
      let failure: string | undefined;
      try {
        failure = check(request, answer, method);
      } catch (error) {
        failure = `unparsable answer: ${(error as Error).message}`;
      }
      const rejected = "error" in answer || answer.status >= 300;
      if (!failure && rejected && storeFingerprint(emulator) !== before)
        failure = "the store changed although the request was rejected";
      if (failure) report.failures.push(`#${index} ${describe(request)} -> ${failure}`);
      if (index % 1000 === 0) options.onProgress?.(index, report);
    }
    // Still alive and answering.
    await send("GET", "/keys?api-version=7.6");
    return report;
  } finally {
    agent.destroy();
    await emulator.close();
  }
}

/**
 * A private key made by generateKeyPairSync and re-made from DER: Node 20 can deadlock when a garbage
 * collection destroys the finished key-generation job while its key is being exported as a JWK.
 */
function privateKeyOf(type: "rsa" | "ec", options: { modulusLength?: number; namedCurve?: string }): KeyObject {
  const der = generateKeyPairSync(type as "rsa", {
    ...(options as { modulusLength: number }),
    privateKeyEncoding: { type: "pkcs8", format: "der" },
    publicKeyEncoding: { type: "spki", format: "der" },
  }).privateKey;
  return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
}
