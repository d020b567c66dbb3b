/**
 * ECDSA over a digest the caller computed, as Key Vault's sign and verify take it (node:crypto signs and
 * verifies only messages it hashes itself). Signatures are r || s (IEEE P1363), each as long as a
 * coordinate. No curve arithmetic is written here:
 * - every multiplication of the generator G (k·G when signing, u1·G when verifying) is OpenSSL's, through
 *   node:crypto's ECDH (setPrivateKey computes scalar·G): constant-time, and with no precomputed table
 *   to build and hold, which in JavaScript blocks the event loop on a curve's first use;
 * - the arithmetic modulo the group order, and the multiplication and addition of the public point when
 *   verifying (u2·Q, then u1·G + u2·Q: OpenSSL offers no door to them) are `@noble/curves`', loaded on
 *   first use.
 * Where the private key is held and known to match the public key (the emulator's keys), a signature is
 * checked as x((e + r·d)·s⁻¹ · G) = r, the same equation as u1·G + u2·Q with Q = d·G, with one
 * OpenSSL multiplication.
 * @internal
 */
import { createECDH, randomBytes } from "node:crypto";
import type { CurveFnWithCreate } from "@noble/curves/_shortw_utils";
import type { WeierstrassPoint } from "@noble/curves/abstract/weierstrass";
import { bigIntToBytes, bytesToBigInt } from "./bytes.js";
import { type CurveNames, keyVaultCurve } from "./curves.js";

/** ECDSA on one curve. @internal */
export interface Ecdsa {
  /** Signs a digest with the private scalar `d`; answers r || s. */
  sign(d: Uint8Array, digest: Uint8Array): Buffer;
  /** The public point (x, y), checked to be on the curve (an Error when it is not), to verify with. */
  publicKey(x: Uint8Array, y: Uint8Array): EcdsaPublicKey;
  /** The same answer as `publicKey(x, y).verify` for the public point of `d`; only for a `d` known to match it. */
  verifyWithPrivateKey(d: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean;
}

/** One public key to verify with; keep it for the key's later verifications. @internal */
export interface EcdsaPublicKey {
  /** Whether `signature` (r || s) signs `digest`; false for any mismatch. */
  verify(digest: Uint8Array, signature: Uint8Array): boolean;
}

/** The window of the public point's table of multiples, built at its second verification. */
const publicPointWindow = 4;

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

  /** scalar·G (04 || x || y), by OpenSSL; the ECDH object (which then holds the scalar) is not kept. */
  const multipleOfG = (scalar: bigint): Buffer => {
    const ecdh = createECDH(names.opensslName);
    ecdh.setPrivateKey(bigIntToBytes(scalar, size));
    return ecdh.getPublicKey();
  };
  const xOfMultipleOfG = (scalar: bigint): bigint => bytesToBigInt(multipleOfG(scalar).subarray(1, 1 + size));
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
    publicKey(x, y) {
      // Coordinates as exactly `size` bytes (a JWK may have dropped leading zeros).
      const coordinate = (bytes: Uint8Array): Buffer => bigIntToBytes(bytesToBigInt(bytes), size);
      let point: WeierstrassPoint<bigint>;
      try {
        point = curve.Point.fromBytes(Buffer.concat([Buffer.from([4]), coordinate(x), coordinate(y)]));
      } catch {
        throw new Error(`The EC key's public point (x, y) is not a point of its curve.`);
      }
      let verifications = 0;
      return {
        verify(digest, signature) {
          const scalars = signatureScalars(signature);
          if (!scalars) return false;
          // A key that verifies twice is likely kept: it gets a table of its multiples for u2·Q from then
          // on; a key verifying once does not pay for building one.
          if (++verifications === 2) point = point.precompute(publicPointWindow, false);
          const w = Fn.inv(scalars.s);
          const u1 = Fn.mul(digestScalar(digest), w);
          const u2 = Fn.mul(scalars.r, w);
          const u1G = u1 === 0n ? curve.Point.ZERO : curve.Point.fromBytes(multipleOfG(u1));
          const sum = u1G.add(point.multiplyUnsafe(u2));
          return !sum.is0() && Fn.create(sum.toAffine().x) === scalars.r;
        },
      };
    },
    verifyWithPrivateKey(d, digest, signature) {
      const scalars = signatureScalars(signature);
      if (!scalars) return false;
      const t = Fn.mul(Fn.add(digestScalar(digest), Fn.mul(scalars.r, privateScalar(d))), Fn.inv(scalars.s));
      return t !== 0n && Fn.create(xOfMultipleOfG(t)) === scalars.r;
    },
  };
}
