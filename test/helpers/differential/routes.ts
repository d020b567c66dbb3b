/*
 * The routes of the differential fake vault: which canned answer each authorized request gets, and the
 * soft-delete state that makes the pollers poll (see fakeVault.ts for the behaviour in words).
 */
import { deletedKeyNotFound, keyNotFound, type Json } from "../wire.js";
import { BACKUP_VALUE, EC_VERSION, MISSING_KEY, RANDOM_100, RELEASE_VALUE, RSA_VERSION } from "./cannedValues.js";
import { cryptoAnswer } from "./cryptoAnswers.js";
import {
  attestedBundle,
  createdBundle,
  deletedBundle,
  ecBundle,
  importedBundle,
  rotatedBundle,
  rotationPolicy,
  rotationPolicyFromRequest,
  rsaBundle,
  updatedBundle,
} from "./keyBundles.js";
import { listPage } from "./listPages.js";
import type { RecordedRequest } from "./recordedRequest.js";

/** What the fake vault remembers between requests (until its `reset()`). */
export interface VaultState {
  /** The fake's own URL, for the ids it answers. */
  readonly url: string;
  /** Names that start out soft-deleted. */
  readonly initiallyDeleted: readonly string[];
  /** Deleted names whose next `GET /deletedkeys/{name}` is still a 404. */
  beingDeleted: Set<string>;
  /** Names whose `GET /keys/{name}` is a 404 until recovered. */
  softDeleted: Set<string>;
  /** Recovered names whose next `GET /keys/{name}` is still a 404. */
  beingRecovered: Set<string>;
}

/** The vault's state as it starts (and after a reset). */
export function initialState(url: string, initiallyDeleted: readonly string[]): VaultState {
  return {
    url,
    initiallyDeleted,
    beingDeleted: new Set(),
    softDeleted: new Set(initiallyDeleted),
    beingRecovered: new Set(),
  };
}

const notFound = (name: string, version: string | undefined): [number, unknown] => [
  404,
  keyNotFound(version ? `${name}/${version}` : name),
];

function randomBytes(count: number): string {
  return count === 100
    ? RANDOM_100
    : Buffer.from(Array.from({ length: count }, (_, i) => (i * 37 + 11) % 256)).toString("base64url");
}

/** The status and JSON body of the answer to an authorized request. */
export function route(r: RecordedRequest, state: VaultState): [number, unknown] {
  const { url } = state;
  const segments = r.path.split("/").slice(1).map(decodeURIComponent);
  const [collection, name = "", third, fourth] = segments;
  const m = r.method;
  const body = (r.body ?? {}) as Json;
  const apiVersion = r.query["api-version"] ?? "";
  if (collection === "rng" && segments.length === 1 && m === "POST")
    return [200, { value: randomBytes(Number(body["count"])) }];
  if (collection === "keys") {
    if (segments.length === 1 && m === "GET") return [200, listPage("keys", r, apiVersion)];
    if (segments.length === 2 && name === "restore" && m === "POST")
      return [200, rsaBundle(url, "restored-key", RSA_VERSION)];
    if (segments.length === 2 && m === "PUT") return [200, importedBundle(url, name, body)];
    if (segments.length === 2 && m === "DELETE") {
      state.beingDeleted.add(name);
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
        if (state.softDeleted.has(name)) return notFound(name, third);
        if (state.beingRecovered.delete(name)) return notFound(name, third);
        if (name === MISSING_KEY) return notFound(name, third);
        // A recovered key reads back as what the recover answered.
        if (state.initiallyDeleted.includes(name)) return [200, ecBundle(url, name, EC_VERSION)];
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
      if (state.beingDeleted.delete(name)) return [404, deletedKeyNotFound(name)];
      return [200, deletedBundle(url, name)];
    }
    if (segments.length === 2 && m === "DELETE") return [204, undefined];
    if (segments.length === 3 && third === "recover" && m === "POST") {
      state.softDeleted.delete(name);
      state.beingRecovered.add(name);
      return [200, ecBundle(url, name, EC_VERSION)];
    }
  }
  return [400, { error: { code: "BadParameter", message: `fake vault: no route for ${m} ${r.path}` } }];
}
