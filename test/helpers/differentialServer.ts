/**
 * A tiny fake Key Vault for the differential tests: node:http on 127.0.0.1 (port 0) that records every
 * request and answers deterministic canned responses per route. The shapes are copied from the
 * recordings in ../shared/conformance/recordings (python 2025-07-01, go 7.5, cpp 7.3 for release and
 * deleted-key lists), with the vault host replaced by this server's URL.
 *
 * Behaviour worth knowing:
 * - A request without `Authorization` gets the vault's 401 challenge (2026 body).
 * - `DELETE /keys/{name}` marks the name as "being deleted": the next `GET /deletedkeys/{name}` is a
 *   404 `KeyNotFound`, the one after it 200 (as in the python/go recordings).
 * - Names in `initiallyDeleted` (default `["recover-me"]`) are soft-deleted: `GET /keys/{name}/...` is a
 *   404 until `POST /deletedkeys/{name}/recover`; after the recover the next GET is still a 404 (as in
 *   go-7.5), the one after it 200.
 * - `GET /keys/missing-key/...` is a 404 `KeyNotFound` (long 2024+ message); `GET /keys/ec-.../...` an EC
 *   P-256 key, any other name an RSA-2048 key.
 * - `POST /keys/{name}/{version}/{encrypt|decrypt|wrapkey|unwrapkey|sign|verify}`: see differentialCrypto.ts.
 * - `script(...)` answers instead of all this (differentialAnswers.ts): errors, malformed answers, delays.
 * - List routes answer three pages: 2 items, then an empty page with a nextLink (as in java-7.0), then 1
 *   item with `"nextLink": null`. nextLinks keep `api-version` and append `maxresults` only when the
 *   first request had it.
 * - Request-driven routes (create, import, update, rotation policy PUT) echo what was sent (tags,
 *   key_ops, attributes, release policy) so that a serialization difference also shows in the result.
 *
 * `reset()` clears the request log and the state; the tests call it before each client's run.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { writeAnswer, type Script } from "./differentialAnswers.js";
import { cryptoAnswer } from "./differentialCrypto.js";

export const CHALLENGE =
  'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"';

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
  /** Parsed JSON body; `undefined` when the body was empty. */
  body: unknown;
  /** The raw body text. */
  rawBody: string;
  /** Whether the request carried an `Authorization` header. */
  authenticated: boolean;
  /** The status the fake answered. */
  status: number;
}

type Json = Record<string, unknown>;

// ---- canned data (from the recordings) -------------------------------------------------------------

export const RSA_VERSION = "50926fee51bf42868c869e0266598d5d";
export const EC_VERSION = "63c46e0741cc4bc4ad2904af8a9df33e";
export const ROTATED_VERSION = "1d59dc2c754346b0b89653634fe9a9d0";
export const IMPORTED_VERSION = "1deb82e772d8417a9356b07fd6c11801";
export const OCT_VERSION = "0ae31e2f37d949b5a2216982074e7e7a";
/** `GET /keys/missing-key/...` is always a 404 `KeyNotFound`. */
export const MISSING_KEY = "missing-key";

/** python-2025-07-01 test_key_crud_operations: RSA-2048 (note `key_size` inside attributes). */
const RSA_N =
  "xg02XFqCLQZnNFD5DTo-dPVPwJoIVbpwu19XVj6FQ-YyoGScd06hYL8ZChuw5FVPbc6OzZuAGrBKgIKwephEb9IhEnd1uAVh6fyd7vXRtu6tH81PFndYCxj0bwcYM8SEqt5V2t769UqPTsnRB0KJY_SYvAoPaUvnU1Y3ttBnD_85IFMFUV5dFlDEbRoJRW3yOOs0qJy6NqhHhPHVK8sM_YrIRcnBJ1IOZLUytI2mr8DffkyJ48sxj01XKBI4_s8GkMT6FsFkEqNYcNvRMm52O3tUBJgiCtpa3bG_2naPCKReG98fx7xN5iJUd9lngpfXeKM5qgd4aJXLOl4-6eP6_Q";
