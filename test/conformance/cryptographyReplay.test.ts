/**
 * Replays the recorded encrypt/decrypt/sign/verify/wrap/unwrap traffic of the real service
 * (../shared/conformance/recordings) through the CryptographyClient: each recorded operation is made
 * through the client, answered with the recorded answer, and the client's request must be the recorded
 * one (method, path, api-version, and the body where the recorder kept it), its result the recorded values.
 *
 * How: the client is made from the id in the recorded URL with the recording's api-version. Its first
 * GET of the key is answered 403 (not recorded: the recorders' SDKs did not fetch keys), so every
 * operation goes to the vault as in the recording. Paths compare case-insensitively with empty
 * segments collapsed: C++ wrote `/wrapKey` where the others write `/wrapkey`, and Go sent
 * `/keys/{name}/decrypt` where this client (like the official JS one) sends `/keys/{name}//decrypt`.
 * C++ and Java recordings have no request bodies: the algorithm comes from the key type and the test
 * name, the inputs from the session (a decrypt's ciphertext is the preceding encrypt's result).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CryptographyClient } from "../../src/index.js";
import { FakeCredential } from "../helpers/fakeCredential.js";
import {
  FAST_RETRY,
  mockVault,
  recordRequests,
  resetNock,
  restoreNock,
  type SeenRequest,
} from "../helpers/mockVault.js";
import { cryptoOperations } from "../helpers/replay/recording.js";
import { challengeHeader, challengeResourceOf, ZERO_TENANT } from "../helpers/wire.js";

const root = fileURLToPath(new URL("../../../shared/conformance/recordings/", import.meta.url));
const present = existsSync(root);
if (!present) console.warn(`cryptography replay skipped: ${root} is absent.`);

interface Entry {
  method: string;
  url: string;
  requestBody: Record<string, string> | null;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: Record<string, unknown> | null;
  operation: string;
}
interface Session {
  name: string;
  apiVersions: string[];
  entries: Entry[];
}

const sessionFiles = present
  ? (JSON.parse(readFileSync(`${root}INDEX.json`, "utf8")) as { sessions: { file: string }[] }).sessions
      .map((s) => s.file)
      .filter((file) =>
        (JSON.parse(readFileSync(root + file, "utf8")) as Session).entries.some((e) =>
          cryptoOperations.has(e.operation),
        ),
      )
  : [];

const b64 = (text: string): Uint8Array => Buffer.from(text, "base64url");
const normalizePath = (path: string): string => path.replace(/\/+/g, "/").toLowerCase();

/** The key bundle's `key` in force for an entry: the last create/import/get answer before it. */
function keyBefore(session: Session, index: number): { kty: string; crv?: string } {
  for (let i = index - 1; i >= 0; i--) {
    const key = session.entries[i]?.responseBody?.["key"] as { kty?: string; crv?: string } | undefined;
    if (key?.kty) return { kty: key.kty, ...(key.crv ? { crv: key.crv } : {}) };
  }
  return { kty: "RSA" };
}

function inferredAlgorithm(session: Session, entry: Entry, index: number): string {
  const key = keyBefore(session, index);
  if (entry.operation === "Sign" || entry.operation === "Verify") {
    if (key.kty.startsWith("EC"))
      return (
        { "P-256": "ES256", "P-256K": "ES256K", "P-384": "ES384", "P-521": "ES512" }[key.crv ?? "P-256"] ?? "ES256"
      );
    return session.name.includes("384") ? "RS384" : "RS256";
  }
  return key.kty.startsWith("oct") ? "A256GCM" : "RSA-OAEP";
}

/** The recorded answer value of the next entry of one of `operations` after `index`. */
function nextValue(session: Session, index: number, operations: string[]): Uint8Array | undefined {
  const next = session.entries.slice(index + 1).find((e) => operations.includes(e.operation));
  const value = next?.responseBody?.["value"];
  return typeof value === "string" ? b64(value) : undefined;
}

