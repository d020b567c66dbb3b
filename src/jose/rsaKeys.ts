/**
 * RSA key sizes, and the refusal of public keys too weak to use: Key Vault never holds an RSA key under
 * 2048 bits, and a public exponent of 1 (or any even one) makes encryption and verification meaningless
 * (with e = 1 the "ciphertext" is the plaintext).
 * @internal
 */
import { bytesToBigInt, withoutLeadingZeros } from "./bytes.js";

/** The smallest RSA modulus used locally, in bits (the smallest Key Vault creates or imports). @internal */
export const minimumRsaModulusBits = 2048;

/** The size of an RSA modulus in bits (leading zero bytes do not count). @internal */
export function rsaModulusBits(n: Uint8Array): number {
  const significant = withoutLeadingZeros(n);
  if (significant.length === 0) return 0;
  return (significant.length - 1) * 8 + (32 - Math.clz32(significant[0] ?? 0));
}

/** Why an RSA public key is too weak to use, or undefined when it is not. @internal */
export function rsaPublicKeyWeakness(n: Uint8Array, e: Uint8Array): string | undefined {
  const bits = rsaModulusBits(n);
  if (bits < minimumRsaModulusBits) {
    return `The RSA key is too small: its modulus has ${bits} bits, and at least ${minimumRsaModulusBits} are needed.`;
  }
  const exponent = bytesToBigInt(e);
  if (exponent < 3n || exponent % 2n === 0n) {
    const shown = exponent.toString();
    return `The RSA key's public exponent ${shown.length > 24 ? `${shown.slice(0, 24)}...` : shown} is not allowed: it must be an odd number of at least 3 (65537 in practice).`;
  }
  return undefined;
}

/** Throws an Error naming the key size or exponent when the RSA public key is too weak to use. @internal */
export function assertStrongRsaPublicKey(n: Uint8Array, e: Uint8Array): void {
  const weakness = rsaPublicKeyWeakness(n, e);
  if (weakness !== undefined) throw new Error(weakness);
}
