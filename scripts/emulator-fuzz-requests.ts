/**
 * Random requests for the emulator fuzzer: mostly well-formed HTTP with random methods, paths,
 * api-versions, headers, tokens and bodies (sizes up to past the 1 MiB limit), and some raw bytes
 * that are not valid HTTP at all.
 */
import { supportedApiVersions } from "../src/emulator/http/apiVersions.js";
import { apiBody, randomJson, type FuzzMaterial, Random } from "./emulator-fuzz-values.js";

/** How the request authenticates. */
export type AuthKind = "valid" | "invalid" | "none";

/** A request sent with node:http. */
export interface HttpFuzzRequest {
  kind: "http";
  method: string;
  /** Path and query, encoded. */
  target: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  auth: AuthKind;
}

/** Bytes written to a socket as they are. */
export interface RawFuzzRequest {
  kind: "raw";
  label: string;
  bytes: Buffer;
  /** False when the bytes are an incomplete request the server may rightly wait on. */
  answerExpected: boolean;
  auth: AuthKind;
}

export type FuzzRequest = HttpFuzzRequest | RawFuzzRequest;

/** What the generator needs of the target. */
export interface FuzzContext {
  validToken: string;
  foreignToken: string;
  /** Names of keys that exist (some deleted) and some of their versions. */
  names: readonly string[];
  versions: readonly string[];
  material: FuzzMaterial;
}

const methods = [
  "GET",
  "GET",
  "POST",
  "POST",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "HEAD",
  "OPTIONS",
  "TRACE",
  "PROPFIND",
  "PURGE",
  "SEARCH",
] as const;
const operations = [
  "create",
  "backup",
  "rotate",
  "versions",
  "rotationpolicy",
  "encrypt",
  "decrypt",
  "wrapkey",
  "unwrapkey",
  "sign",
  "verify",
  "release",
  "attestation",
  "recover",
  "restore",
  "Create",
  "SIGN",
] as const;

function segment(random: Random, context: FuzzContext): string {
  const roll = random.float();
  if (roll < 0.35) return encodeURIComponent(random.pick(context.names));
  if (roll < 0.5) return random.pick(context.versions);
  if (roll < 0.7) return random.pick(operations);
  if (roll < 0.8) return random.pick(["keys", "deletedkeys", "rng", "KEYS", "", ".", ".."]);
  if (roll < 0.9)
    return random.pick([
      "%ZZ",
      "%",
      "%00",
      "a%2Fb",
      "%2e%2e",
      "x".repeat(128),
      "a_b",
      "%F0%9F%94%91",
      "0123456789abcdef0123456789ABCDEF",
    ]);
  return encodeURIComponent(random.printable(20));
}

function path(random: Random, context: FuzzContext): { path: string; method: string } {
  const roll = random.float();
  const name = encodeURIComponent(random.pick(context.names));
  if (roll < 0.6) {
    // Shaped like a real route, with a random tail.
    const version = random.pick(context.versions);
    const operation = random.pick(operations);
    const shapes: Array<[string[], readonly string[]]> = [
      [["keys"], ["GET"]],
      [["deletedkeys"], ["GET"]],
      [["rng"], ["POST"]],
      [["keys", "restore"], ["POST"]],
      [
        ["keys", name],
        ["GET", "PUT", "PATCH", "DELETE"],
      ],
      [
        ["keys", name, operation],
        operation === "versions" || operation === "rotationpolicy" ? ["GET", "PUT"] : ["POST"],
      ],
      [
        ["keys", name, version],
        ["GET", "PATCH"],
      ],
      [["keys", name, version, operation], operation === "attestation" ? ["GET"] : ["POST"]],
      [["keys", name, "", operation], ["POST"]],
      [
        ["deletedkeys", name],
        ["GET", "DELETE"],
      ],
      [["deletedkeys", name, "recover"], ["POST"]],
    ];
    const [parts, fitting] = random.pick(shapes);
    return { path: "/" + parts.join("/"), method: random.chance(0.8) ? random.pick(fitting) : random.pick(methods) };
  }
  const parts = Array.from({ length: random.int(0, 5) }, () => segment(random, context));
  return { path: (random.chance(0.1) ? "//" : "/") + parts.join("/"), method: random.pick(methods) };
}

