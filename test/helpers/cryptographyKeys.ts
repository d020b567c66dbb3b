/**
 * Test keys for the CryptographyClient tests, made with node:crypto, as `JsonWebKeyFields` (bytes) and
 * as node key objects to judge results with.
 */
import {
  type KeyObject,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
} from "node:crypto";
import type { JsonWebKeyFields } from "../../src/index.js";

/** Bytes of a base64url string. */
export const b64 = (text: string | undefined): Uint8Array => new Uint8Array(Buffer.from(text ?? "", "base64url"));

/**
 * `generateKeyPairSync`, with key objects of their own: Node 20 can deadlock when a garbage collection
 * destroys a finished synchronous key-generation job while one of its keys is being exported as a JWK
 * (the job's destructor takes the key's lock, which the export holds). Keys re-made from DER share
 * nothing with the job.
 */
export function generateTestKeyPair(
  type: "rsa" | "ec",
  options: { modulusLength?: number; publicExponent?: number; namedCurve?: string },
): { privateKey: KeyObject; publicKey: KeyObject } {
  const pair = generateKeyPairSync(type as "rsa", {
    ...(options as { modulusLength: number }),
    privateKeyEncoding: { type: "pkcs8", format: "der" },
    publicKeyEncoding: { type: "spki", format: "der" },
  });
  return {
    privateKey: createPrivateKey({ key: pair.privateKey, format: "der", type: "pkcs8" }),
    publicKey: createPublicKey({ key: pair.publicKey, format: "der", type: "spki" }),
  };
}

export interface RsaTestKey {
  jwk: JsonWebKeyFields;
  publicJwk: JsonWebKeyFields;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** An RSA key pair; `kty` may be "RSA-HSM". */
export function rsaTestKey(kty = "RSA", modulusLength = 2048, kid?: string): RsaTestKey {
  const { privateKey, publicKey } = generateTestKeyPair("rsa", { modulusLength });
  const j = privateKey.export({ format: "jwk" });
  const publicJwk: JsonWebKeyFields = { kty, n: b64(j.n), e: b64(j.e), ...(kid ? { kid } : {}) };
  const jwk: JsonWebKeyFields = {
    ...publicJwk,
    d: b64(j.d),
    p: b64(j.p),
    q: b64(j.q),
    dp: b64(j.dp),
    dq: b64(j.dq),
    qi: b64(j.qi),
  };
  return { jwk, publicJwk, privateKey, publicKey };
}

export interface EcTestKey extends RsaTestKey {}

/** Key Vault curve name to node's. */
export const nodeCurve: Record<string, string> = {
  "P-256": "prime256v1",
  "P-384": "secp384r1",
  "P-521": "secp521r1",
  "P-256K": "secp256k1",
};

/** An EC key pair on a Key Vault curve (P-256, P-384, P-521, P-256K); `kty` may be "EC-HSM". */
export function ecTestKey(crv: string, kty = "EC", kid?: string): EcTestKey {
  const namedCurve = nodeCurve[crv];
  if (!namedCurve) throw new Error(`unknown curve ${crv}`);
  const { privateKey, publicKey } = generateTestKeyPair("ec", { namedCurve });
  const j = privateKey.export({ format: "jwk" });
  const publicJwk: JsonWebKeyFields = { kty, crv, x: b64(j.x), y: b64(j.y), ...(kid ? { kid } : {}) };
  return { jwk: { ...publicJwk, d: b64(j.d) }, publicJwk, privateKey, publicKey };
}

/** A symmetric key of `bytes` bytes; `kty` may be "oct-HSM". */
export function octTestKey(bytes: number, kty = "oct"): JsonWebKeyFields {
  return { kty, k: new Uint8Array(randomBytes(bytes)) };
}

/** The hash name node:crypto uses for an algorithm's digest. */
export function hashOf(algorithm: string): "sha256" | "sha384" | "sha512" {
  if (algorithm.endsWith("384")) return "sha384";
  if (algorithm.endsWith("512")) return "sha512";
  return "sha256";
}

export function digestOf(algorithm: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(hashOf(algorithm)).update(data).digest());
}

/** The byte fields of a vault key's public JWK, as both packages' `KeyVaultKey.key` hold them. */
export interface PublicJwkBytes {
  n?: Uint8Array;
  e?: Uint8Array;
  crv?: string;
  x?: Uint8Array;
  y?: Uint8Array;
}

/** The public key of a key the vault answered (ours or the official client's), as a node:crypto KeyObject. */
export function publicKeyOf(key: { key?: PublicJwkBytes }): KeyObject {
  const jwk = key.key!;
  const text = (bytes?: Uint8Array) => (bytes ? Buffer.from(bytes).toString("base64url") : undefined);
  const fields =
    jwk.n !== undefined
      ? { kty: "RSA", n: text(jwk.n), e: text(jwk.e) }
      : { kty: "EC", crv: jwk.crv === "P-256K" ? "secp256k1" : jwk.crv, x: text(jwk.x), y: text(jwk.y) };
  return createPublicKey({ key: fields as never, format: "jwk" });
}
