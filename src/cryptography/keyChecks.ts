import type { JsonWebKeyFields } from "../models/jsonWebKey.js";
import type { KeyOperation } from "../models/known.js";
import { type CipherAlgorithm, type SignatureAlgorithmInfo, keyFamilyOf, keyFamilyOfKeyType } from "./algorithms.js";

/** The eight operations of the CryptographyClient. @internal */
export type CryptographyOperation =
  "encrypt" | "decrypt" | "wrapKey" | "unwrapKey" | "sign" | "verify" | "signData" | "verifyData";

/** The `key_ops` entry each operation needs. @internal */
export function keyOperationFor(operation: CryptographyOperation): KeyOperation {
  if (operation === "signData") return "sign";
  if (operation === "verifyData") return "verify";
  return operation;
}

/** What the client knows about its key when it checks it. @internal */
export interface KnownKeyState {
  id?: string;
  keyOps?: readonly string[];
  enabled?: boolean;
  notBefore?: Date;
  expiresOn?: Date;
}

/**
 * Refuses an operation the key does not allow (`key_ops`), or a key that is disabled, not yet valid or
 * expired, before any work. The service would refuse it too; this says why without a round trip. The
 * date and `key_ops` checks are the official client's, with its messages (the key's id as it has it,
 * `undefined` for a JsonWebKey without `kid`); the `enabled` check is ours (the official client sends the
 * request and the vault refuses a disabled key).
 * @internal
 */
export function assertKeyUsable(key: KnownKeyState, operation: CryptographyOperation, now?: Date): void {
  const id = String(key.id);
  if (key.enabled === false) throw new Error(`Key ${id} is disabled; ${operation} is not possible.`);
  // The clock is read only for a key with dates.
  const time = key.notBefore || key.expiresOn ? (now ?? new Date()).getTime() : 0;
  if (key.notBefore && time < key.notBefore.getTime()) {
    throw new Error(`Key ${id} can't be used before ${key.notBefore.toISOString()}`);
  }
  if (key.expiresOn && time > key.expiresOn.getTime()) {
    throw new Error(`Key ${id} expired at ${key.expiresOn.toISOString()}`);
  }
  const needed = keyOperationFor(operation);
  if (key.keyOps && !key.keyOps.includes(needed)) {
    throw new Error(`Operation ${needed} is not supported on key ${id}`);
  }
}

/**
 * Refuses an algorithm the key cannot serve (an RSA algorithm with an EC key, ES384 with a P-256 key,
 * A256GCM with a 128-bit key), naming the algorithm and the key type, before any request.
 * @internal
 */
export function assertKeyFitsAlgorithm(
  jwk: JsonWebKeyFields,
  algorithm: string,
  info: CipherAlgorithm | SignatureAlgorithmInfo,
): void {
  const family = keyFamilyOfKeyType(jwk.kty);
  if (family === undefined) return; // a key type this client does not know: let the service decide.
  const needed = keyFamilyOf(info);
  if (family !== needed) {
    throw new TypeError(
      `Invalid algorithm: ${algorithm} needs ${article(needed)} ${needed} key, but the key is ${jwk.kty}.`,
    );
  }
  if (info.kind === "ecdsa" && jwk.crv !== undefined && jwk.crv !== info.curve) {
    throw new TypeError(
      `Invalid algorithm: ${algorithm} needs a ${info.curve} key, but the key's curve is ${jwk.crv}.`,
    );
  }
  if ((info.kind === "aes-gcm" || info.kind === "aes-cbc" || info.kind === "aes-kw") && jwk.k !== undefined) {
    if (info.keyBytes === undefined && ![16, 24, 32].includes(jwk.k.length)) {
      throw new TypeError(
        `Invalid key: ${algorithm} needs an AES key of 128, 192 or 256 bits, but the key has ${jwk.k.length * 8}.`,
      );
    }
    if (info.keyBytes !== undefined && jwk.k.length !== info.keyBytes) {
      throw new TypeError(
        `Invalid algorithm: ${algorithm} needs a ${info.keyBytes * 8}-bit key, but the key has ${jwk.k.length * 8} bits.`,
      );
    }
  }
}

/** Whether the JWK holds the private part an operation needs locally. @internal */
export function hasPrivateMaterial(jwk: JsonWebKeyFields): boolean {
  switch (keyFamilyOfKeyType(jwk.kty)) {
    case "RSA":
      return (
        jwk.d !== undefined &&
        jwk.p !== undefined &&
        jwk.q !== undefined &&
        jwk.dp !== undefined &&
        jwk.dq !== undefined &&
        jwk.qi !== undefined
      );
    case "EC":
      return jwk.d !== undefined;
    case "oct":
      return jwk.k !== undefined;
    default:
      return false;
  }
}

/** Whether the JWK holds the public part (n and e, or crv, x and y). @internal */
export function hasPublicMaterial(jwk: JsonWebKeyFields): boolean {
  switch (keyFamilyOfKeyType(jwk.kty)) {
    case "RSA":
      return jwk.n !== undefined && jwk.e !== undefined;
    case "EC":
      return jwk.crv !== undefined && jwk.x !== undefined && jwk.y !== undefined;
    default:
      return false;
  }
}

function article(word: string): string {
  return /^[aeiouAEIOUR]/.test(word) ? "an" : "a";
}