const RSA_ATTRIBUTES = {
  enabled: true,
  key_size: 2048,
  created: 1777476611,
  updated: 1777476611,
  recoveryLevel: "CustomizedRecoverable+Purgeable",
  recoverableDays: 7,
  exportable: false,
  hsmPlatform: "0",
};
/** python-2025-07-01: EC P-256. */
const EC_X = "bbGb_byeGrh6Pkf6C2rs4tdHNbNF9BqxFBxST23I5Gc";
const EC_Y = "024yTKAWHDwR0LD9Ne8J8bzqfQm-4A3UL0JlXm62Dpo";
const EC_ATTRIBUTES = {
  enabled: true,
  created: 1777476606,
  updated: 1777476606,
  recoveryLevel: "CustomizedRecoverable+Purgeable",
  recoverableDays: 7,
  exportable: false,
  hsmPlatform: "0",
};
/** go-7.5 TestRotateKey_KV: rotated EC-HSM key with `exp` from the policy. */
const ROTATED_X = "2OAUYPseFzrofHz0fc1l5TDJV1uooLsWm9ntEIEA8Ps";
const ROTATED_Y = "1V8CBHWz45yrGZCri6EMpudHyxsoSIcSc68EsiNwWE8";
/** cpp-7.3 ReleaseKey2: release policy of an exportable key. */
const RELEASE_POLICY = {
  contentType: "application/json; charset=utf-8",
  data: "eyJ2ZXJzaW9uIjoiMS4wLjAiLCJhbnlPZiI6W3siYXV0aG9yaXR5IjoiaHR0cHM6Ly9zaGFyZWR3dXMud3VzLmF0dGVzdC5henVyZS5uZXQiLCJhbGxPZiI6W3siY2xhaW0iOiJ4LW1zLXNneC1tcnNpZ25lciIsImVxdWFscyI6IjYxYjhmMDVlZmI0ZTNiMjU5ZjNiMWJiYTZiODlhMWExNjc4NGJkNGIzYjE3MmQwMGJhMjJhMzZjNzEzMWQyZDUifV19XX0",
  immutable: false,
};
/** spec example GetKeyAttestation (2025-07-01): attestation inside attributes. */
const ATTESTATION = {
  certificatePemFile: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURnRENDQW1nQ0FRRXdEUVlKS29aSWh2Y05BUUVMQlFBd2daRXhDekF",
  privateKeyAttestation: "AAAAAAAAAAMAAASoAAADlAAAA5QAAQAAPBVew",
  publicKeyAttestation: "AAAAAAAAAAMAAASoAAADlAAAA5QAAQAAAAgAAAAAABwAAAAjAAADgAAAAAAAAAABAxwLQ",
  version: "1.0",
};
/** python-2025-07-01 test_backup_restore: the start of the real blob (the full one is ~9.8 KB). */
export const BACKUP_VALUE =
  "JkF6dXJlS2V5VmF1bHRLZXlCYWNrdXBWMS5taWNyb3NvZnQuY29tZXlKcmFXUWlPaUkxTnpFeE56ZzBNQzAxTUdOaUxUUm1Nakl0T0dJeVpTMWpOV0kzWlRWa01EZzRZbVVpTENKaGJHY2lPaUpTVTBFdFQwRkZVQzB5TlRZaUxDSmxibU1pT2lKQk1qVTJRMEpETFVoVE5URXlJbjAudE1JVzFiVW1FbHZlZ3VGOTRhUnlBVWg1RFVaQzFSX0o1M2VyTTNNRndTb082U0dHNFFXcl9yZTNwbTNLZmhpWmZlWW8wN0JxTDlTaDBaR01lMDZUTWxTQXc4N3VKbEZHQjFDOWhINGR6dkt6U2MzQzM2SHdwbEYyX0xjM1NVWkd5ei1nWldGeFlyTUFS";
/** go-7.5 TestGetRandomBytes: 100 bytes. */
export const RANDOM_100 =
  "oW1QMtvH9T6bULnKTlRZE9Oz2dCE2c7K7jR-KqFLWa-47NszNXclOrB9Ycz_wa6sBgLMUQYkVWU8iMAkv55LixZFoOL2JhwxTbE_PkjgJAISc1dTnnPUKFhy33FZq1wyE8FMmw";
