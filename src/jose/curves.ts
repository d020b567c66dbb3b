/**
 * Key Vault's elliptic curves: their JWK names (`crv`), the names node:crypto gives them (to generate
 * keys, and in its own JWKs), and the byte size of a coordinate, of r and of s.
 * @internal
 */

/** One curve. @internal */
export interface CurveNames {
  /** The OpenSSL name (generateKeyPair, createECDH). */
  opensslName: string;
  /** The `crv` of node:crypto's JWKs. */
  nodeJwkName: string;
  /** Bytes of one coordinate, and of r and of s in a signature. */
  bytes: number;
}

/** Every curve of Key Vault, by JWK `crv`. @internal */
export const keyVaultCurves: Readonly<Record<string, CurveNames>> = {
  "P-256": { opensslName: "prime256v1", nodeJwkName: "P-256", bytes: 32 },
  "P-256K": { opensslName: "secp256k1", nodeJwkName: "secp256k1", bytes: 32 },
  "P-384": { opensslName: "secp384r1", nodeJwkName: "P-384", bytes: 48 },
  "P-521": { opensslName: "secp521r1", nodeJwkName: "P-521", bytes: 66 },
};

/** The curve of a Key Vault `crv`, or undefined for one Key Vault does not have. @internal */
export function keyVaultCurve(crv: string | undefined): CurveNames | undefined {
  return crv !== undefined && Object.prototype.hasOwnProperty.call(keyVaultCurves, crv)
    ? keyVaultCurves[crv]
    : undefined;
}

/** The Key Vault `crv` of a curve of node:crypto's JWKs (`secp256k1` is `P-256K`). @internal */
export function keyVaultCurveName(nodeJwkName: string): string {
  const found = Object.entries(keyVaultCurves).find(([, curve]) => curve.nodeJwkName === nodeJwkName);
  return found ? found[0] : nodeJwkName;
}
