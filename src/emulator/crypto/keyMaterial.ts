/**
 * Key material: generating and importing keys, turning stored JWKs into node:crypto KeyObjects, and
 * the public view of a key that answers carry (never a private member).
 * @internal
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";
import { promisify } from "node:util";
import type { JsonWebKey } from "../../generated/models.js";
import { keyVaultCurve, keyVaultCurveName, keyVaultCurves } from "../../jose/curves.js";
import { nodeJwk } from "../../jose/jwk.js";
import { bytesToBigInt, withoutLeadingZeros } from "../../jose/bytes.js";
import { rsaModulusBits as modulusBits, rsaPublicKeyWeakness } from "../../jose/rsaKeys.js";
import { badParameter } from "../vault/errors.js";
import { fromBase64Url, isJsonObject, toBase64Url } from "../vault/encoding.js";

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * A new key pair's private JWK. The pair comes out of the generation job as DER and is exported from a
 * key object of its own: on Node 20, exporting a key that the finished job still shares can deadlock
 * when a garbage collection destroys the job during the export.
 */
async function generatedJwk(
  type: "rsa" | "ec",
  options: { modulusLength: number; publicExponent: number } | { namedCurve: string },
): Promise<JsonWebKey> {
  const { privateKey } = await generateKeyPairAsync(type as "rsa", {
    ...(options as { modulusLength: number }),
    privateKeyEncoding: { type: "pkcs8", format: "der" },
    publicKeyEncoding: { type: "spki", format: "der" },
  });
  return createPrivateKey({ key: privateKey, format: "der", type: "pkcs8" }).export({ format: "jwk" });
}

/** The three families of key types. @internal */
export type KeyFamily = "RSA" | "EC" | "oct";

/** Every kty this emulator accepts. @internal */
export const supportedKeyTypes = ["RSA", "RSA-HSM", "EC", "EC-HSM", "oct", "oct-HSM"] as const;

/** Every key operation name of the spec. @internal */
export const knownKeyOperations = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey", "import", "export"];

/** RSA sizes the vault creates and imports. @internal */
export const rsaKeySizes = [2048, 3072, 4096];
/** Symmetric key sizes in bits. @internal */
export const octKeySizes = [128, 192, 256];
/** The curves of the spec, as error messages list them. */
const curveNames = Object.keys(keyVaultCurves);

/** The family of a kty (callers validated the kty). @internal */
export function familyOf(kty: string): KeyFamily {
  if (kty.startsWith("RSA")) return "RSA";
  if (kty.startsWith("EC")) return "EC";
  return "oct";
}

/** True when the kty names an HSM-protected key. @internal */
export function isHsmKeyType(kty: string): boolean {
  return kty.endsWith("-HSM");
}

/** Checks a kty, naming it in the error. @internal */
export function checkKeyType(kty: unknown): string {
  if (typeof kty !== "string" || !(supportedKeyTypes as readonly string[]).includes(kty)) {
    throw badParameter(
      `The parameter 'kty' has an invalid value: ${JSON.stringify(kty)}. Expected one of ${supportedKeyTypes.join(", ")}.`,
    );
  }
  return kty;
}

/** The operations a new key of that family gets when none are given. @internal */
export function defaultKeyOperations(family: KeyFamily): string[] {
  if (family === "RSA") return ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"];
  if (family === "EC") return ["sign", "verify"];
  return ["encrypt", "decrypt", "wrapKey", "unwrapKey"];
}

/** Validates a key_ops array of a request. @internal */
export function checkKeyOperations(value: unknown, field = "key_ops"): string[] {
  if (!Array.isArray(value) || value.some((op) => typeof op !== "string")) {
    throw badParameter(`The parameter '${field}' must be an array of strings.`);
  }
  for (const op of value as string[]) {
    if (!knownKeyOperations.includes(op)) {
      throw badParameter(
        `The parameter '${field}' has an invalid operation: '${op}'. Expected one of ${knownKeyOperations.join(", ")}.`,
      );
    }
  }
  return [...new Set(value as string[])];
}

/** What a create request asks for. @internal */
export interface KeyGenerationRequest {
  kty: string;
  keySize?: number;
  publicExponent?: number;
  crv?: string;
}

