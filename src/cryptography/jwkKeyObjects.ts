import { type KeyObject, createPrivateKey, createPublicKey } from "node:crypto";
import { toBase64Url } from "../encoding.js";
import type { JsonWebKeyFields } from "../models/jsonWebKey.js";
import { keyFamilyOfKeyType } from "./algorithms.js";

/** Key Vault curve names to the names node:crypto's JWK import takes. */
const nodeCurveNames: Readonly<Record<string, string>> = {
  "P-256": "P-256",
  "P-384": "P-384",
  "P-521": "P-521",
  "P-256K": "secp256k1",
};

/**
 * node:crypto key objects for one JsonWebKey, made on first use and kept. The `-HSM` key types are the
 * same keys as far as local cryptography goes (the official package refuses them locally; this does not).
 * @internal
 */
export class JwkKeyObjects {
  private publicKey?: KeyObject;
  private privateKey?: KeyObject;

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

  /** The size of the RSA modulus in bits. */
  rsaModulusBits(): number {
    const n = this.jwk.n;
    if (!n) throw new Error("The RSA key has no modulus (n).");
    let start = 0;
    while (start < n.length && n[start] === 0) start++;
    const first = n[start] ?? 0;
    return (n.length - start - 1) * 8 + (32 - Math.clz32(first));
  }

  private nodeJwk(withPrivate: boolean): import("node:crypto").JsonWebKey {
    const jwk = this.jwk;
    const b64 = (bytes: Uint8Array | undefined, field: string): string => {
      if (!bytes) throw new Error(`The ${jwk.kty} key has no ${field}: it is needed for this local operation.`);
      return toBase64Url(bytes);
    };
    switch (keyFamilyOfKeyType(jwk.kty)) {
      case "RSA": {
        const out: import("node:crypto").JsonWebKey = { kty: "RSA", n: b64(jwk.n, "n"), e: b64(jwk.e, "e") };
        if (withPrivate) {
          out.d = b64(jwk.d, "d");
          out.p = b64(jwk.p, "p");
          out.q = b64(jwk.q, "q");
          out.dp = b64(jwk.dp, "dp");
          out.dq = b64(jwk.dq, "dq");
          out.qi = b64(jwk.qi, "qi");
        }
        return out;
      }
      case "EC": {
        const crv = jwk.crv === undefined ? undefined : nodeCurveNames[jwk.crv];
        if (!crv) throw new Error(`The EC curve ${String(jwk.crv)} is not supported locally.`);
        const out: import("node:crypto").JsonWebKey = { kty: "EC", crv, x: b64(jwk.x, "x"), y: b64(jwk.y, "y") };
        if (withPrivate) out.d = b64(jwk.d, "d");
        return out;
      }
      default:
        throw new Error(`Key type ${String(jwk.kty)} has no public/private key pair.`);
    }
  }
}
