import type { JsonWebKeyFields } from "../models/jsonWebKey.js";

const keyNamePattern = /^[0-9a-zA-Z-]{1,127}$/;
const keyVersionPattern = /^[0-9a-zA-Z-]{0,127}$/;

/**
 * Refuses a key name the service would refuse, or one that could change the request path
 * (`..`, `/`, `?`, `#`, `%2e`), before any request is sent.
 * @internal
 */
export function assertKeyName(name: unknown, field = "name"): asserts name is string {
  if (typeof name !== "string" || !keyNamePattern.test(name)) {
    throw new TypeError(
      `Invalid ${field} ${JSON.stringify(name)}: a key name is 1 to 127 characters of 0-9, a-z, A-Z and '-'.`,
    );
  }
}

/** Like {@link assertKeyName}, for versions; an empty or absent version means the latest. @internal */
export function assertKeyVersion(version: unknown, field = "version"): asserts version is string | undefined {
  if (version === undefined) return;
  if (typeof version !== "string" || !keyVersionPattern.test(version)) {
    throw new TypeError(
      `Invalid ${field} ${JSON.stringify(version)}: a key version is up to 127 characters of 0-9, a-z, A-Z and '-'.`,
    );
  }
}

const requiredByKeyType: Record<string, ReadonlyArray<keyof JsonWebKeyFields>> = {
  RSA: ["n", "e"],
  "RSA-HSM": ["n", "e"],
  EC: ["crv", "x", "y"],
  "EC-HSM": ["crv", "x", "y"],
  oct: ["k"],
  "oct-HSM": ["k"],
};

const byteFieldNames = ["n", "e", "d", "dp", "dq", "qi", "p", "q", "k", "t", "x", "y"] as const;

/**
 * Checks a JSON web key before it is imported or used locally; the error names the field.
 * @internal
 */
export function assertJsonWebKey(key: unknown, field = "key"): asserts key is JsonWebKeyFields {
  if (typeof key !== "object" || key === null || Array.isArray(key)) {
    throw new TypeError(`Invalid ${field}: expected a JsonWebKey object.`);
  }
  const jwk = key as Record<string, unknown>;
  if (typeof jwk["kty"] !== "string" || jwk["kty"].length === 0) {
    throw new TypeError(`Invalid ${field}.kty: a key type such as "RSA", "EC" or "oct" is required.`);
  }
  for (const name of byteFieldNames) {
    const value = jwk[name];
    if (value !== undefined && !(value instanceof Uint8Array)) {
      throw new TypeError(`Invalid ${field}.${name}: expected a Uint8Array.`);
    }
    if (value instanceof Uint8Array && value.length === 0) {
      throw new TypeError(`Invalid ${field}.${name}: it is empty.`);
    }
  }
  if (
    jwk["keyOps"] !== undefined &&
    (!Array.isArray(jwk["keyOps"]) || jwk["keyOps"].some((op) => typeof op !== "string"))
  ) {
    throw new TypeError(`Invalid ${field}.keyOps: expected an array of operation names.`);
  }
  for (const name of ["kid", "crv"] as const) {
    if (jwk[name] !== undefined && typeof jwk[name] !== "string") {
      throw new TypeError(`Invalid ${field}.${name}: expected a string.`);
    }
  }
  // A key made outside Azure and sealed for the HSM (bring your own key) travels as `t` (`key_hsm`)
  // alone: its public parts are inside the sealed blob.
  if (jwk["t"] !== undefined && jwk["kty"].endsWith("-HSM")) return;
  for (const required of requiredByKeyType[jwk["kty"]] ?? []) {
    if (jwk[required] === undefined) {
      throw new TypeError(`Invalid ${field}.${required}: a ${jwk["kty"]} key needs it.`);
    }
  }
}

/** The vault URL a client is made with, checked (an absolute http(s) URL) and without a trailing slash. @internal */
export function normalizeVaultUrl(vaultUrl: string): string {
  if (typeof vaultUrl !== "string") throw new TypeError("Invalid vaultUrl: expected a URL string.");
  let url: URL;
  try {
    url = new URL(vaultUrl);
  } catch {
    throw new TypeError(
      `Invalid vaultUrl "${vaultUrl}": expected an absolute URL such as https://myvault.vault.azure.net.`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`Invalid vaultUrl "${vaultUrl}": expected an https URL.`);
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}
