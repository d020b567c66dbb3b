/**
 * sign and verify over a client-computed digest, as Key Vault does: RS*, PS*, RSNULL with RSA keys and
 * ES* with EC keys, through the shared primitives of `jose/` (OpenSSL through node:crypto for RSA and
 * for the secret scalar multiplications of ECDSA). Signatures are the raw bytes (r||s for ECDSA).
 * @internal
 */
import type { JsonWebKey } from "../../generated/models.js";
import { loadEcdsa } from "../../jose/ecdsa.js";
import { type HashName, digestLength } from "../../jose/hashes.js";
import { pssSigningKey } from "../../jose/pss.js";
import { type RsaSignatureScheme, rsaSignDigest, rsaVerifyDigest } from "../../jose/rsaSignatures.js";
import { badParameter } from "../vault/errors.js";
import { familyOf, jwkBytes, privateKeyObject, publicKeyObject } from "./keyMaterial.js";

interface SignatureAlgorithm {
  family: "RSA" | "EC";
  scheme: RsaSignatureScheme | "ecdsa";
  hash?: HashName;
  curve?: string;
}

const signatureAlgorithms: Record<string, SignatureAlgorithm> = {
  RS256: { family: "RSA", scheme: "pkcs1", hash: "sha256" },
  RS384: { family: "RSA", scheme: "pkcs1", hash: "sha384" },
  RS512: { family: "RSA", scheme: "pkcs1", hash: "sha512" },
  PS256: { family: "RSA", scheme: "pss", hash: "sha256" },
  PS384: { family: "RSA", scheme: "pss", hash: "sha384" },
  PS512: { family: "RSA", scheme: "pss", hash: "sha512" },
  RSNULL: { family: "RSA", scheme: "none" },
  ES256: { family: "EC", scheme: "ecdsa", hash: "sha256", curve: "P-256" },
  ES256K: { family: "EC", scheme: "ecdsa", hash: "sha256", curve: "P-256K" },
  ES384: { family: "EC", scheme: "ecdsa", hash: "sha384", curve: "P-384" },
  ES512: { family: "EC", scheme: "ecdsa", hash: "sha512", curve: "P-521" },
};

/** Every signature algorithm the emulator implements. @internal */
export const supportedSignatureAlgorithms = Object.keys(signatureAlgorithms);

function resolve(alg: unknown, material: JsonWebKey, digest: Buffer): SignatureAlgorithm {
  if (typeof alg !== "string") throw badParameter("The parameter 'alg' is required and must be a string.");
  const algorithm = Object.prototype.hasOwnProperty.call(signatureAlgorithms, alg)
    ? signatureAlgorithms[alg]
    : undefined;
  if (!algorithm) {
    throw badParameter(
      `The signature algorithm '${alg}' is not supported. Expected one of ${supportedSignatureAlgorithms.join(", ")}.`,
    );
  }
  const family = familyOf(material.kty ?? "");
  if (algorithm.family !== family)
    throw badParameter(`The algorithm '${alg}' is not valid for a key of type ${material.kty}.`);
  if (algorithm.curve && algorithm.curve !== material.crv) {
    throw badParameter(`The algorithm '${alg}' requires curve ${algorithm.curve}, but the key uses ${material.crv}.`);
  }
  if (algorithm.hash && digest.length !== digestLength[algorithm.hash]) {
    throw badParameter(
      `Invalid digest length ${digest.length} for algorithm '${alg}'; expected ${digestLength[algorithm.hash]} bytes.`,
    );
  }
  return algorithm;
}

/** Signs `digest` with the key; throws 400 for an unsuitable algorithm or digest. @internal */
export async function signDigest(material: JsonWebKey, alg: unknown, digest: Buffer): Promise<Buffer> {
  const algorithm = resolve(alg, material, digest);
  if (algorithm.scheme === "ecdsa") return (await loadEcdsa(material.crv)).sign(jwkBytes(material, "d"), digest);
  const privateKey = privateKeyObject(material);
  try {
    return rsaSignDigest(
      { privateKey, pssKey: (hash) => pssSigningKey(privateKey, hash) },
      algorithm.scheme,
      algorithm.hash,
      digest,
    );
  } catch (error) {
    throw badParameter(`The value cannot be signed with this key: ${(error as Error).message}`);
  }
}

/**
 * Verifies `signature` over `digest`; false for any mismatch or malformed signature. An EC signature is
 * checked with the private scalar, which the emulator holds and has checked against the public point
 * at creation or import (see jose/ecdsa.ts): the same answer, with one OpenSSL multiplication.
 * @internal
 */
export async function verifyDigest(
  material: JsonWebKey,
  alg: unknown,
  digest: Buffer,
  signature: Buffer,
): Promise<boolean> {
  const algorithm = resolve(alg, material, digest);
  if (algorithm.scheme === "ecdsa") {
    return (await loadEcdsa(material.crv)).verifyWithPrivateKey(jwkBytes(material, "d"), digest, signature);
  }
  return rsaVerifyDigest(publicKeyObject(material), algorithm.scheme, algorithm.hash, digest, signature);
}
