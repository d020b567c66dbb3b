/**
 * Secure key release and key attestation, emulated.
 *
 * The emulator's attestation model (documented in the emulator README):
 * - `target` is accepted when it is any non-empty string; the release policy is stored and answered
 *   but never evaluated, and no attestation service is called.
 * - When `target` is a JWT whose payload carries an RSA public key in `x-ms-runtime.keys` (as Azure
 *   Attestation tokens do), the private key is wrapped for that key in `key_hsm`
 *   (CKM_RSA_AES_KEY_WRAP: RSA-OAEP of a fresh AES-256 key, then AES key wrap with padding of the
 *   PKCS#8 private key, or of the raw bytes of a symmetric key). `enc` picks the OAEP hash
 *   (CKM_RSA_AES_KEY_WRAP: SHA-1, RSA_AES_KEY_WRAP_256: SHA-256, RSA_AES_KEY_WRAP_384: SHA-384).
 * - Otherwise the private members are put in the clear into the token's `key` (this is a local,
 *   test-only vault; never point it at real secrets).
 * The answer is a compact JWS signed RS256 by an emulator-made RSA certificate sent in `x5c`.
 * @internal
 */
import {
  constants,
  createCipheriv,
  createHash,
  publicEncrypt,
  randomBytes,
  sign,
  createPublicKey,
  type KeyObject,
} from "node:crypto";
import type { JsonWebKey, KeyAttestation } from "../../generated/models.js";
import { badParameter } from "./errors.js";
import { compactJws, fromBase64UrlJson, isJsonObject, toBase64Url, toBase64UrlJson } from "./encoding.js";
import { familyOf, privateKeyObject, symmetricKeyBytes } from "../crypto/keyMaterial.js";
import type { SelfSignedCertificate } from "../tls/selfSignedCertificate.js";

const keyWrapHashes: Record<string, string> = {
  CKM_RSA_AES_KEY_WRAP: "sha1",
  RSA_AES_KEY_WRAP_256: "sha256",
  RSA_AES_KEY_WRAP_384: "sha384",
};

/** Signs a JSON payload as a compact JWS (RS256, x5c = the signer's certificate). @internal */
export function signJws(payload: unknown, signer: SelfSignedCertificate): string {
  const header = {
    alg: "RS256",
    kid: createHash("sha1").update(signer.certificateDer).digest("hex").toUpperCase(),
    x5t: createHash("sha1").update(signer.certificateDer).digest("base64url"),
    typ: "JWT",
    "x5t#S256": createHash("sha256").update(signer.certificateDer).digest("base64url"),
    x5c: [signer.certificateDer.toString("base64")],
  };
  return compactJws(header, payload, (input) => sign("sha256", input, signer.privateKey));
}

function runtimeKeyOf(target: string): KeyObject | undefined {
  const [, payload] = target.split(".");
  if (!payload) return undefined;
  try {
    const claims = fromBase64UrlJson(payload);
    const runtime = isJsonObject(claims) ? claims["x-ms-runtime"] : undefined;
    const keys = isJsonObject(runtime) ? runtime["keys"] : undefined;
    const first: unknown = Array.isArray(keys)
      ? keys.find((k: unknown) => isJsonObject(k) && k["kty"] === "RSA")
      : undefined;
    if (!isJsonObject(first)) return undefined;
    return createPublicKey({ key: { kty: "RSA", n: String(first["n"]), e: String(first["e"]) }, format: "jwk" });
  } catch {
    return undefined;
  }
}

/** What a release needs. @internal */
export interface ReleaseInput {
  target: string;
  nonce?: string;
  enc?: string;
  apiVersion: string;
  /** The public KeyBundle of the released version (kid, attributes, release_policy). */
  bundle: { key?: JsonWebKey; attributes?: unknown; release_policy?: unknown };
  material: JsonWebKey;
}

/** Builds the `value` of a release answer. @internal */
export function releaseKey(input: ReleaseInput, signer: SelfSignedCertificate): string {
  const enc = input.enc ?? "CKM_RSA_AES_KEY_WRAP";
  const oaepHash = keyWrapHashes[enc];
  if (!oaepHash)
    throw badParameter(
      `The parameter 'enc' has an invalid value: ${enc}. Expected one of ${Object.keys(keyWrapHashes).join(", ")}.`,
    );
  const key: JsonWebKey = { ...input.bundle.key };
  const wrappingKey = runtimeKeyOf(input.target);
  if (wrappingKey) {
    const family = familyOf(input.material.kty ?? "");
    const secret =
      family === "oct"
        ? symmetricKeyBytes(input.material)
        : privateKeyObject(input.material).export({ type: "pkcs8", format: "der" });
    const aesKey = randomBytes(32);
    const wrappedAesKey = publicEncrypt(
      { key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
      aesKey,
    );
    const cipher = createCipheriv("id-aes256-wrap-pad", aesKey, Buffer.from("a65959a6", "hex"));
    const wrappedSecret = Buffer.concat([cipher.update(secret), cipher.final()]);
    const envelope = {
      schema_version: "1.0",
      header: { kid: input.bundle.key?.kid ?? "", alg: "dir", enc },
      ciphertext: toBase64Url(Buffer.concat([wrappedAesKey, wrappedSecret])),
    };
    key.key_hsm = toBase64UrlJson(envelope);
  } else {
    for (const member of ["d", "p", "q", "dp", "dq", "qi", "k"] as const) {
      if (input.material[member] !== undefined) key[member] = input.material[member];
    }
  }
  const request: Record<string, string> = { "api-version": input.apiVersion, enc, kid: input.bundle.key?.kid ?? "" };
  if (input.nonce !== undefined) request["nonce"] = input.nonce;
  return signJws(
    {
      request,
      response: { key: { key, attributes: input.bundle.attributes, release_policy: input.bundle.release_policy } },
    },
    signer,
  );
}

/**
 * Emulator-made attestation of an HSM key: JWS statements signed by the emulator's signing
 * certificate. They prove nothing about hardware; they let clients exercise the shape.
 * @internal
 */
export function attestationOf(kid: string, material: JsonWebKey, signer: SelfSignedCertificate): KeyAttestation {
  const statement = (scope: "private" | "public"): string =>
    Buffer.from(
      signJws(
        {
          issuer: "keyvault-keys-emulator",
          kid,
          kty: material.kty,
          scope,
          note: "emulator attestation; not backed by an HSM",
        },
        signer,
      ),
    ).toString("base64url");
  const attestation: KeyAttestation = {
    certificatePemFile: Buffer.from(signer.certificatePem).toString("base64url"),
    privateKeyAttestation: statement("private"),
    version: "1.0",
  };
  if (familyOf(material.kty ?? "") !== "oct") attestation.publicKeyAttestation = statement("public");
  return attestation;
}
