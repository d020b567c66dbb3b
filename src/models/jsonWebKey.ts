import type { KeyCurveName, KeyOperation, KeyType } from "./known.js";

/** The fields of a {@link JsonWebKey}, as a plain object. */
export interface JsonWebKeyFields {
  /** Key identifier. */
  kid?: string;
  /** Key type (`kty`). */
  kty?: KeyType;
  /** Operations the key allows (`key_ops`). */
  keyOps?: KeyOperation[];
  /** RSA modulus. */
  n?: Uint8Array;
  /** RSA public exponent. */
  e?: Uint8Array;
  /** RSA private exponent, or EC private key. */
  d?: Uint8Array;
  /** RSA private key parameter. */
  dp?: Uint8Array;
  /** RSA private key parameter. */
  dq?: Uint8Array;
  /** RSA private key parameter. */
  qi?: Uint8Array;
  /** RSA secret prime. */
  p?: Uint8Array;
  /** RSA secret prime, with `p < q`. */
  q?: Uint8Array;
  /** Symmetric key. */
  k?: Uint8Array;
  /** Protected key, for Bring Your Own Key. */
  t?: Uint8Array;
  /** Elliptic curve name. */
  crv?: KeyCurveName;
  /** X coordinate of an EC point. */
  x?: Uint8Array;
  /** Y coordinate of an EC point. */
  y?: Uint8Array;
}

/**
 * A JSON web key (RFC 7517) as Key Vault uses it. Byte fields are `Uint8Array`s (Node `Buffer`s when they
 * come from the service). Every field is an own key of the object, `undefined` when the key has no such
 * part, as in the objects `@azure/keyvault-keys` returns (so a deep equality written for those holds).
 *
 * @example
 * ```ts
 * const jwk = new JsonWebKey({ kty: "oct", k: randomBytes(32), keyOps: ["encrypt", "decrypt"] });
 * ```
 */
export class JsonWebKey implements JsonWebKeyFields {
  /** Key identifier. */
  declare readonly kid?: string;
  /** Key type. */
  declare readonly kty?: KeyType;
  /** The operations the key allows. */
  declare readonly keyOps?: KeyOperation[];
  /** RSA modulus. */
  declare readonly n?: Uint8Array;
  /** RSA public exponent. */
  declare readonly e?: Uint8Array;
  /** RSA private exponent, or EC private key. */
  declare readonly d?: Uint8Array;
  /** RSA private key parameter. */
  declare readonly dp?: Uint8Array;
  /** RSA private key parameter. */
  declare readonly dq?: Uint8Array;
  /** RSA private key parameter. */
  declare readonly qi?: Uint8Array;
  /** RSA secret prime. */
  declare readonly p?: Uint8Array;
  /** RSA secret prime, with `p < q`. */
  declare readonly q?: Uint8Array;
  /** Symmetric key. */
  declare readonly k?: Uint8Array;
  /** Protected key, for Bring Your Own Key. */
  declare readonly t?: Uint8Array;
  /** Elliptic curve name. */
  declare readonly crv?: KeyCurveName;
  /** X component of an EC public key. */
  declare readonly x?: Uint8Array;
  /** Y component of an EC public key. */
  declare readonly y?: Uint8Array;

  constructor(fields: JsonWebKeyFields = {}) {
    // Every field, in the official package's order, assigned one by one: a loop over the names would
    // leave V8 keeping the object as a dictionary.
    const self = this as Record<string, unknown>;
    self["kid"] = fields.kid;
    self["kty"] = fields.kty;
    self["keyOps"] = fields.keyOps;
    self["n"] = fields.n;
    self["e"] = fields.e;
    self["d"] = fields.d;
    self["dp"] = fields.dp;
    self["dq"] = fields.dq;
    self["qi"] = fields.qi;
    self["p"] = fields.p;
    self["q"] = fields.q;
    self["k"] = fields.k;
    self["t"] = fields.t;
    self["crv"] = fields.crv;
    self["x"] = fields.x;
    self["y"] = fields.y;
  }
}