describe.skipIf(!present)("replay of recorded cryptography sessions", () => {
  beforeEach(resetNock);
  afterEach(restoreNock);

  it.each(sessionFiles)("%s", async (file) => {
    const session = JSON.parse(readFileSync(root + file, "utf8")) as Session;
    const memory: { ciphertext?: Uint8Array; wrapped?: Uint8Array; signature?: Uint8Array; digest?: Uint8Array } = {};
    let replayed = 0;
    for (const [index, entry] of session.entries.entries()) {
      if (!cryptoOperations.has(entry.operation) || entry.status !== 200) continue;
      nock.cleanAll();
      const url = new URL(entry.url);
      const origin = url.origin;
      const apiVersion = url.searchParams.get("api-version") ?? "";
      const [, , name, maybeVersion] = url.pathname.split("/");
      const version = url.pathname.split("/").length === 5 ? maybeVersion : "";
      const id = `${origin}/keys/${name}${version ? `/${version}` : ""}`;
      const vault = mockVault({ url: origin, challenge: challengeHeader(challengeResourceOf(origin), ZERO_TENANT) });
      vault.scope
        .get(/^\/keys\//)
        .query(true)
        .reply(403, {
          error: { code: "Forbidden", message: "not recorded: answered 403 so that every operation goes to the vault" },
        });
      vault.scope
        .post(/^\/keys\//)
        .query(true)
        .reply(entry.status, entry.responseBody ?? undefined, { "content-type": "application/json; charset=utf-8" });
      const seen: SeenRequest[] = [];
      recordRequests(vault.scope, seen);

      const client = new CryptographyClient(id, new FakeCredential(), {
        serviceVersion: apiVersion,
        retryOptions: FAST_RETRY,
      });
      const body = entry.requestBody;
      const algorithm = body?.["alg"] ?? inferredAlgorithm(session, entry, index);
      const response = entry.responseBody ?? {};
      const expectedValue = typeof response["value"] === "string" ? b64(response["value"]) : undefined;

      let keyID: string | undefined;
      switch (entry.operation) {
        case "Encrypt": {
          const plaintext = body
            ? b64(body["value"] ?? "")
            : (nextValue(session, index, ["Decrypt"]) ?? new Uint8Array([1]));
          const iv = body?.["iv"] !== undefined ? b64(body["iv"]) : undefined;
          const result = await client.encrypt({ algorithm, plaintext, ...(iv ? { iv } : {}) } as never);
          keyID = result.keyID;
          expect(result.result).toEqual(expectedValue);
          if (typeof response["iv"] === "string") expect(result.iv).toEqual(b64(response["iv"]));
          memory.ciphertext = result.result;
          break;
        }
        case "Decrypt": {
          const ciphertext = body ? b64(body["value"] ?? "") : (memory.ciphertext ?? new Uint8Array([1]));
          const iv = body?.["iv"] !== undefined ? b64(body["iv"]) : undefined;
          const result = await client.decrypt({ algorithm, ciphertext, ...(iv ? { iv } : {}) } as never);
          keyID = result.keyID;
          expect(result.result).toEqual(expectedValue);
          break;
        }
        case "WrapKey": {
          const key = body
            ? b64(body["value"] ?? "")
            : (nextValue(session, index, ["UnwrapKey"]) ?? new Uint8Array(32));
          const result = await client.wrapKey(algorithm as "RSA-OAEP", key);
          keyID = result.keyID;
          expect(result.result).toEqual(expectedValue);
          memory.wrapped = result.result;
          break;
        }
        case "UnwrapKey": {
          const result = await client.unwrapKey(
            algorithm as "RSA-OAEP",
            body ? b64(body["value"] ?? "") : (memory.wrapped ?? new Uint8Array(1)),
          );
          keyID = result.keyID;
          expect(result.result).toEqual(expectedValue);
          break;
        }
        case "Sign": {
          const size = algorithm.endsWith("384") ? "sha384" : algorithm.endsWith("512") ? "sha512" : "sha256";
          const digest = body
            ? b64(body["value"] ?? "")
            : new Uint8Array(createHash(size).update(session.name).digest());
          const result = await client.sign(algorithm, digest);
          keyID = result.keyID;
          expect(result.result).toEqual(expectedValue);
          memory.digest = digest;
          memory.signature = result.result;
          break;
        }
        case "Verify": {
          const digest = body ? b64(body["digest"] ?? "") : (memory.digest ?? new Uint8Array(32));
          const signature = body ? b64(body["value"] ?? "") : (memory.signature ?? new Uint8Array(64));
          const result = await client.verify(algorithm, digest, signature);
          keyID = result.keyID;
          expect(result.result).toBe(response["value"]);
          break;
        }
      }
      // The answer's kid (versioned) is the result's keyID; verify answers carry none, so it is the id used.
      expect(keyID).toBe(typeof response["kid"] === "string" ? response["kid"] : id);
      const sent = seen.filter((r) => r.method === "POST" && r.headers["authorization"] !== undefined);
      expect(sent).toHaveLength(1);
      const request = sent[0] as SeenRequest;
      expect(normalizePath(request.path)).toBe(normalizePath(url.pathname));
      expect(request.query["api-version"]).toBe(apiVersion);
      if (body) expect(request.body).toEqual(body);
      replayed++;
    }
    expect(replayed).toBeGreaterThan(0);
  });
});
