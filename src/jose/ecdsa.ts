/**
 * ECDSA over a digest the caller computed, as Key Vault's sign and verify take it (node:crypto signs and
 * verifies only messages it hashes itself). Signatures are r || s (IEEE P1363), each as long as a
 * coordinate. No curve arithmetic is written here:
 * - the scalar multiplications with a secret scalar (the nonce k when signing; when verifying with the
 *   private key, see below) are OpenSSL's, through node:crypto's ECDH (setPrivateKey computes k·G,
 *   constant-time), which is 10 to 30 times faster than doing them in JavaScript;
 * - the arithmetic modulo the group order, and verification with a public key only (u1·G + u2·Q, which
 *   OpenSSL offers no door to) are `@noble/curves`', loaded on first use.
 * Where the private key is held and known to match the public key (the emulator's keys), a signature is
 * checked as x((e + r·d)·s⁻¹ · G) = r, the same equation as u1·G + u2·Q with Q = d·G, with one
 * OpenSSL multiplication.
 * @internal
 */
import { createECDH, randomBytes } from "node:crypto";
import type { CurveFnWithCreate } from "@noble/curves/_shortw_utils";
import { bigIntToBytes, bytesToBigInt } from "./bytes.js";
import { type CurveNames, keyVaultCurve } from "./curves.js";

/** ECDSA on one curve. @internal */
export interface Ecdsa {
  /** Signs a digest with the private scalar `d`; answers r || s. */
  sign(d: Uint8Array, digest: Uint8Array): Buffer;
  /** Whether `signature` (r || s) signs `digest` for the public point (x, y); false for any mismatch. */
  verify(x: Uint8Array, y: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean;
  /** The same answer as `verify` for the public key of `d`; only for a `d` known to match that key. */
  verifyWithPrivateKey(d: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean;
}

/** ECDSA on a Key Vault curve (`P-256`, `P-384`, `P-521`, `P-256K`), loading `@noble/curves` on first use. @internal */
export async function loadEcdsa(crv: string | undefined): Promise<Ecdsa> {
  const names = keyVaultCurve(crv);
  if (!names) throw new Error(`The EC curve ${String(crv)} is not supported locally.`);
  const curve =
    crv === "P-256K"
      ? (await import("@noble/curves/secp256k1")).secp256k1
      : (await import("@noble/curves/nist"))[crv === "P-384" ? "p384" : crv === "P-521" ? "p521" : "p256"];
  return ecdsaOn(names, curve);
}

function ecdsaOn(names: CurveNames, curve: CurveFnWithCreate): Ecdsa {
  const Fn = curve.Point.Fn;
  const size = names.bytes;
  const ecdh = createECDH(names.opensslName);

  /** x of scalar·G, by OpenSSL. */
  const xOfMultipleOfG = (scalar: bigint): bigint => {
    ecdh.setPrivateKey(bigIntToBytes(scalar, size));
    return bytesToBigInt(ecdh.getPublicKey().subarray(1, 1 + size));
  };
  /** The digest as a scalar: its leftmost bits as long as the order, modulo the order (SEC 1, 4.1.3). */
  const digestScalar = (digest: Uint8Array): bigint => {
    const excess = digest.length * 8 - Fn.BITS;
    const value = bytesToBigInt(digest);
    return Fn.create(excess > 0 ? value >> BigInt(excess) : value);
  };
  /** A uniform scalar in [1, n - 1], from 64 more random bits than the order has (FIPS 186-5, A.2.1). */
  const randomScalar = (): bigint => (bytesToBigInt(randomBytes(size + 8)) % (Fn.ORDER - 1n)) + 1n;
  const privateScalar = (d: Uint8Array): bigint => {
    const value = bytesToBigInt(d);
    if (value <= 0n || value >= Fn.ORDER) throw new Error("The EC private key (d) is out of range for its curve.");
    return value;
  };
  const signatureScalars = (signature: Uint8Array): { r: bigint; s: bigint } | undefined => {
    if (signature.length !== 2 * size) return undefined;
    const r = bytesToBigInt(signature.subarray(0, size));
    const s = bytesToBigInt(signature.subarray(size));
    return Fn.isValidNot0(r) && Fn.isValidNot0(s) ? { r, s } : undefined;
  };

  return {
    sign(d, digest) {
      const secret = privateScalar(d);
      const e = digestScalar(digest);
      for (;;) {
        const k = randomScalar();
        const r = Fn.create(xOfMultipleOfG(k));
        if (r === 0n) continue;
        // k⁻¹ as b·(k·b)⁻¹ with a random b: the inversion never sees k itself.
        const blind = randomScalar();
        const kInverse = Fn.mul(Fn.inv(Fn.mul(k, blind)), blind);
        const s = Fn.mul(kInverse, Fn.add(e, Fn.mul(r, secret)));
        if (s === 0n) continue;
        return Buffer.concat([bigIntToBytes(r, size), bigIntToBytes(s, size)]);
      }
    },
    verify(x, y, digest, signature) {
      if (signature.length !== 2 * size) return false;
      try {
        // Coordinates as exactly `size` bytes (a JWK may have dropped leading zeros); too long: not a point.
        const coordinate = (bytes: Uint8Array): Buffer => bigIntToBytes(bytesToBigInt(bytes), size);
        const point = Buffer.concat([Buffer.from([4]), coordinate(x), coordinate(y)]);
        return curve.verify(signature, digest, point, { prehash: false, lowS: false, format: "compact" });
      } catch {
        return false; // not a point of the curve
      }
    },
    verifyWithPrivateKey(d, digest, signature) {
      const scalars = signatureScalars(signature);
      if (!scalars) return false;
      const t = Fn.mul(Fn.add(digestScalar(digest), Fn.mul(scalars.r, privateScalar(d))), Fn.inv(scalars.s));
      return t !== 0n && Fn.create(xOfMultipleOfG(t)) === scalars.r;
    },
  };
}
