/**
 * ECDSA over a digest the caller already computed. node:crypto only signs messages (it hashes them
 * itself), while Key Vault's sign/verify take the digest, so the curve arithmetic is done here with
 * BigInt (affine coordinates; fine for an emulator, not constant-time). Curve constants are the
 * published SEC 2 / FIPS 186 domain parameters.
 * @internal
 */
import { randomBytes } from "node:crypto";
import { bigIntToBytes, bytesToBigInt } from "./encoding.js";

interface Curve {
  p: bigint;
  a: bigint;
  b: bigint;
  gx: bigint;
  gy: bigint;
  n: bigint;
  bytes: number;
}

const curveParameters: Record<string, Curve> = {
  "P-256": {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    bytes: 32,
  },
  "P-256K": {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn,
    a: 0n,
    b: 7n,
    gx: 0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798n,
    gy: 0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8n,
    n: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n,
    bytes: 32,
  },
  "P-384": {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffcn,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bytes: 48,
  },
  "P-521": {
    p: (1n << 521n) - 1n,
    a: (1n << 521n) - 4n,
    b: 0x51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
    gx: 0xc6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66n,
    gy: 0x11839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650n,
    n: 0x1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    bytes: 66,
  },
};

type Point = { x: bigint; y: bigint } | null; // null is the point at infinity

function mod(value: bigint, m: bigint): bigint {
  const r = value % m;
  return r < 0n ? r + m : r;
}

function inverse(value: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(value, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, m);
}

function add(curve: Curve, p1: Point, p2: Point): Point {
  if (!p1) return p2;
  if (!p2) return p1;
  const { p } = curve;
  let slope: bigint;
  if (p1.x === p2.x) {
    if (mod(p1.y + p2.y, p) === 0n) return null;
    slope = mod((3n * p1.x * p1.x + curve.a) * inverse(2n * p1.y, p), p);
  } else {
    slope = mod((p2.y - p1.y) * inverse(p2.x - p1.x, p), p);
  }
  const x = mod(slope * slope - p1.x - p2.x, p);
  return { x, y: mod(slope * (p1.x - x) - p1.y, p) };
}

function multiply(curve: Curve, k: bigint, point: Point): Point {
  let result: Point = null;
  let addend = point;
  for (let rest = k; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = add(curve, result, addend);
    addend = add(curve, addend, addend);
  }
  return result;
}

function curveOf(crv: string): Curve {
  const curve = curveParameters[crv];
  if (!curve) throw new Error(`unsupported curve ${crv}`);
  return curve;
}

/** The digest as an integer, truncated to the bit length of n (FIPS 186-4, 6.4). */
function digestToInteger(curve: Curve, digest: Uint8Array): bigint {
  const nBits = curve.n.toString(2).length;
  let e = bytesToBigInt(digest);
  const excess = digest.length * 8 - nBits;
  if (excess > 0) e >>= BigInt(excess);
  return e;
}

/** Signs a digest; answers r||s (IEEE P1363), each padded to the curve size. @internal */
export function ecdsaSignDigest(crv: string, privateScalar: Uint8Array, digest: Uint8Array): Buffer {
  const curve = curveOf(crv);
  const d = bytesToBigInt(privateScalar);
  const e = digestToInteger(curve, digest);
  for (;;) {
    const k = mod(bytesToBigInt(randomBytes(curve.bytes + 8)), curve.n - 1n) + 1n;
    const point = multiply(curve, k, { x: curve.gx, y: curve.gy });
    if (!point) continue;
    const r = mod(point.x, curve.n);
    if (r === 0n) continue;
    const s = mod(inverse(k, curve.n) * (e + r * d), curve.n);
    if (s === 0n) continue;
    return Buffer.concat([bigIntToBytes(r, curve.bytes), bigIntToBytes(s, curve.bytes)]);
  }
}

/** Verifies an r||s signature over a digest with a public point. @internal */
export function ecdsaVerifyDigest(
  crv: string,
  publicX: Uint8Array,
  publicY: Uint8Array,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const curve = curveOf(crv);
  if (signature.length !== curve.bytes * 2) return false;
  const r = bytesToBigInt(signature.subarray(0, curve.bytes));
  const s = bytesToBigInt(signature.subarray(curve.bytes));
  if (r <= 0n || r >= curve.n || s <= 0n || s >= curve.n) return false;
  const e = digestToInteger(curve, digest);
  const w = inverse(s, curve.n);
  const u1 = mod(e * w, curve.n);
  const u2 = mod(r * w, curve.n);
  const q = { x: bytesToBigInt(publicX), y: bytesToBigInt(publicY) };
  const point = add(curve, multiply(curve, u1, { x: curve.gx, y: curve.gy }), multiply(curve, u2, q));
  return point !== null && mod(point.x, curve.n) === r;
}
