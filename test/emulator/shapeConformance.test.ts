/**
 * Shape conformance: for each 2xx answer the real service gave in ../shared/conformance/recordings,
 * the emulator's answer to the same operation (same api-version, same kind of key) has the same fields
 * with the same JSON types, recursively. Values are not compared.
 */
import * as crypto from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { EmulatorTestClient } from "../helpers/emulatorTestClient.js";
import { generateTestKeyPair } from "../helpers/cryptographyKeys.js";

const recordingsDir = path.resolve(__dirname, "../../../shared/conformance/recordings");
const available = existsSync(recordingsDir);

interface Entry {
  method: string;
  url: string;
  status: number;
  requestBody: unknown;
  responseBody: unknown;
  operation: string;
}

type Json = any;

/** Members the service sends only when the key has them (or only in some answers). */
const optionalMembers = new Set([
  "tags",
  "nbf",
  "exp",
  "release_policy",
  "managed",
  "iv",
  "tag",
  "aad",
  "alg",
  "expiryTime",
  "attestation",
]);

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function shapeDiffs(recorded: unknown, actual: unknown, where: string, out: string[]): void {
  const recordedType = jsonType(recorded);
  const actualType = jsonType(actual);
  const nullableLink =
    where.endsWith(".nextLink") && [recordedType, actualType].every((t) => t === "string" || t === "null");
  if (recordedType !== actualType && !nullableLink) {
    out.push(`${where}: recorded ${recordedType}, emulator ${actualType}`);
    return;
  }
  if (recordedType === "array") {
    // Certificate-backed (managed) keys are not something the emulator makes; compare with another item.
    const items = recorded as unknown[];
    const first = items.find((item) => !(typeof item === "object" && item !== null && "managed" in item)) ?? items[0];
    const [actualFirst] = actual as unknown[];
    if (first !== undefined && actualFirst !== undefined) shapeDiffs(first, actualFirst, `${where}[0]`, out);
    return;
  }
  if (recordedType !== "object" || where.endsWith(".tags")) return; // tag names are user data
  const r = recorded as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  for (const member of new Set([...Object.keys(r), ...Object.keys(a)])) {
    if (!(member in a) || !(member in r)) {
      if (!optionalMembers.has(member))
        out.push(`${where}.${member}: ${member in r ? "missing in emulator answer" : "not in recorded answer"}`);
      continue;
    }
    shapeDiffs(r[member], a[member], `${where}.${member}`, out);
  }
}

function keyNameOf(url: string): string | undefined {
  return /\/(?:keys|deletedkeys)\/([^/?]+)/.exec(url)?.[1];
}

/** The create request that makes a key like a recorded key bundle. */
function createBodyLike(bundle: Json): Record<string, unknown> {
  const key = bundle.key ?? {};
  const body: Record<string, unknown> = { kty: key.kty };
  if (key.crv && String(key.kty).startsWith("EC")) body.crv = key.crv;
  const attributes: Record<string, unknown> = {};
  const now = Math.floor(Date.now() / 1000);
  if (bundle.attributes?.nbf !== undefined) attributes.nbf = now - 60;
  if (bundle.attributes?.exp !== undefined) attributes.exp = now + 86400 * 365;
  if (bundle.release_policy) {
    attributes.exportable = true;
    body.release_policy = { contentType: bundle.release_policy.contentType, data: bundle.release_policy.data };
  }
  if (Object.keys(attributes).length > 0) body.attributes = attributes;
  if (bundle.tags) body.tags = { recorded: "tag" };
  return body;
}

function jwkLike(kty: string, crv: string | undefined): Record<string, unknown> {
  if (kty.startsWith("RSA"))
    return generateTestKeyPair("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  if (kty.startsWith("EC")) {
    const jwk = generateTestKeyPair("ec", {
      namedCurve: crv === "P-256K" ? "secp256k1" : (crv ?? "P-256"),
    }).privateKey.export({ format: "jwk" });
    return { ...jwk, crv: crv ?? "P-256" };
  }
  return { kty: "oct", k: crypto.randomBytes(32).toString("base64url") };
}

function defaultAlgorithm(operation: string, bundle: Json): string {
  const kty = String(bundle.key?.kty ?? "");
  if (kty.startsWith("RSA")) return operation === "Sign" || operation === "Verify" ? "RS256" : "RSA-OAEP";
  const crv = bundle.key?.crv;
  return { "P-256": "ES256", "P-256K": "ES256K", "P-384": "ES384", "P-521": "ES512" }[crv as string] ?? "ES256";
}

let counter = 0;