function query(random: Random): string {
  const parts: string[] = [];
  const roll = random.float();
  if (roll < 0.75) parts.push(`api-version=${random.pick(supportedApiVersions)}`);
  else if (roll < 0.85)
    parts.push(`api-version=${encodeURIComponent(random.pick(["", "7.9", "2016-10-01", "latest", "7.6 ", "7"]))}`);
  if (random.chance(0.1)) parts.push(`api-version=${random.pick(supportedApiVersions)}`);
  if (random.chance(0.2))
    parts.push(`maxresults=${encodeURIComponent(String(random.pick([0, 1, 25, 26, -1, 1.5, "x", ""])))}`);
  if (random.chance(0.1)) parts.push(`$skiptoken=${encodeURIComponent(random.printable(30))}`);
  if (random.chance(0.05)) parts.push(encodeURIComponent(random.printable(10)));
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

function bodyKind(target: string): string {
  const lower = target.toLowerCase().split("?")[0] ?? "";
  if (lower.endsWith("/create")) return "create";
  if (lower.endsWith("/restore")) return "restore";
  if (lower.endsWith("/rotationpolicy")) return "policy";
  if (lower.endsWith("/release")) return "release";
  if (/\/(encrypt|decrypt|wrapkey|unwrapkey|sign|verify)$/.test(lower)) return "crypto";
  if (lower.endsWith("/rng")) return "rng";
  return lower.split("/").length === 3 ? "import" : "update";
}

function body(random: Random, target: string, material: FuzzMaterial): Buffer | undefined {
  const roll = random.float();
  if (roll < 0.15) return undefined;
  if (roll < 0.75) return Buffer.from(JSON.stringify(apiBody(random, bodyKind(target), material)));
  if (roll < 0.85) return Buffer.from(JSON.stringify(randomJson(random, 4)));
  if (roll < 0.9) return random.bytes(random.int(1, 200));
  if (roll < 0.93)
    return Buffer.from(random.pick(["{", "[1,", '{"kty":"EC"', "nul", "\ufeff{}", '{"a":1}{"b":2}', "1e999999"]));
  if (roll < 0.95) return Buffer.from("[".repeat(random.int(1000, 200_000)) + "]".repeat(random.chance(0.5) ? 0 : 10));
  if (roll < 0.97)
    return Buffer.from(JSON.stringify({ kty: "EC", tags: { big: "x".repeat(random.int(1000, 900_000)) } }));
  // Over the 1 MiB limit (or just at it).
  return Buffer.alloc(1024 * 1024 + random.pick([-1, 0, 1, 4096, 2 * 1024 * 1024]), 0x20);
}

function authorization(random: Random, context: FuzzContext): { header: string | undefined; auth: AuthKind } {
  const roll = random.float();
  if (roll < 0.7) return { header: `Bearer ${context.validToken}`, auth: "valid" };
  if (roll < 0.8) return { header: undefined, auth: "none" };
  const header = random.pick([
    `Bearer ${context.foreignToken}`,
    "Bearer",
    "Bearer ",
    `Basic ${context.validToken}`,
    `Bearer ${context.validToken}x`,
    `Bearer ${context.validToken.slice(0, -3)}`,
    `bearer ${random.printable(50)}`,
    random.printable(100),
  ]);
  return { header, auth: "invalid" };
}

function httpRequest(random: Random, context: FuzzContext): HttpFuzzRequest {
  const shaped = path(random, context);
  const target = shaped.path + query(random);
  const method = shaped.method;
  const { header, auth } = authorization(random, context);
  const headers: Record<string, string> = {};
  if (header !== undefined) headers["authorization"] = header;
  if (random.chance(0.8))
    headers["content-type"] = random.pick([
      "application/json",
      "application/json; charset=utf-8",
      "text/plain",
      "application/x-www-form-urlencoded",
      random.printable(30),
    ]);
  if (random.chance(0.3)) headers["x-ms-client-request-id"] = random.printable(60);
  if (random.chance(0.2)) headers["accept"] = random.pick(["*/*", "application/xml", random.printable(20)]);
  for (let i = random.chance(0.1) ? random.int(1, 40) : 0; i > 0; i--) headers[`x-fuzz-${i}`] = random.printable(200);
  const data = method === "GET" && random.chance(0.7) ? undefined : body(random, target, context.material);
  return { kind: "http", method, target, headers, body: data, auth };
}

function rawRequest(random: Random, context: FuzzContext): RawFuzzRequest {
  const auth = `authorization: Bearer ${context.validToken}\r\n`;
  const json = '{"kty":"EC"}';
  const templates: Array<[string, string | Buffer, boolean, AuthKind]> = [
    ["garbage request line", "HELLO THERE\r\n\r\n", true, "none"],
    ["unknown method", "FROB /keys?api-version=7.6 HTTP/1.1\r\nhost: x\r\n\r\n", true, "none"],
    ["header without colon", "GET /keys?api-version=7.6 HTTP/1.1\r\nhost: x\r\nbroken header\r\n\r\n", true, "none"],
    ["control characters in path", "GET /keys/\u0001x?api-version=7.6 HTTP/1.1\r\nhost: x\r\n\r\n", true, "none"],
    [
      "headers over 16 KiB",
      `GET /keys?api-version=7.6 HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(20_000)}\r\n\r\n`,
      true,
      "none",
    ],
    [
      "content-length and chunked",
      `POST /keys/raw/create?api-version=7.6 HTTP/1.1\r\nhost: x\r\n${auth}content-length: 12\r\ntransfer-encoding: chunked\r\n\r\nc\r\n${json}\r\n0\r\n\r\n`,
      true,
      "valid",
    ],
    [
      "bad chunk size",
      `POST /keys/raw/create?api-version=7.6 HTTP/1.1\r\nhost: x\r\n${auth}transfer-encoding: chunked\r\n\r\nZZ\r\n${json}\r\n0\r\n\r\n`,
      true,
      "valid",
    ],
    [
      "chunked body",
      `POST /keys/raw-${random.int(0, 3)}/create?api-version=7.6 HTTP/1.1\r\nhost: x\r\n${auth}transfer-encoding: chunked\r\n\r\nc\r\n${json}\r\n0\r\n\r\n`,
      true,
      "valid",
    ],
    [
      "chunked body over 1 MiB",
      Buffer.concat([
        Buffer.from(
          `POST /keys/raw/create?api-version=7.6 HTTP/1.1\r\nhost: x\r\n${auth}transfer-encoding: chunked\r\n\r\n`,
        ),
        ...Array.from({ length: 17 }, () => Buffer.from(`10000\r\n${" ".repeat(0x10000)}\r\n`)),
        Buffer.from("0\r\n\r\n"),
      ]),
      true,
      "valid",
    ],
    [
      "declared 10 GB body",
      `POST /keys/raw/create?api-version=7.6 HTTP/1.1\r\nhost: x\r\n${auth}content-length: 10000000000\r\n\r\n${json}`,
      true,
      "valid",
    ],
    [
      "negative content-length",
      `POST /keys/raw/create?api-version=7.6 HTTP/1.1\r\nhost: x\r\ncontent-length: -5\r\n\r\n`,
      true,
      "none",
    ],
    ["HTTP/1.0 without host", "GET /keys?api-version=7.6 HTTP/1.0\r\n\r\n", true, "none"],
    [
      "absolute-form target",
      `GET http://elsewhere/keys?api-version=7.6 HTTP/1.1\r\nhost: x\r\n${auth}\r\n`,
      true,
      "valid",
    ],
    [
      "expect 100-continue",
      `POST /keys/raw/create?api-version=7.6 HTTP/1.1\r\nhost: x\r\n${auth}expect: 100-continue\r\ncontent-length: 12\r\n\r\n${json}`,
      true,
      "valid",
    ],
    [
      "body shorter than declared",
      `POST /keys/raw/create?api-version=7.6 HTTP/1.1\r\nhost: x\r\n${auth}content-length: 500\r\n\r\n${json}`,
      false,
      "valid",
    ],
    ["random bytes", random.bytes(random.int(1, 300)), false, "none"],
  ];
  const [label, bytes, answerExpected, authKind] = random.pick(templates);
  return {
    kind: "raw",
    label,
    bytes: typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes,
    answerExpected,
    auth: authKind,
  };
}

/** The next fuzz request. */
export function nextRequest(random: Random, context: FuzzContext): FuzzRequest {
  return random.chance(0.05) ? rawRequest(random, context) : httpRequest(random, context);
}
