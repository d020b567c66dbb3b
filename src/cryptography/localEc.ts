import { sign, verify } from "node:crypto";
import type { HashName } from "./algorithms.js";
import { ecdsaSignDigest, ecdsaVerifyDigest, signatureSize } from "./ecdsaMath.js";
import type { JwkKeyObjects } from "./jwkKeyObjects.js";

/*
 * ECDSA with the signature as raw r || s (IEEE P1363), as Key Vault writes it. Digests go through the
 * curve arithmetic of ecdsaMath.ts; data goes through node:crypto, which hashes it.
 */

function curveOf(keys: JwkKeyObjects): string {
  const crv = keys.jwk.crv;
  if (crv === undefined) throw new Error("The EC key has no curve (crv).");
  return crv;
}

/** Signs a digest with the private key. @internal */
export function ecSignDigest(keys: JwkKeyObjects, digest: Uint8Array): Buffer {
  const d = keys.jwk.d;
  if (!d) throw new Error("The EC key has no private part (d).");
  return ecdsaSignDigest(curveOf(keys), d, digest);
}

/** Verifies a signature over a digest with the public key. @internal */
export function ecVerifyDigest(keys: JwkKeyObjects, digest: Uint8Array, signature: Uint8Array): boolean {
  const { x, y } = keys.jwk;
  if (!x || !y) throw new Error("The EC key has no public point (x, y).");
  return ecdsaVerifyDigest(curveOf(keys), x, y, digest, signature);
}

/** Signs data (node:crypto hashes it). @internal */
export function ecSignData(keys: JwkKeyObjects, hash: HashName, data: Uint8Array): Buffer {
  return sign(hash, data, { key: keys.private(), dsaEncoding: "ieee-p1363" });
}

/** Verifies a signature over data (node:crypto hashes it). @internal */
export function ecVerifyData(keys: JwkKeyObjects, hash: HashName, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 2 * signatureSize(curveOf(keys))) return false;
  try {
    return verify(hash, data, { key: keys.public(), dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false;
  }
}
