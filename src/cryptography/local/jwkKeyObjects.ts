import { type KeyObject, createPrivateKey, createPublicKey } from "node:crypto";
import { toBase64Url } from "../../util/encoding.js";
import { keyVaultCurve } from "../../jose/curves.js";
import { nodeJwk } from "../../jose/jwk.js";
import type { HashName } from "../../jose/hashes.js";
import { pssSigningKey } from "../../jose/pss.js";
import { assertStrongRsaPublicKey, rsaModulusBits } from "../../jose/rsaKeys.js";
import type { JsonWebKeyFields } from "../../models/jsonWebKey.js";
import { keyFamilyOfKeyType } from "../algorithms.js";

/**
 * node:crypto key objects for one JsonWebKey, made on first use and kept. The `-HSM` key types are the
 * same keys as far as local cryptography goes (the official package refuses them locally; this does not).
 * @internal
 */
export class JwkKeyObjects {
  private publicKey?: KeyObject;
  private privateKey?: KeyObject;
  private readonly pssKeys = new Map<HashName, KeyObject>();
  private strongRsaKey = false;

  constructor(readonly jwk: JsonWebKeyFields) {}

  /** The public key, made from n/e or crv/x/y. */
  public(): KeyObject {
    this.publicKey ??= createPublicKey({ key: this.nodeJwk(false), format: "jwk" });
    return this.publicKey;
  }

  /** The private key; the JWK must hold d (and the CRT parameters for RSA). */
  private(): KeyObject {
    this.privateKey ??= createPrivateKey({ key: this.nodeJwk(true), format: "jwk" });
    return this.privateKey;
  }

  /** The private key as an RSASSA-PSS key for `hash` digests (see jose/pss.ts), made once per hash. */
  pssKey(hash: HashName): KeyObject {
    let key = this.pssKeys.get(hash);
    if (key === undefined) this.pssKeys.set(hash, (key = pssSigningKey(this.private(), hash)));
    return key;
  }

  /** The size of the RSA modulus in bits. */
  rsaModulusBits(): number {
    const n = this.jwk.n;
    if (!n) throw new Error("The RSA key has no modulus (n).");
    return rsaModulusBits(n);
  }

  /**
   * Refuses (Error naming the size or the exponent) an RSA public key too weak to use: a modulus under
   * 2048 bits, or a public exponent that is not an odd number of at least 3. Checked once per key.
   */
  assertStrongRsaKey(): void {
    if (this.strongRsaKey) return;
    const { n, e } = this.jwk;
    if (!n || !e) throw new Error(`The RSA key has no ${n ? "public exponent (e)" : "modulus (n)"}.`);
    assertStrongRsaPublicKey(n, e);
    this.strongRsaKey = true;
  }

  private nodeJwk(withPrivate: boolean): import("node:crypto").JsonWebKey {
    const jwk = this.jwk;
    const family = keyFamilyOfKeyType(jwk.kty);
    if (family !== "RSA" && family !== "EC")
      throw new Error(`Key type ${String(jwk.kty)} has no public/private key pair.`);
    return nodeJwk(
      family,
      (name) => {
        if (name === "crv") {
          if (!keyVaultCurve(jwk.crv)) throw new Error(`The EC curve ${String(jwk.crv)} is not supported locally.`);
          return jwk.crv;
        }
        const bytes = jwk[name as "n"];
        if (!bytes) throw new Error(`The ${jwk.kty} key has no ${name}: it is needed for this local operation.`);
        return toBase64Url(bytes);
      },
      withPrivate,
    );
  }
}
