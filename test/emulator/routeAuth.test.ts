/**
 * The route table is the REST spec's operations and their other spellings (checked against the spec
 * in ../shared, skipped when it is absent), and every route of it is closed without a good token: no
 * token, a malformed one, one signed with another secret, an expired or not-yet-valid one, or one for
 * another audience or issuer all get 401 with the challenge. Faults are on (every authenticated
 * request throttled) to show the challenge is never faulted and that a good token is what gets a
 * request past the check.
 */
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import * as cryptoRoutes from "../../src/emulator/http/routes/cryptoRoutes.js";
import * as deletedRoutes from "../../src/emulator/http/routes/deletedKeyRoutes.js";
import * as keyRoutes from "../../src/emulator/http/routes/keyRoutes.js";
import { routes } from "../../src/emulator/http/routeTable.js";
import { EmulatorTestClient } from "../helpers/emulatorTestClient.js";

const challenge =
  'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"';
const version = "0123456789abcdef0123456789abcdef";
const specPath = path.resolve(
  fileURLToPath(new URL(".", import.meta.url)),
  "../../../shared/conformance/spec/2025-07-01/keys.json",
);
const specPresent = existsSync(specPath);
if (!specPresent) console.warn(`[route table] the spec check skipped: ${specPath} is absent.`);
const folder = mkdtempSync(path.join(os.tmpdir(), "kv-emulator-auth-"));
let emulator: RunningEmulator;
let other: RunningEmulator;
let client: EmulatorTestClient;
let secrets: { authSecret: string; emulatorId: string };

beforeAll(async () => {
  emulator = await startEmulator({
    https: false,
    dataDir: folder,
    faults: { throttleRate: 1, throttleRetryAfterSeconds: 0 },
  });
  other = await startEmulator({ https: false });
  client = new EmulatorTestClient(emulator);
  secrets = JSON.parse(readFileSync(path.join(folder, "secrets.json"), "utf8")) as {
    authSecret: string;
    emulatorId: string;
  };
});
afterAll(async () => {
  await Promise.all([emulator.close(), other.close()]);
  rmSync(folder, { recursive: true, force: true });
});

function forge(
  claims: Record<string, unknown>,
  secret: Buffer = Buffer.from(secrets.authSecret, "base64url"),
  alg = "HS256",
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    aud: "https://vault.azure.net",
    iss: `https://keyvault-emulator.local/${secrets.emulatorId}/`,
    iat: now,
    nbf: now - 300,
    exp: now + 3600,
    ...claims,
  };
  const header = Buffer.from(JSON.stringify({ alg, typ: "JWT" })).toString("base64url");
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  const signature = alg === "none" ? "" : createHmac("sha256", secret).update(`${header}.${body}`).digest("base64url");
  return `${header}.${body}.${signature}`;
}

function concrete(pattern: string): string {
  return pattern.replace("{name}", "route-key").replace("{version}", version);
}

function badAuthorizations(): Array<[string, string | undefined]> {
  const now = Math.floor(Date.now() / 1000);
  return [
    ["no token", undefined],
    ["empty bearer", "Bearer "],
    ["basic scheme", "Basic dXNlcjpwYXNz"],
    ["not a JWT", "Bearer not-a-jwt"],
    ["three garbage parts", "Bearer a.b.c"],
    ["alg none, no signature", `Bearer ${forge({}, undefined, "none")}`],
    ["another secret", `Bearer ${forge({}, randomBytes(32))}`],
    ["another emulator instance", `Bearer ${other.createToken()}`],
    ["expired", `Bearer ${forge({ iat: now - 7200, nbf: now - 7200, exp: now - 60 })}`],
    ["no exp", `Bearer ${forge({ exp: undefined })}`],
    ["not yet valid", `Bearer ${forge({ nbf: now + 3600 })}`],
    ["wrong audience", `Bearer ${forge({ aud: "https://storage.azure.com" })}`],
    ["wrong issuer", `Bearer ${forge({ iss: "https://keyvault-emulator.local/someone-else/" })}`],
    [
      "tampered payload",
      `Bearer ${forge({}).replace(/\.([^.]+)\./, (_m, body: string) => `.${body.slice(0, -2)}AA.`)}`,
    ],
  ];
}

