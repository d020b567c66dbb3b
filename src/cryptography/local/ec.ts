import { sign, verify } from "node:crypto";
import type { Ecdsa, EcdsaPublicKey } from "../../jose/ecdsa.js";
import { keyVaultCurve } from "../../jose/curves.js";
import type { HashName } from "../algorithms.js";
import type { JwkKeyObjects } from "./jwkKeyObjects.js";

/*
 * ECDSA with the signature as raw r || s (IEEE P1363), as Key Vault writes it. Digests go through the
 * shared ECDSA of jose/ecdsa.ts (loaded with the engine of an EC key); data goes through node:crypto,
 * which hashes it. A digest is verified with the public point only: a local JWK's d is not known to
 * match its x and y.
 */

/** Signs a digest with the private key. @internal */
export function ecSignDigest(keys: JwkKeyObjects, ecdsa: Ecdsa, digest: Uint8Array): Buffer {
  const d = keys.jwk.d;
  if (!d) throw new Error("The EC key has no private part (d).");
  return ecdsa.sign(d, digest);
}

/** The public key to verify digests with (the engine keeps it for the key's later verifications). @internal */
export function ecPublicKey(keys: JwkKeyObjects, ecdsa: Ecdsa): EcdsaPublicKey {
  const { x, y } = keys.jwk;
  if (!x || !y) throw new Error("The EC key has no public point (x, y).");
  return ecdsa.publicKey(x, y);
}

/** Signs data (node:crypto hashes it). @internal */
export function ecSignData(keys: JwkKeyObjects, hash: HashName, data: Uint8Array): Buffer {
  return sign(hash, data, { key: keys.private(), dsaEncoding: "ieee-p1363" });
}

/** Verifies a signature over data (node:crypto hashes it). @internal */
export function ecVerifyData(keys: JwkKeyObjects, hash: HashName, data: Uint8Array, signature: Uint8Array): boolean {
  const curve = keyVaultCurve(keys.jwk.crv);
  if (!curve) throw new Error(`The EC curve ${String(keys.jwk.crv)} is not supported locally.`);
  if (signature.length !== 2 * curve.bytes) return false;
  try {
    return verify(hash, data, { key: keys.public(), dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false;
  }
}