/** A compact signature of a body's shape (member names and types), to compare each distinct shape once. */
function shapeSignature(value: unknown, where = ""): string {
  const type = jsonType(value);
  if (type === "array")
    return `[${(value as unknown[]).length > 0 ? shapeSignature((value as unknown[])[0], where) : ""}]`;
  if (type !== "object" || where.endsWith(".tags")) return type;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .map((member) => `${member}:${shapeSignature(record[member], `${where}.${member}`)}`)
    .join(",")}}`;
}

async function emulatorAnswer(
  client: EmulatorTestClient,
  entry: Entry,
  bundle: Json,
): Promise<{ status: number; body: unknown } | undefined> {
  const name = `shape-${++counter}`;
  const create = async (): Promise<Json> => (await client.createKey(name, createBodyLike(bundle))).body;
  const send = async (method: string, p: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const response = await client.request(method, p, body);
    return { status: response.status, body: response.body };
  };
  const request = (entry.requestBody ?? {}) as Json;
  switch (entry.operation) {
    case "CreateKey":
      return { status: 200, body: await create() };
    case "ImportKey": {
      const key = jwkLike(String(bundle.key.kty), bundle.key.crv);
      return send("PUT", `/keys/${name}`, {
        key,
        hsm: String(bundle.key.kty).endsWith("-HSM"),
        ...(bundle.tags ? { tags: { a: "b" } } : {}),
      });
    }
    case "GetKey":
      await create();
      return send("GET", `/keys/${name}`);
    case "UpdateKey":
      await create();
      return send("PATCH", `/keys/${name}/`, {});
    case "RotateKey":
      await create();
      return send("POST", `/keys/${name}/rotate`);
    case "DeleteKey":
      await create();
      return send("DELETE", `/keys/${name}`);
    case "GetDeletedKey":
      await create();
      await send("DELETE", `/keys/${name}`);
      return send("GET", `/deletedkeys/${name}`);
    case "RecoverDeletedKey":
      await create();
      await send("DELETE", `/keys/${name}`);
      return send("POST", `/deletedkeys/${name}/recover`);
    case "PurgeDeletedKey":
      await create();
      await send("DELETE", `/keys/${name}`);
      return send("DELETE", `/deletedkeys/${name}`);
    case "BackupKey":
      await create();
      return send("POST", `/keys/${name}/backup`);
    case "RestoreKey": {
      await create();
      const backup = (await send("POST", `/keys/${name}/backup`)).body as Json;
      await send("DELETE", `/keys/${name}`);
      await send("DELETE", `/deletedkeys/${name}`);
      return send("POST", "/keys/restore", { value: backup.value });
    }
    case "GetKeys":
      await create();
      return send("GET", "/keys?maxresults=1");
    case "GetKeyVersions":
      await create();
      await create();
      return send("GET", `/keys/${name}/versions?maxresults=1`);
    case "GetDeletedKeys":
      await create();
      await send("DELETE", `/keys/${name}`);
      return send("GET", "/deletedkeys?maxresults=1");
    case "GetKeyRotationPolicy":
    case "UpdateKeyRotationPolicy": {
      await client.createKey(name, { kty: "EC" });
      const recorded = entry.responseBody as Json;
      const policy = {
        lifetimeActions: [{ trigger: { timeAfterCreate: "P30D" }, action: { type: "Rotate" } }],
        attributes: recorded.attributes?.expiryTime ? { expiryTime: "P90D" } : {},
      };
      const put = await send("PUT", `/keys/${name}/rotationpolicy`, policy);
      return entry.operation === "UpdateKeyRotationPolicy" ? put : send("GET", `/keys/${name}/rotationpolicy`);
    }
    case "GetRandomBytes":
      return send("POST", "/rng", { count: 16 });
    case "Release":
      await create();
      return send("POST", `/keys/${name}/release`, { target: "attestation-token" });
    case "Encrypt":
    case "Decrypt":
    case "WrapKey":
    case "UnwrapKey": {
      await create();
      const alg = request.alg ?? defaultAlgorithm(entry.operation, bundle);
      const forward = entry.operation === "Encrypt" ? "encrypt" : entry.operation === "Decrypt" ? "encrypt" : "wrapkey";
      const encrypted = (
        await send("POST", `/keys/${name}/${forward}`, { alg, value: Buffer.alloc(32, 7).toString("base64url") })
      ).body as Json;
      if (entry.operation === "Encrypt" || entry.operation === "WrapKey") return { status: 200, body: encrypted };
      return send("POST", `/keys/${name}/${entry.operation === "Decrypt" ? "decrypt" : "unwrapkey"}`, {
        alg,
        value: encrypted.value,
      });
    }
    case "Sign":
    case "Verify": {
      await create();
      const alg = request.alg ?? defaultAlgorithm(entry.operation, bundle);
      const size = /384/.test(alg) ? 48 : /512/.test(alg) ? 64 : 32;
      const digest = crypto.randomBytes(size).toString("base64url");
      const signed = (await send("POST", `/keys/${name}/sign`, { alg, value: digest })).body as Json;
      if (entry.operation === "Sign") return { status: 200, body: signed };
      return send("POST", `/keys/${name}/verify`, { alg, digest, value: signed.value });
    }
    default:
      return undefined;
  }
}

let emulator: RunningEmulator;
beforeAll(async () => {
  // About answer shapes, not timing: deletions take effect at once (windows are tested in test/emulator).
  emulator = await startEmulator({ recoverableDays: 7, instant: true });
});
afterAll(async () => {
  await emulator?.close();
});

describe.skipIf(!available)("shape conformance with recorded service answers", () => {
  const sessions = available
    ? readdirSync(recordingsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .flatMap((dir) =>
          readdirSync(path.join(recordingsDir, dir.name))
            .filter((file) => file.endsWith(".json"))
            .map((file) => path.join(dir.name, file)),
        )
    : [];

  it("matches field names and JSON types for every recorded 2xx vault answer", { timeout: 300_000 }, async () => {
    const problems: string[] = [];
    const compared = new Map<string, number>();
    const skipped: string[] = [];
    const seen = new Set<string>();
    for (const session of sessions) {
      const recording = JSON.parse(readFileSync(path.join(recordingsDir, session), "utf8")) as { entries: Entry[] };
      const lastBundle = new Map<string, Json>();
      for (const entry of recording.entries) {
        const body = entry.responseBody as Json;
        const name = keyNameOf(entry.url);
        if (body?.key?.kid && name) lastBundle.set(name.toLowerCase(), body);
        if (entry.status < 200 || entry.status >= 300) continue;
        if (entry.url.includes(".managedhsm.azure.net")) {
          skipped.push(`${session} ${entry.operation} (managed HSM)`);
          continue;
        }
        const apiVersion = new URL(entry.url).searchParams.get("api-version") ?? "7.6";
        const bundle = body?.key?.kid
          ? body
          : (lastBundle.get((name ?? "").toLowerCase()) ?? { key: { kty: "EC", crv: "P-256" } });
        const signature = `${entry.operation}|${apiVersion}|${bundle.key?.kty}|${bundle.key?.crv}|${entry.status}|${shapeSignature(entry.responseBody)}`;
        if (seen.has(signature)) continue;
        seen.add(signature);
        const client = new EmulatorTestClient(emulator, apiVersion);
        const answer = await emulatorAnswer(client, entry, bundle);
        if (!answer) {
          skipped.push(`${session} ${entry.operation} (no emulator mapping)`);
          continue;
        }
        const where = `${session} ${entry.operation} (api ${apiVersion}, ${bundle.key?.kty})`;
        if (answer.status !== entry.status)
          problems.push(
            `${where}: status ${answer.status} vs recorded ${entry.status}: ${JSON.stringify(answer.body)}`,
          );
        const diffs: string[] = [];
        if (entry.responseBody !== null) shapeDiffs(entry.responseBody, answer.body, "$", diffs);
        // The service echoes a `crv` sent with an RSA import (cpp ImportKey); the emulator does not.
        // In 7.3/7.4 the service sent `exportable` for some keys without a release policy and not for others.
        const tolerated = diffs.filter(
          (diff) =>
            !(entry.operation === "ImportKey" && diff.startsWith("$.key.crv")) &&
            !(
              (apiVersion === "7.3" || apiVersion === "7.4") &&
              /\.attributes\.exportable: missing in emulator answer$/.test(diff)
            ),
        );
        problems.push(...tolerated.map((diff) => `${where}: ${diff}`));
        compared.set(entry.operation, (compared.get(entry.operation) ?? 0) + 1);
      }
    }
    console.info(
      `emulator shape conformance: ${[...compared.values()].reduce((a, b) => a + b, 0)} distinct recorded answers compared; ${skipped.length} skipped (managed HSM or unmapped)`,
    );
    expect(problems, problems.slice(0, 30).join("\n")).toEqual([]);
    expect([...compared.keys()].sort()).toEqual(
      expect.arrayContaining([
        "BackupKey",
        "CreateKey",
        "DeleteKey",
        "GetDeletedKey",
        "GetKey",
        "GetKeyRotationPolicy",
        "GetKeys",
        "Release",
        "RestoreKey",
        "RotateKey",
        "Sign",
        "UpdateKey",
        "Verify",
      ]),
    );
  });
});

if (!available) {
  // Registered only without ../shared, so that a run with the recordings reports no skipped test.
  describe("shape conformance (recordings absent)", () => {
    it("is skipped because ../shared/conformance/recordings is not present", () => {
      console.warn(`Skipping emulator shape conformance: ${recordingsDir} not found`);
    });
  });
}