/** cpp-7.3 ReleaseKey2: a JWS (the header is the real one; payload and signature shortened). */
export const RELEASE_VALUE =
  "eyJhbGciOiJSUzI1NiIsImtpZCI6IjY3Q0ZBNEEyMkJEQ0IxOEIzNDZGODRFRDlFRDg2Qzg4MDg1ODNERUMiLCJ4NXQiOiJaOC1rb2l2Y3NZczBiNFR0bnRoc2lBaFlQZXciLCJ0eXAiOiJKV1QifQ.eyJyZXF1ZXN0Ijp7ImFwaS12ZXJzaW9uIjoiNy4zIn19.c2lnbmF0dXJl";

// ---- the server -----------------------------------------------------------------------------------

export interface FakeVault {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request since the last `reset()`. */
  readonly requests: RecordedRequest[];
  /** Clears the request log and the soft-delete state (not the script). */
  reset(): void;
  /** Answers each request the script answers instead of the usual routes; `undefined` ends the script. */
  script(script: Script | undefined): void;
  close(): Promise<void>;
}

export interface FakeVaultOptions {
  /** Names that start out soft-deleted (for the recover poller). */
  initiallyDeleted?: string[];
}

export async function startFakeVault(options: FakeVaultOptions = {}): Promise<FakeVault> {
  const initiallyDeleted = options.initiallyDeleted ?? ["recover-me"];
  let requests: RecordedRequest[] = [];
  let beingDeleted = new Set<string>();
  let softDeleted = new Set<string>(initiallyDeleted);
  let beingRecovered = new Set<string>();
  let url = "";
  let script: Script | undefined;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const record = toRecord(req, rawBody);
      requests.push(record);
      const scripted = script?.(record);
      if (scripted) {
        writeAnswer(res, record, scripted);
        return;
      }
      if (!record.authenticated) {
        send(
          res,
          record,
          401,
          {
            error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer, PoP, or MTLS_POP token." },
          },
          {
            "www-authenticate": CHALLENGE,
          },
        );
        return;
      }
      const [status, body] = route(record);
      send(res, record, status, body);
    });
  });

  function route(r: RecordedRequest): [number, unknown] {
    const segments = r.path.split("/").slice(1).map(decodeURIComponent);
    const [collection, name = "", third, fourth] = segments;
    const m = r.method;
    const body = (r.body ?? {}) as Json;
    const apiVersion = r.query["api-version"] ?? "";
    if (collection === "rng" && segments.length === 1 && m === "POST") {
      const count = Number(body["count"]);
      return [
        200,
        {
          value:
            count === 100
              ? RANDOM_100
              : Buffer.from(Array.from({ length: count }, (_, i) => (i * 37 + 11) % 256)).toString("base64url"),
        },
      ];
    }
    if (collection === "keys") {
      if (segments.length === 1 && m === "GET") return [200, listPage("keys", r, apiVersion)];
      if (segments.length === 2 && name === "restore" && m === "POST")
        return [200, rsaBundle(url, "restored-key", RSA_VERSION)];
      if (segments.length === 2 && m === "PUT") return [200, importedBundle(url, name, body)];
      if (segments.length === 2 && m === "DELETE") {
        beingDeleted.add(name);
        return [200, deletedBundle(url, name)];
      }
      if (segments.length === 3) {
        if (third === "create" && m === "POST") return [200, createdBundle(url, name, body)];
        if (third === "backup" && m === "POST") return [200, { value: BACKUP_VALUE }];
        if (third === "rotate" && m === "POST") return [200, rotatedBundle(url, name)];
        if (third === "rotationpolicy" && m === "GET") return [200, rotationPolicy(url, name)];
        if (third === "rotationpolicy" && m === "PUT") return [200, rotationPolicyFromRequest(url, name, body)];
        if (third === "versions" && m === "GET") return [200, listPage(`keys/${name}/versions`, r, apiVersion, name)];
        if (third === "release" && m === "POST") return [200, { value: RELEASE_VALUE }];
        if (third === "attestation" && m === "GET") return [200, attestedBundle(url, name, RSA_VERSION)];
        if (m === "GET") {
          if (softDeleted.has(name)) return notFound(name, third);
          if (beingRecovered.delete(name)) return notFound(name, third);
          if (name === MISSING_KEY) return notFound(name, third);
          // A recovered key reads back as what the recover answered.
          if (initiallyDeleted.includes(name)) return [200, ecBundle(url, name, EC_VERSION)];
          if (name.startsWith("ec-")) return [200, ecBundle(url, name, third || EC_VERSION)];
          return [200, rsaBundle(url, name, third || RSA_VERSION)];
        }
        if (m === "PATCH") return [200, updatedBundle(url, name, third || RSA_VERSION, body)];
      }
      if (segments.length === 4 && fourth === "attestation" && m === "GET")
        return [200, attestedBundle(url, name, third || RSA_VERSION)];
      if (segments.length === 4 && fourth === "release" && m === "POST") return [200, { value: RELEASE_VALUE }];
      const crypto = segments.length === 4 && m === "POST" ? cryptoAnswer(url, name, third!, fourth!, body) : undefined;
      if (crypto) return crypto;
    }
    if (collection === "deletedkeys") {
      if (segments.length === 1 && m === "GET") return [200, listPage("deletedkeys", r, apiVersion)];
      if (segments.length === 2 && m === "GET") {
        if (beingDeleted.delete(name))
          return [404, { error: { code: "KeyNotFound", message: `Deleted Key not found: ${name}` } }];
        return [200, deletedBundle(url, name)];
      }
      if (segments.length === 2 && m === "DELETE") return [204, undefined];
      if (segments.length === 3 && third === "recover" && m === "POST") {
        softDeleted.delete(name);
        beingRecovered.add(name);
        return [200, ecBundle(url, name, EC_VERSION)];
      }
    }
    return [400, { error: { code: "BadParameter", message: `fake vault: no route for ${m} ${r.path}` } }];
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get requests() {
      return requests;
    },
    reset() {
      requests = [];
      beingDeleted = new Set();
      softDeleted = new Set(initiallyDeleted);
      beingRecovered = new Set();
    },
    script(next) {
      script = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

function toRecord(req: IncomingMessage, rawBody: string): RecordedRequest {
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

function send(
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

function notFound(name: string, version: string | undefined): [number, unknown] {
  const id = version ? `${name}/${version}` : name;
  return [
    404,
    {
      error: {
        code: "KeyNotFound",
        message: `A key with (name/id) ${id} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
      },
    },
  ];
}

// ---- bundles --------------------------------------------------------------------------------------

function rsaBundle(vault: string, name: string, version: string): Json {
  return {
    key: {
      kid: `${vault}/keys/${name}/${version}`,
      kty: "RSA",
      key_ops: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
      n: RSA_N,
      e: "AQAB",
    },
    attributes: { ...RSA_ATTRIBUTES, nbf: 1777400000, exp: 2524723200 },
    tags: { purpose: "unit test", "test name ": "CreateRSAKeyTest" },
    release_policy: RELEASE_POLICY,
  };
}

function ecBundle(vault: string, name: string, version: string): Json {
  return {
    key: {
      kid: `${vault}/keys/${name}/${version}`,
      kty: "EC",
      key_ops: ["sign", "verify"],
      crv: "P-256",
      x: EC_X,
      y: EC_Y,
    },
    attributes: { ...EC_ATTRIBUTES },
    tags: { purpose: "unit test", "test name": "CreateECKeyTest" },
  };
}

function attestedBundle(vault: string, name: string, version: string): Json {
  const bundle = rsaBundle(vault, name, version);
  return { ...bundle, attributes: { ...(bundle["attributes"] as Json), attestation: ATTESTATION } };
}

function rotatedBundle(vault: string, name: string): Json {
  return {
    key: {
      kid: `${vault}/keys/${name}/${ROTATED_VERSION}`,
      kty: "EC-HSM",
      key_ops: ["sign", "verify"],
      crv: "P-256",
      x: ROTATED_X,
      y: ROTATED_Y,
    },
    attributes: {
      enabled: true,
      exp: 1724706624,
      created: 1716930624,
      updated: 1716930624,
      recoveryLevel: "CustomizedRecoverable+Purgeable",
      recoverableDays: 7,
      exportable: false,
      hsmPlatform: "2",
    },
  };
}

function deletedBundle(vault: string, name: string): Json {
  return {
    recoveryId: `${vault}/deletedkeys/${name}`,
    deletedDate: 1777476615,
    scheduledPurgeDate: 1778081415,
    ...rsaBundle(vault, name, RSA_VERSION),
    tags: { foo: "updated tag" },
  };
}

/** Merges what a create/import/update request set into a canned bundle. */
function withRequest(bundle: Json, body: Json): Json {
  const result: Json = { ...bundle, attributes: { ...(bundle["attributes"] as Json) } };
  const attrs = result["attributes"] as Json;
  const sent = (body["attributes"] ?? {}) as Json;
  for (const field of ["enabled", "nbf", "exp", "exportable"])
    if (sent[field] !== undefined) attrs[field] = sent[field];
  if (body["tags"] !== undefined) result["tags"] = body["tags"];
  else delete result["tags"];
  if (body["release_policy"] !== undefined)
    result["release_policy"] = {
      contentType: "application/json; charset=utf-8",
      immutable: false,
      ...(body["release_policy"] as Json),
    };
  else delete result["release_policy"];
  if (Array.isArray(body["key_ops"])) result["key"] = { ...(result["key"] as Json), key_ops: body["key_ops"] };
  return result;
}

function createdBundle(vault: string, name: string, body: Json): Json {
  const kty = String(body["kty"] ?? "RSA");
  let bundle: Json;
  if (kty.startsWith("EC")) {
    bundle = ecBundle(vault, name, EC_VERSION);
    bundle["key"] = { ...(bundle["key"] as Json), kty, crv: body["crv"] ?? "P-256" };
  } else if (kty.startsWith("oct")) {
    bundle = {
      key: {
        kid: `${vault}/keys/${name}/${OCT_VERSION}`,
        kty,
        key_ops: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
      },
      attributes: {
        enabled: true,
        created: 1716930581,
        updated: 1716930581,
        recoveryLevel: "Recoverable+Purgeable",
        recoverableDays: 7,
        exportable: false,
      },
    };
  } else {
    bundle = rsaBundle(vault, name, RSA_VERSION);
    bundle["key"] = { ...(bundle["key"] as Json), kty };
    bundle["attributes"] = { ...RSA_ATTRIBUTES, key_size: body["key_size"] ?? 2048 };
  }
  return withRequest(bundle, body);
}

function importedBundle(vault: string, name: string, body: Json): Json {
  const sentKey = (body["key"] ?? {}) as Json;
  const key: Json = {
    kid: `${vault}/keys/${name}/${IMPORTED_VERSION}`,
    kty: body["Hsm"] ? `${String(sentKey["kty"])}-HSM` : sentKey["kty"],
  };
  if (sentKey["key_ops"] !== undefined) key["key_ops"] = sentKey["key_ops"];
  for (const field of ["n", "e", "crv", "x", "y"]) if (sentKey[field] !== undefined) key[field] = sentKey[field];
  return withRequest({ key, attributes: { ...RSA_ATTRIBUTES } }, body);
}

function updatedBundle(vault: string, name: string, version: string, body: Json): Json {
  const bundle = withRequest(rsaBundle(vault, name, version), body);
  (bundle["attributes"] as Json)["updated"] = 1777476614;
  return bundle;
}

// ---- rotation policy (go-7.5 TestRotateKey_KV; id as the service writes it unsanitised) ------------

function rotationPolicy(vault: string, name: string): Json {
  return {
    id: `${vault}/keys/${name}/rotationpolicy`,
    lifetimeActions: [
      { trigger: { timeAfterCreate: "P30D" }, action: { type: "Rotate" } },
      { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } },
    ],
    attributes: { expiryTime: "P90D", created: 1716930624, updated: 1716930624 },
  };
}

function rotationPolicyFromRequest(vault: string, name: string, body: Json): Json {
  const actions = Array.isArray(body["lifetimeActions"]) ? [...(body["lifetimeActions"] as Json[])] : [];
  // The service adds the default Notify action when none is given.
  if (!actions.some((a) => String(((a["action"] ?? {}) as Json)["type"]).toLowerCase() === "notify")) {
    actions.push({ trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } });
  }
  const sentAttributes = (body["attributes"] ?? {}) as Json;
  return {
    id: `${vault}/keys/${name}/rotationpolicy`,
    lifetimeActions: actions,
    attributes: {
      ...(sentAttributes["expiryTime"] !== undefined ? { expiryTime: sentAttributes["expiryTime"] } : {}),
      created: 1716930624,
      updated: 1716930625,
    },
  };
}

// ---- lists ----------------------------------------------------------------------------------------

/** go-7.5 TestListKeys_KV items (a managed key, a key with tags) and cpp-7.3 deleted-key items. */
function keyItems(vault: string): Json[] {
  return [
    {
      kid: `${vault}/keys/2455761926`,
      attributes: {
        enabled: false,
        nbf: 1716920680,
        exp: 1748457280,
        created: 1716921280,
        updated: 1716921280,
        recoveryLevel: "CustomizedRecoverable+Purgeable",
        recoverableDays: 7,
        hsmPlatform: "0",
      },
      managed: true,
    },
    {
      kid: `${vault}/keys/key2582698`,
      attributes: {
        enabled: true,
        created: 1716926595,
        updated: 1716926595,
        recoveryLevel: "CustomizedRecoverable+Purgeable",
        recoverableDays: 7,
        exportable: false,
        hsmPlatform: "0",
      },
      tags: { team: "payments" },
    },
    {
      kid: `${vault}/keys/key3534672839`,
      attributes: {
        enabled: true,
        created: 1716926588,
        updated: 1716926588,
        recoveryLevel: "CustomizedRecoverable+Purgeable",
        recoverableDays: 7,
        exportable: true,
        hsmPlatform: "0",
      },
    },
  ];
}

function versionItems(vault: string, name: string): Json[] {
  return [
    "03e03c00c1bd46fa808c1befaed14a36",
    "043fd11b031c4f38a0c447b11a9ba5d5",
    "0adae59dd92f42b4903abc9071354447",
  ].map((v, i) => ({
    kid: `${vault}/keys/${name}/${v}`,
    attributes: {
      enabled: true,
      created: 1638401921 + i,
      updated: 1638401921 + i,
      recoveryLevel: "Recoverable+Purgeable",
      recoverableDays: 90,
    },
  }));
}

function deletedItems(vault: string): Json[] {
  return [
    ["CreateDeletedKey", 1638401537, 1646177537, 1638401537],
    ["CreateDeletedKeyBeforePollComplete", 1638401598, 1646177598, 1638401597],
    ["DeleteKey", 1638401414, 1646177414, 1638401414],
  ].map(([name, deleted, purge, created], i) => ({
    recoveryId: `${vault}/deletedkeys/${String(name)}`,
    deletedDate: deleted,
    scheduledPurgeDate: purge,
    kid: `${vault}/keys/${String(name)}`,
    attributes: {
      enabled: true,
      created,
      updated: created,
      recoveryLevel: "Recoverable+Purgeable",
      recoverableDays: 90,
    },
    ...(i === 1 ? { tags: { purpose: "differential" } } : {}),
  }));
}

function listPage(collectionPath: string, r: RecordedRequest, apiVersion: string, keyName = ""): Json {
  const vault = `http://${r.headers["host"] ?? ""}`;
  const items =
    collectionPath === "keys"
      ? keyItems(vault)
      : collectionPath === "deletedkeys"
        ? deletedItems(vault)
        : versionItems(vault, keyName);
  const page = Number(
    r.query["$skiptoken"] ? JSON.parse(Buffer.from(r.query["$skiptoken"], "base64url").toString("utf8")).page : 0,
  );
  const link = (next: number) =>
    `${vault}/${collectionPath}?api-version=${apiVersion}&$skiptoken=${Buffer.from(JSON.stringify({ page: next, NextMarker: `2!88!${next}` })).toString("base64url")}${
      r.query["maxresults"] !== undefined ? `&maxresults=${r.query["maxresults"]}` : ""
    }`;
  if (page === 0) return { value: items.slice(0, 2), nextLink: link(1) };
  if (page === 1) return { value: [], nextLink: link(2) };
  return { value: items.slice(2), nextLink: null };
}
