/*
 * Wire answers in the exact shapes the service sends (see ../shared/conformance/README.md), for the
 * nock tests and the tests' fake vaults: key bundles and items, the 401 challenge, the error bodies.
 * Times are epoch seconds; byte fields are base64url. Plain data: importing it starts no interceptor.
 */

/** The vault the nock tests mock. */
export const VAULT_URL = "https://myvault.vault.azure.net";
/** The tenant of the recorded challenges. */
export const TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
/** The tenant of the challenges the recorders did not keep (the replay makes them up) and of the differential vault. */
export const ZERO_TENANT = "00000000-0000-0000-0000-000000000000";

export type Json = Record<string, unknown>;

/** `value` when it is a JSON object, else an empty one (for reading optional nested fields). */
export const jsonObject = (value: unknown): Json =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};

/** The `WWW-Authenticate` value of the service's 401: the tenant's authority and the resource to ask a token for. */
export const challengeHeader = (resource = "https://vault.azure.net", tenant = TENANT_ID): string =>
  `Bearer authorization="https://login.microsoftonline.com/${tenant}", resource="${resource}"`;

/** The resource a vault's challenge names: Managed HSM's for a managedhsm host, Key Vault's otherwise. */
export const challengeResourceOf = (origin: string): string =>
  new URL(origin).hostname.endsWith(".managedhsm.azure.net")
    ? "https://managedhsm.azure.net"
    : "https://vault.azure.net";

/** The body of the service's 401. */
export const UNAUTHORIZED_BODY = {
  error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer, PoP, or MTLS_POP token." },
};

/** python-2025-07-01's EC P-256 public key (its recorded `x` and `y`). */
export const EC_P256 = {
  x: "bbGb_byeGrh6Pkf6C2rs4tdHNbNF9BqxFBxST23I5Gc",
  y: "024yTKAWHDwR0LD9Ne8J8bzqfQm-4A3UL0JlXm62Dpo",
};

export const VERSION = "63c46e0741cc4bc4ad2904af8a9df33e";
export const CREATED = 1777476606;
export const UPDATED = 1777476607;

export const kidOf = (name: string, version = VERSION, vault = VAULT_URL): string => `${vault}/keys/${name}/${version}`;

export function attributes(overrides: Json = {}): Json {
  return {
    enabled: true,
    created: CREATED,
    updated: UPDATED,
    recoveryLevel: "CustomizedRecoverable+Purgeable",
    recoverableDays: 7,
    exportable: false,
    hsmPlatform: "0",
    ...overrides,
  };
}

export function ecJwk(name: string, version = VERSION, kty = "EC"): Json {
  return {
    kid: kidOf(name, version),
    kty,
    key_ops: ["sign", "verify"],
    crv: "P-256",
    ...EC_P256,
  };
}

export function rsaJwk(name: string, version = VERSION, kty = "RSA"): Json {
  return {
    kid: kidOf(name, version),
    kty,
    key_ops: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
    n: "oJFNACNKxoOyG0wV1b7Yh73JWcLlevVK5zTo8Acg13XSdeRVIH43hM7rYKUKRlXdcqepTScejuj3lZpmnKbndb8OI7ra6ZG0Up2XhSi0vZBSHTLdJlZ5a6gra7_HZoyPXutQU3R_0ZkxnSmoRA0I9EEtUn_5MR7acYJZILR7HEaxGrPpHXMWQH6Jx_NA97haNAQs5RdDsn1HGEA9NMe0OK9hgb4F5NEeuYXTglPX_pv1P8LxsALSLS15P6eaUEtqtC0EkoBNcHHXJ6Bs86iJOqVCsVA_gyspY3G2cH1NxuNy-P5n2N7RyQj95FzgO8CGpxSH-nXkOqDgZ5qg0g7-NQ",
    e: "AQAB",
  };
}

export function octJwk(name: string, version = VERSION, kty = "oct"): Json {
  return { kid: kidOf(name, version), kty, key_ops: ["encrypt", "decrypt", "wrapKey", "unwrapKey"] };
}

/** A KeyBundle (create, get, import, update, rotate, restore, recover). */
export function keyBundle(
  name: string,
  options: { version?: string; key?: Json; attributes?: Json; tags?: Record<string, string>; extra?: Json } = {},
): Json {
  return {
    key: options.key ?? ecJwk(name, options.version),
    attributes: attributes(options.attributes),
    ...(options.tags ? { tags: options.tags } : {}),
    ...options.extra,
  };
}

export const DELETED = 1777476700;
export const PURGE = DELETED + 7 * 86400;

/** A DeletedKeyBundle (DELETE /keys/{name}, GET /deletedkeys/{name}). */
export function deletedKeyBundle(
  name: string,
  options: { version?: string; recoveryId?: string | null; tags?: Record<string, string> } = {},
): Json {
  const bundle: Json = {
    ...(options.recoveryId === null ? {} : { recoveryId: options.recoveryId ?? `${VAULT_URL}/deletedkeys/${name}` }),
    deletedDate: DELETED,
    scheduledPurgeDate: PURGE,
    key: ecJwk(name, options.version),
    attributes: attributes(),
    ...(options.tags ? { tags: options.tags } : {}),
  };
  return bundle;
}

/** A KeyItem of `/keys` (kid without version) or `/keys/{name}/versions` (with). */
export function keyItem(name: string, version?: string, extraAttributes: Json = {}): Json {
  return {
    kid: version ? kidOf(name, version) : `${VAULT_URL}/keys/${name}`,
    attributes: attributes(extraAttributes),
    tags: { n: name },
  };
}

/** A DeletedKeyItem of `/deletedkeys`. */
export function deletedKeyItem(name: string): Json {
  return {
    recoveryId: `${VAULT_URL}/deletedkeys/${name}`,
    deletedDate: DELETED,
    scheduledPurgeDate: PURGE,
    kid: `${VAULT_URL}/keys/${name}`,
    attributes: attributes(),
  };
}

/** The 404 the service sends while a deletion is in progress. */
export function deletedKeyNotFound(name: string): Json {
  return { error: { code: "KeyNotFound", message: `Deleted Key not found: ${name}` } };
}

/** The 404 of a key that does not exist; `id` is its name, or `name/version`. */
export function keyNotFound(id: string): Json {
  return {
    error: {
      code: "KeyNotFound",
      message: `A key with (name/id) ${id} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
    },
  };
}

/** The recorded 409 for a create on a soft-deleted name. */
export function deletedButRecoverable(name: string): Json {
  return {
    error: {
      code: "Conflict",
      message: `Key ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the key can only be recovered or purged.`,
      innererror: { code: "ObjectIsDeletedButRecoverable" },
    },
  };
}

export const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

export const dateOf = (seconds: number): Date => new Date(seconds * 1000);
export const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url");
export const bytesOf = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "base64url"));
