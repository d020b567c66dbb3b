/**
 * Key encodings: node:crypto's JWK of a Key Vault RSA or EC key, to make its KeyObjects from.
 * @internal
 */
import type { JsonWebKey as NodeJsonWebKey } from "node:crypto";
import { keyVaultCurve } from "./curves.js";

const members: Readonly<Record<"RSA" | "EC", { public: readonly string[]; private: readonly string[] }>> = {
  RSA: { public: ["n", "e"], private: ["d", "p", "q", "dp", "dq", "qi"] },
  EC: { public: ["crv", "x", "y"], private: ["d"] },
};

/**
 * The node:crypto JWK of a key of `family`, each member read with `member` (base64url, or the curve name
 * for `crv`, which becomes node's name: `P-256K` is `secp256k1`); with the private members when asked.
 * `member` decides what a missing member means (throw, or leave it out).
 * @internal
 */
export function nodeJwk(
  family: "RSA" | "EC",
  member: (name: string) => string | undefined,
  includePrivate: boolean,
): NodeJsonWebKey {
  const jwk: NodeJsonWebKey = { kty: family };
  for (const name of [...members[family].public, ...(includePrivate ? members[family].private : [])]) {
    const value = member(name);
    if (value !== undefined) jwk[name] = name === "crv" ? (keyVaultCurve(value)?.nodeJwkName ?? value) : value;
  }
  return jwk;
}