/** Generates new key material (wire-format JWK with private parts). @internal */
export async function generateKeyMaterial(request: KeyGenerationRequest): Promise<JsonWebKey> {
  const family = familyOf(request.kty);
  if (family === "RSA") {
    if (request.crv !== undefined) throw badParameter("The parameter 'crv' is not valid for RSA keys.");
    const size = request.keySize ?? 2048;
    if (!rsaKeySizes.includes(size)) {
      throw badParameter(
        `The parameter 'key_size' has an invalid value: ${size}. RSA keys must be 2048, 3072 or 4096 bits.`,
      );
    }
    const publicExponent = request.publicExponent ?? 65537;
    if (
      !Number.isInteger(publicExponent) ||
      publicExponent < 3 ||
      publicExponent % 2 === 0 ||
      publicExponent > 0x7fffffff
    ) {
      throw badParameter(
        `The parameter 'public_exponent' has an invalid value: ${publicExponent}. It must be an odd integer of at least 3.`,
      );
    }
    return fromNodeJwk(await generatedJwk("rsa", { modulusLength: size, publicExponent }), request.kty);
  }
  if (family === "EC") {
    if (request.keySize !== undefined)
      throw badParameter("The parameter 'key_size' is not valid for EC keys; use 'crv'.");
    const crv = request.crv ?? "P-256";
    const curve = keyVaultCurve(crv);
    if (!curve)
      throw badParameter(
        `The parameter 'crv' has an invalid value: ${JSON.stringify(crv)}. Expected one of ${curveNames.join(", ")}.`,
      );
    return fromNodeJwk(await generatedJwk("ec", { namedCurve: curve.opensslName }), request.kty);
  }
  if (request.crv !== undefined) throw badParameter("The parameter 'crv' is not valid for symmetric keys.");
  const size = request.keySize ?? 256;
  if (!octKeySizes.includes(size)) {
    throw badParameter(
      `The parameter 'key_size' has an invalid value: ${size}. Symmetric keys must be 128, 192 or 256 bits.`,
    );
  }
  return { kty: request.kty, k: toBase64Url(randomBytes(size / 8)) };
}

function fromNodeJwk(jwk: JsonWebKey, kty: string): JsonWebKey {
  const material: JsonWebKey = { ...jwk, kty };
  if (jwk.crv !== undefined) material.crv = keyVaultCurveName(jwk.crv);
  return material;
}

const base64UrlMembers = ["n", "e", "d", "p", "q", "dp", "dq", "qi", "k", "x", "y"] as const;

/** A member of a JWK that holds bytes (base64url). @internal */
export type JwkBytesMember = (typeof base64UrlMembers)[number];

/** The bytes of a member of a stored JWK (none when it is absent). @internal */
export function jwkBytes(material: JsonWebKey, member: JwkBytesMember): Buffer {
  return Buffer.from(material[member] ?? "", "base64url");
}

/** What an imported key signs to show that its public members belong to its private ones. */
const importProbe = Buffer.from("keyvault-keys emulator: import check");

/**
 * Validates an imported JWK and returns its stored form. `hsm` turns RSA/EC/oct into the -HSM kty.
 * @internal
 */
