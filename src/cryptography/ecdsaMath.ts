/**
 * ECDSA over a digest, with BigInt curve arithmetic (Jacobian coordinates). node:crypto only signs and
 * verifies messages (it hashes them itself, and a null digest means SHA-256 for EC keys), while Key
 * Vault's sign and verify take the digest. Verification needs no secret; signing here is not
 * constant-time and is used only for a local-only client's `sign` with a private JWK (`signData` uses
 * node:crypto). Domain parameters are those of SEC 2 (secp256k1) and FIPS 186-4 (P-256, P-384, P-521).
 * @internal
 */
import { randomBytes } from "node:crypto";

interface Curve {
  p: bigint;
  a: bigint;
  b: bigint;
  gx: bigint;
  gy: bigint;
  n: bigint;
  /** Bytes of one coordinate and of r and s. */
  size: number;
}

const hex = (text: string): bigint => BigInt(`0x${text.replace(/\s+/g, "")}`);

const curves: Readonly<Record<string, Curve>> = {
  "P-256": {
    p: hex("ffffffff 00000001 00000000 00000000 00000000 ffffffff ffffffff ffffffff"),
    a: hex("ffffffff 00000001 00000000 00000000 00000000 ffffffff ffffffff fffffffc"),
    b: hex("5ac635d8 aa3a93e7 b3ebbd55 769886bc 651d06b0 cc53b0f6 3bce3c3e 27d2604b"),
    gx: hex("6b17d1f2 e12c4247 f8bce6e5 63a440f2 77037d81 2deb33a0 f4a13945 d898c296"),
    gy: hex("4fe342e2 fe1a7f9b 8ee7eb4a 7c0f9e16 2bce3357 6b315ece cbb64068 37bf51f5"),
    n: hex("ffffffff 00000000 ffffffff ffffffff bce6faad a7179e84 f3b9cac2 fc632551"),
    size: 32,
  },
  "P-256K": {
    p: hex("ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff fffffffe fffffc2f"),
    a: 0n,
    b: 7n,
    gx: hex("79be667e f9dcbbac 55a06295 ce870b07 029bfcdb 2dce28d9 59f2815b 16f81798"),
    gy: hex("483ada77 26a3c465 5da4fbfc 0e1108a8 fd17b448 a6855419 9c47d08f fb10d4b8"),
    n: hex("ffffffff ffffffff ffffffff fffffffe baaedce6 af48a03b bfd25e8c d0364141"),
    size: 32,
  },
  "P-384": {
    p: (1n << 384n) - (1n << 128n) - (1n << 96n) + (1n << 32n) - 1n,
    a: (1n << 384n) - (1n << 128n) - (1n << 96n) + (1n << 32n) - 4n,
    b: hex("b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef"),
    gx: hex("aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7"),
    gy: hex("3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f"),
    n: hex("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
    size: 48,
  },
  "P-521": {
    p: (1n << 521n) - 1n,
    a: (1n << 521n) - 4n,
    b: hex(
      "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
    ),
    gx: hex(
      "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
    ),
    gy: hex(
      "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
    ),
    n: hex(
      "01ff" + "ffffffff".repeat(7) + "fffffffa" + "51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
    ),
    size: 66,
  },
};

/** A point in Jacobian coordinates; Z = 0 is the point at infinity. */
interface Jacobian {
  x: bigint;
  y: bigint;
  z: bigint;
}

const infinity: Jacobian = { x: 1n, y: 1n, z: 0n };

function mod(value: bigint, m: bigint): bigint {
  const r = value % m;
  return r < 0n ? r + m : r;
}

/** Modular inverse by the extended Euclidean algorithm; `m` is prime here. */
function invert(value: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(value, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error("ECDSA: value has no inverse.");
  return mod(oldS, m);
}

function double(c: Curve, point: Jacobian): Jacobian {
  if (point.z === 0n || point.y === 0n) return infinity;
  const { p } = c;
  const y2 = mod(point.y * point.y, p);
  const s = mod(4n * point.x * y2, p);
  const z2 = mod(point.z * point.z, p);
  const m = mod(3n * point.x * point.x + c.a * z2 * z2, p);
  const x = mod(m * m - 2n * s, p);
  const y = mod(m * (s - x) - 8n * y2 * y2, p);
  const z = mod(2n * point.y * point.z, p);
  return { x, y, z };
}

function add(c: Curve, a: Jacobian, b: Jacobian): Jacobian {
  if (a.z === 0n) return b;
  if (b.z === 0n) return a;
  const { p } = c;
  const az2 = mod(a.z * a.z, p);
  const bz2 = mod(b.z * b.z, p);
  const u1 = mod(a.x * bz2, p);
  const u2 = mod(b.x * az2, p);
  const s1 = mod(a.y * bz2 * b.z, p);
  const s2 = mod(b.y * az2 * a.z, p);
  if (u1 === u2) return s1 === s2 ? double(c, a) : infinity;
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const h2 = mod(h * h, p);
  const h3 = mod(h2 * h, p);
  const x = mod(r * r - h3 - 2n * u1 * h2, p);
  const y = mod(r * (u1 * h2 - x) - s1 * h3, p);
  const z = mod(h * a.z * b.z, p);
  return { x, y, z };
}

function multiply(c: Curve, point: Jacobian, scalar: bigint): Jacobian {
  let result = infinity;
  for (let bit = BigInt(scalar.toString(2).length - 1); bit >= 0n; bit--) {
    result = double(c, result);
    if ((scalar >> bit) & 1n) result = add(c, result, point);
  }
  return result;
}

function affineX(c: Curve, point: Jacobian): bigint {
  const zInv = invert(point.z, c.p);
  return mod(point.x * zInv * zInv, c.p);
}

function curveOf(name: string): Curve {
  const c = curves[name];
  if (!c) throw new Error(`The EC curve ${name} is not supported locally.`);
  return c;
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
}

function toBytes(value: bigint, size: number): Buffer {
  return Buffer.from(value.toString(16).padStart(size * 2, "0"), "hex");
}

/** The digest as an integer, truncated to the bit length of the group order (SEC 1, 4.1.3 step 5). */
function digestToInteger(c: Curve, digest: Uint8Array): bigint {
  const orderBits = c.n.toString(2).length;
  const value = toBigInt(digest);
  const excess = digest.length * 8 - orderBits;
  return excess > 0 ? value >> BigInt(excess) : value;
}

/** Whether (x, y) is a point of the curve. @internal */
export function isOnCurve(curveName: string, x: Uint8Array, y: Uint8Array): boolean {
  const c = curveOf(curveName);
  const px = toBigInt(x);
  const py = toBigInt(y);
  if (px >= c.p || py >= c.p) return false;
  return mod(py * py - (px * px * px + c.a * px + c.b), c.p) === 0n;
}

/** Signs a digest with private scalar `d`; the signature is r || s (IEEE P1363). @internal */
export function ecdsaSignDigest(curveName: string, d: Uint8Array, digest: Uint8Array): Buffer {
  const c = curveOf(curveName);
  const secret = toBigInt(d);
  if (secret <= 0n || secret >= c.n) throw new Error("The EC private key (d) is out of range for its curve.");
  const e = digestToInteger(c, digest);
  const g: Jacobian = { x: c.gx, y: c.gy, z: 1n };
  for (;;) {
    const k = mod(toBigInt(randomBytes(c.size + 16)), c.n - 1n) + 1n;
    const r = mod(affineX(c, multiply(c, g, k)), c.n);
    if (r === 0n) continue;
    const s = mod(invert(k, c.n) * (e + r * secret), c.n);
    if (s === 0n) continue;
    return Buffer.concat([toBytes(r, c.size), toBytes(s, c.size)]);
  }
}

/** Verifies an r || s signature over a digest with the public point (x, y). @internal */
export function ecdsaVerifyDigest(
  curveName: string,
  x: Uint8Array,
  y: Uint8Array,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const c = curveOf(curveName);
  if (signature.length !== 2 * c.size || !isOnCurve(curveName, x, y)) return false;
  const r = toBigInt(signature.subarray(0, c.size));
  const s = toBigInt(signature.subarray(c.size));
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  const w = invert(s, c.n);
  const u1 = mod(digestToInteger(c, digest) * w, c.n);
  const u2 = mod(r * w, c.n);
  const g: Jacobian = { x: c.gx, y: c.gy, z: 1n };
  const q: Jacobian = { x: toBigInt(x), y: toBigInt(y), z: 1n };
  const point = add(c, multiply(c, g, u1), multiply(c, q, u2));
  if (point.z === 0n) return false;
  return mod(affineX(c, point), c.n) === r;
}

/** Byte size of r and s on a curve. @internal */
export function signatureSize(curveName: string): number {
  return curveOf(curveName).size;
}
