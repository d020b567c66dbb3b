import { createHash } from "node:crypto";
import type { JsonWebKeyFields } from "../../models/jsonWebKey.js";
import type { DecryptParameters, EncryptParameters } from "../../models/cryptographyModels.js";
import {
  type CipherAlgorithm,
  type SignatureAlgorithmInfo,
  cipherAlgorithm,
  signatureAlgorithm,
} from "../algorithms.js";
import { keyVaultCurve } from "../../jose/curves.js";
import { type Ecdsa, type EcdsaPublicKey, loadEcdsa } from "../../jose/ecdsa.js";
import { JwkKeyObjects } from "./jwkKeyObjects.js";
import { aesUnwrap, aesWrap, cbcDecrypt, cbcEncrypt, gcmDecrypt, gcmEncrypt, hmacSign, hmacVerify } from "./aes.js";
import { ecPublicKey, ecSignData, ecSignDigest, ecVerifyData } from "./ec.js";
import { keyFamilyOfKeyType } from "../algorithms.js";
import { rsaDecrypt, rsaEncrypt, rsaSign, rsaVerify, rsaVerifyData } from "./rsa.js";

/**
 * The local engine of one JsonWebKey; for an EC key on a known curve, with its ECDSA loaded (which loads
 * `@noble/curves`: only the first EC key pays for it).
 * @internal
 */
export async function createLocalCryptography(jwk: JsonWebKeyFields): Promise<LocalCryptography> {
  const ecdsa = keyFamilyOfKeyType(jwk.kty) === "EC" && keyVaultCurve(jwk.crv) ? await loadEcdsa(jwk.crv) : undefined;
  return new LocalCryptography(jwk, ecdsa);
}

/**
 * Local cryptography with one JsonWebKey: what the client runs without a request. This module (and
 * the node:crypto work under it) is loaded on the first local operation, not at `import`. The client
 * has already checked the parameters, the key's state and that the algorithm fits the key.
 * @internal
 */
export class LocalCryptography {
  private readonly keys: JwkKeyObjects;
  private ecPublic?: EcdsaPublicKey;

  constructor(
    jwk: JsonWebKeyFields,
    private readonly ecdsaOfKey?: Ecdsa,
  ) {
    this.keys = new JwkKeyObjects(jwk);
  }

  encrypt(params: EncryptParameters): {
    result: Uint8Array;
    iv?: Uint8Array;
    authenticationTag?: Uint8Array;
    additionalAuthenticatedData?: Uint8Array;
  } {
    const info = this.cipher(params.algorithm);
    const iv = "iv" in params ? params.iv : undefined;
    const aad = "additionalAuthenticatedData" in params ? params.additionalAuthenticatedData : undefined;
    switch (info.kind) {
      case "rsa":
        return { result: bytes(rsaEncrypt(this.keys, info, params.plaintext)) };
      case "aes-gcm": {
        const out = gcmEncrypt(this.secret(), params.plaintext, aad, iv);
        return {
          result: bytes(out.result),
          iv: bytes(out.iv),
          authenticationTag: bytes(out.authenticationTag),
          ...(aad ? { additionalAuthenticatedData: bytes(aad) } : {}),
        };
      }
      case "aes-cbc": {
        const out = cbcEncrypt(this.secret(), params.plaintext, info.padded, iv);
        return { result: bytes(out.result), iv: bytes(out.iv) };
      }
      default:
        throw unsupported("encrypt", params.algorithm);
    }
  }

  decrypt(params: DecryptParameters): Uint8Array {
    const info = this.cipher(params.algorithm);
    switch (info.kind) {
      case "rsa":
        return bytes(rsaDecrypt(this.keys, info, params.ciphertext, "decrypt"));
      case "aes-gcm": {
        const p = params as Extract<DecryptParameters, { authenticationTag: Uint8Array }>;
        return bytes(gcmDecrypt(this.secret(), p.ciphertext, p.iv, p.authenticationTag, p.additionalAuthenticatedData));
      }
      case "aes-cbc": {
        const p = params as Extract<DecryptParameters, { iv: Uint8Array }>;
        return bytes(cbcDecrypt(this.secret(), p.ciphertext, info.padded, p.iv));
      }
      default:
        throw unsupported("decrypt", params.algorithm);
    }
  }