export function importKeyMaterial(
  value: unknown,
  hsm: boolean,
): { kty: string; material: JsonWebKey; keyOps?: string[] } {
  if (!isJsonObject(value)) throw badParameter("The parameter 'key' must be a JSON Web Key object.");
  const baseKty = checkKeyType(value["kty"]);
  const kty = hsm && !isHsmKeyType(baseKty) ? `${baseKty}-HSM` : baseKty;
  const family = familyOf(kty);
  const material: JsonWebKey = { kty };
  for (const member of base64UrlMembers) {
    if (value[member] !== undefined) {
      fromBase64Url(value[member], `key.${member}`);
      material[member] = value[member] as string;
    }
  }
  const keyOps = value["key_ops"] === undefined ? undefined : checkKeyOperations(value["key_ops"], "key.key_ops");
  const require = (members: readonly string[]): void => {
    const missing = members.filter((member) => value[member] === undefined);
    if (missing.length > 0) {
      throw badParameter(`The ${family} JSON Web Key is missing required member(s): ${missing.join(", ")}.`);
    }
  };
  if (family === "RSA") {
    require(["n", "e", "d", "p", "q", "dp", "dq", "qi"]);
    const bits = rsaModulusBits(material);
    if (!rsaKeySizes.includes(bits)) {
      throw badParameter(`The RSA key size ${bits} is not supported. RSA keys must be 2048, 3072 or 4096 bits.`);
    }
    const weakness = rsaPublicKeyWeakness(jwkBytes(material, "n"), jwkBytes(material, "e"));
    if (weakness !== undefined) throw badParameter(weakness);
  } else if (family === "EC") {
    require(["crv", "x", "y", "d"]);
    const crv = value["crv"];
    if (typeof crv !== "string" || !keyVaultCurve(crv)) {
      throw badParameter(
        `The parameter 'key.crv' has an invalid value: ${JSON.stringify(crv)}. Expected one of ${curveNames.join(", ")}.`,
      );
    }
    material.crv = crv;
  } else {
    require(["k"]);
    const bits = fromBase64Url(material.k, "key.k").length * 8;
    if (!octKeySizes.includes(bits))
      throw badParameter(`The symmetric key size ${bits} is not supported; use 128, 192 or 256 bits.`);
  }
  if (family !== "oct") {
    try {
      // Building the keys checks each member (an EC point must lie on its curve). node:crypto keeps the
      // public members as given, so whether they belong to the private ones is proven by a signature
      // made with the private key and checked with the public members alone. The members are numbers:
      // an `n` sent with a leading zero byte is the same modulus.
      const privateKey = privateKeyObject(material);
      const publicKey = publicKeyObject(material);
      const signature = sign("sha256", importProbe, privateKey);
      if (!verify("sha256", importProbe, publicKey, signature)) {
        throw new Error("public and private members do not match");
      }
    } catch (error) {
      throw badParameter(`The ${family} JSON Web Key is not valid: ${(error as Error).message}.`);
    }
  }
  return keyOps === undefined ? { kty, material } : { kty, material, keyOps };
}

function toNodeJwk(material: JsonWebKey, includePrivate: boolean): import("node:crypto").JsonWebKey {
  const family = familyOf(material.kty ?? "");
  if (family === "oct") throw new Error("A symmetric key has no public/private key pair.");
  return nodeJwk(
    family,
    (name) => {
      const value = material[name as keyof JsonWebKey];
      return typeof value === "string" ? value : undefined;
    },
    includePrivate,
  );
}

/** The private KeyObject of an RSA or EC key. @internal */
export function privateKeyObject(material: JsonWebKey): KeyObject {
  return createPrivateKey({ key: toNodeJwk(material, true), format: "jwk" });
}

/** The public KeyObject of an RSA or EC key. @internal */
export function publicKeyObject(material: JsonWebKey): KeyObject {
  return createPublicKey({ key: toNodeJwk(material, false), format: "jwk" });
}

/** The symmetric key bytes of an oct key. @internal */
export function symmetricKeyBytes(material: JsonWebKey): Buffer {
  return jwkBytes(material, "k");
}

/** Bits of an RSA modulus. @internal */
export function rsaModulusBits(material: JsonWebKey): number {
  return modulusBits(jwkBytes(material, "n"));
}

/** The key size to copy on rotation (bits of RSA modulus or symmetric key). @internal */
export function keySizeOf(material: JsonWebKey): number | undefined {
  const family = familyOf(material.kty ?? "");
  if (family === "RSA") return rsaModulusBits(material);
  if (family === "oct") return symmetricKeyBytes(material).length * 8;
  return undefined;
}

/** The public exponent to copy on rotation (RSA keys). @internal */
export function publicExponentOf(material: JsonWebKey): number | undefined {
  return material.e ? Number(bytesToBigInt(jwkBytes(material, "e"))) : undefined;
}

/** The public JWK an answer carries: kid, kty, key_ops and public members only. @internal */
export function publicJwk(material: JsonWebKey, kid: string, keyOps: string[]): JsonWebKey {
  const family = familyOf(material.kty ?? "");
  const jwk: JsonWebKey = { kid, kty: material.kty, key_ops: [...keyOps] };
  if (family === "RSA") {
    // Strip leading zero bytes of n as the service does.
    jwk.n = toBase64Url(withoutLeadingZeros(jwkBytes(material, "n")));
    jwk.e = material.e;
  } else if (family === "EC") {
    jwk.crv = material.crv;
    jwk.x = material.x;
    jwk.y = material.y;
  }
  return jwk;
}