describe("route table", () => {
  it.skipIf(!specPresent)(
    "serves every operation of the REST spec, and beyond it only the same operations spelled without {version} or with a trailing slash",
    () => {
      const spec = JSON.parse(readFileSync(specPath, "utf8")) as { paths: Record<string, Record<string, unknown>> };
      const specRoutes: string[] = [];
      for (const [specPathPattern, operations] of Object.entries(spec.paths)) {
        const pattern = specPathPattern.replace("{key-name}", "{name}").replace("{key-version}", "{version}");
        for (const method of Object.keys(operations)) {
          if (method !== "parameters") specRoutes.push(`${method.toUpperCase()} ${pattern}`);
        }
      }
      const handlers = new Map(routes.map((route) => [`${route.method} ${route.path}`, route.handler]));
      expect(specRoutes.filter((route) => !handlers.has(route))).toEqual([]);
      const beyond = [...handlers.keys()].filter((route) => !specRoutes.includes(route));
      expect(beyond.length).toBeGreaterThan(0);
      for (const route of beyond) {
        const spellings = [route.replace(/\/$/, ""), route.replace(/^(\S+ \/keys\/\{name\})/, "$1/{version}")];
        const same = spellings.find((spelling) => spelling !== route && specRoutes.includes(spelling));
        expect(same, route).toBeDefined();
        expect(handlers.get(same ?? ""), route).toBe(handlers.get(route));
      }
    },
  );

  it("lists every handler of the route modules", () => {
    const listed = new Set<unknown>(routes.map((route) => route.handler));
    const all = [...Object.values(keyRoutes), ...Object.values(deletedRoutes), ...Object.values(cryptoRoutes)].filter(
      (value) => typeof value === "function",
    );
    expect(all.filter((handler) => !listed.has(handler))).toEqual([]);
  });
});

describe("no route without a good token", () => {
  it("answers 401 with the challenge for every route and every bad token, and a good token passes the check", async () => {
    let checked = 0;
    for (const { method, path: pattern } of routes) {
      const url = `${concrete(pattern)}?api-version=7.6`;
      const body = method === "GET" || method === "DELETE" ? undefined : { kty: "EC" };
      for (const [label, authorization] of badAuthorizations()) {
        const response = await client.request(method, url, body, {
          token: null,
          headers: authorization === undefined ? {} : { authorization },
        });
        expect(response.status, `${method} ${pattern} with ${label}`).toBe(401);
        expect(response.headers["www-authenticate"]).toBe(challenge);
        expect(response.body.error.code).toBe("Unauthorized");
        expect(response.body.error.message).toMatch(/^AKV100\d\d: /);
        checked++;
      }
      const good = await client.request(method, url, body, { token: forge({}) });
      expect(good.status, `${method} ${pattern} with a good token`).toBe(429);
    }
    expect(checked).toBe(routes.length * badAuthorizations().length);
    expect(emulator.faultCounts().requests).toBe(routes.length);
  });

  it("also challenges unknown paths and methods, HEAD and OPTIONS", async () => {
    for (const [method, url] of [
      ["GET", "/"],
      ["GET", "/secrets/x"],
      ["TRACE", "/keys"],
      ["OPTIONS", "/keys"],
      ["PATCH", "/deletedkeys"],
      ["GET", "/keys/a/b/c/d/e"],
    ] as const) {
      const response = await client.request(method, `${url}?api-version=7.6`, undefined, { token: null });
      expect(response.status, `${method} ${url}`).toBe(401);
      expect(response.headers["www-authenticate"]).toBe(challenge);
    }
    const head = await client.request("HEAD", "/keys?api-version=7.6", undefined, { token: null });
    expect(head.status).toBe(401);
    expect(head.headers["www-authenticate"]).toBe(challenge);
  });
});