  wrapKey(algorithm: string, key: Uint8Array): Uint8Array {
    const info = this.cipher(algorithm);
    if (info.kind === "rsa") return bytes(rsaEncrypt(this.keys, info, key));
    if (info.kind === "aes-kw") return bytes(aesWrap(this.secret(), key, info.padded));
    throw unsupported("wrapKey", algorithm);
  }

  unwrapKey(algorithm: string, encryptedKey: Uint8Array): Uint8Array {
    const info = this.cipher(algorithm);
    if (info.kind === "rsa") return bytes(rsaDecrypt(this.keys, info, encryptedKey, "unwrapKey"));
    if (info.kind === "aes-kw") return bytes(aesUnwrap(this.secret(), encryptedKey, info.padded));
    throw unsupported("unwrapKey", algorithm);
  }

  sign(algorithm: string, digest: Uint8Array): Uint8Array {
    const info = this.signature(algorithm);
    switch (info.kind) {
      case "rsa-pkcs1":
        return bytes(rsaSign(this.keys, "pkcs1", info.hash, digest));
      case "rsa-pss":
        return bytes(rsaSign(this.keys, "pss", info.hash, digest));
      case "rsa-null":
        return bytes(rsaSign(this.keys, "none", undefined, digest));
      case "ecdsa":
        return bytes(ecSignDigest(this.keys, this.ecdsa(), digest));
      case "hmac":
        return bytes(hmacSign(this.secret(), info.hash, digest));
    }
  }

  verify(algorithm: string, digest: Uint8Array, signature: Uint8Array): boolean {
    const info = this.signature(algorithm);
    switch (info.kind) {
      case "rsa-pkcs1":
        return rsaVerify(this.keys, "pkcs1", info.hash, digest, signature);
      case "rsa-pss":
        return rsaVerify(this.keys, "pss", info.hash, digest, signature);
      case "rsa-null":
        return rsaVerify(this.keys, "none", undefined, digest, signature);
      case "ecdsa":
        return (this.ecPublic ??= ecPublicKey(this.keys, this.ecdsa())).verify(digest, signature);
      case "hmac":
        return hmacVerify(this.secret(), info.hash, digest, signature);
    }
  }

  signData(algorithm: string, data: Uint8Array): Uint8Array {
    const info = this.signature(algorithm);
    if (info.kind === "ecdsa") return bytes(ecSignData(this.keys, info.hash, data));
    if (info.kind === "rsa-null") throw unsupported("signData", algorithm);
    return this.sign(algorithm, createHash(info.hash).update(data).digest());
  }

  verifyData(algorithm: string, data: Uint8Array, signature: Uint8Array): boolean {
    const info = this.signature(algorithm);
    switch (info.kind) {
      case "rsa-pkcs1":
        return rsaVerifyData(this.keys, "pkcs1", info.hash, data, signature);
      case "rsa-pss":
        return rsaVerifyData(this.keys, "pss", info.hash, data, signature);
      case "ecdsa":
        return ecVerifyData(this.keys, info.hash, data, signature);
      case "hmac":
        return hmacVerify(this.secret(), info.hash, createHash(info.hash).update(data).digest(), signature);
      default:
        throw unsupported("verifyData", algorithm);
    }
  }

  private ecdsa(): Ecdsa {
    if (!this.ecdsaOfKey) throw new Error(`The EC curve ${String(this.keys.jwk.crv)} is not supported locally.`);
    return this.ecdsaOfKey;
  }

  private secret(): Uint8Array {
    const k = this.keys.jwk.k;
    if (!k) throw new Error(`The ${this.keys.jwk.kty} key has no symmetric key material (k).`);
    return k;
  }

  private cipher(algorithm: string): CipherAlgorithm {
    const info = cipherAlgorithm(algorithm);
    if (!info) throw unsupported("encrypt/decrypt/wrap", algorithm);
    return info;
  }

  private signature(algorithm: string): SignatureAlgorithmInfo {
    const info = signatureAlgorithm(algorithm);
    if (!info) throw unsupported("sign/verify", algorithm);
    return info;
  }
}

function unsupported(operation: string, algorithm: string): Error {
  return new Error(`Local ${operation} with algorithm "${algorithm}" is not supported.`);
}

/** A plain Uint8Array copy of node's Buffer, as every result of this package holds. */
function bytes(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer);
}
