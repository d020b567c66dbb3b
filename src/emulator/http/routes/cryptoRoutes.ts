/**
 * Handlers of the cryptographic operations: encrypt, decrypt, wrapkey, unwrapkey, sign, verify,
 * release, attestation and rng.
 * @internal
 */
import { randomBytes } from "node:crypto";
import { runCipher, type CipherInput } from "../../crypto/cryptoOperations.js";
import { badParameter, forbidden } from "../../vault/errors.js";
import { fromBase64Url, toBase64Url } from "../../vault/encoding.js";
import { familyOf, isHsmKeyType } from "../../crypto/keyMaterial.js";
import { attestationOf, releaseKey } from "../../vault/release.js";
import { keyId, renderKeyBundle } from "../render.js";
import { optionalInteger, optionalString, requireObjectBody, requiredString } from "../requestValidation.js";
import { signDigest, verifyDigest } from "../../crypto/signatures.js";
import { nameOf, type RouteHandler, type RouteRequest } from "./routeTypes.js";

function cipherHandler(direction: "encrypt" | "decrypt" | "wrapKey" | "unwrapKey"): RouteHandler {
  return (request: RouteRequest) => {
    const body = requireObjectBody(request.body);
    const alg = requiredString(body, "alg");
    const input: CipherInput = { alg, value: fromBase64Url(body["value"], "value") };
    for (const field of ["iv", "aad", "tag"] as const) {
      if (body[field] !== undefined && body[field] !== null) input[field] = fromBase64Url(body[field], field);
    }
    const { key, version } = request.services.vault.versionForOperation(
      nameOf(request),
      request.params.version,
      direction,
    );
    const output = runCipher(direction, version.material, input);
    const answer: Record<string, string> = {
      kid: keyId(request.render, key.name, version.version),
      value: toBase64Url(output.value),
    };
    if (familyOf(version.kty) === "oct" && (direction === "encrypt" || direction === "decrypt")) answer["alg"] = alg;
    if (output.iv) answer["iv"] = toBase64Url(output.iv);
    if (output.tag) answer["tag"] = toBase64Url(output.tag);
    if (output.aad) answer["aad"] = toBase64Url(output.aad);
    return { status: 200, body: answer };
  };
}

/** POST .../encrypt. @internal */
export const encrypt = cipherHandler("encrypt");
/** POST .../decrypt. @internal */
export const decrypt = cipherHandler("decrypt");
/** POST .../wrapkey. @internal */
export const wrapKey = cipherHandler("wrapKey");
/** POST .../unwrapkey. @internal */
export const unwrapKey = cipherHandler("unwrapKey");

/** POST .../sign: `value` is the digest. @internal */
export const sign: RouteHandler = async (request) => {
  const body = requireObjectBody(request.body);
  const alg = requiredString(body, "alg");
  const digest = fromBase64Url(body["value"], "value");
  const { key, version } = request.services.vault.versionForOperation(nameOf(request), request.params.version, "sign");
  const signature = await signDigest(version.material, alg, digest);
  return {
    status: 200,
    body: { kid: keyId(request.render, key.name, version.version), value: toBase64Url(signature) },
  };
};

/** POST .../verify: `digest` and `value` (the signature). @internal */
export const verify: RouteHandler = async (request) => {
  const body = requireObjectBody(request.body);
  const alg = requiredString(body, "alg");
  const digest = fromBase64Url(body["digest"], "digest");
  const signature = fromBase64Url(body["value"], "value");
  const { version } = request.services.vault.versionForOperation(nameOf(request), request.params.version, "verify");
  return { status: 200, body: { value: await verifyDigest(version.material, alg, digest, signature) } };
};

/** POST .../release (see `vault/release.ts` for the emulator's attestation model). @internal */
export const release: RouteHandler = (request) => {
  const body = requireObjectBody(request.body);
  const target = body["target"];
  if (typeof target !== "string" || target.length === 0)
    throw badParameter("The parameter 'target' (an attestation token) is required.");
  const nonce = optionalString(body, "nonce");
  const enc = optionalString(body, "enc");
  const { key, version } = request.services.vault.getVersion(nameOf(request), request.params.version);
  if (!version.attributes.exportable || !version.releasePolicy) {
    throw forbidden(
      "The key is not exportable: only keys created with attributes.exportable = true and a release policy can be released.",
    );
  }
  if (!version.attributes.enabled) throw forbidden("Operation release is not allowed on a disabled key.");
  const value = releaseKey(
    {
      target,
      ...(nonce === undefined ? {} : { nonce }),
      ...(enc === undefined ? {} : { enc }),
      apiVersion: request.apiVersion,
      bundle: renderKeyBundle(request.render, key, version),
      material: version.material,
    },
    request.services.releaseSigner(),
  );
  return { status: 200, body: { value } };
};

/**
 * GET /keys/{name}/{version}/attestation: the KeyBundle with `attributes.attestation` for -HSM keys;
 * 400 BadParameter for software-protected keys, which have no HSM to attest them.
 * @internal
 */
export const getKeyAttestation: RouteHandler = (request) => {
  const { key, version } = request.services.vault.getVersion(nameOf(request), request.params.version);
  if (!isHsmKeyType(version.kty)) {
    throw badParameter(`Key attestation is only available for HSM-protected keys; this key is of type ${version.kty}.`);
  }
  const bundle = renderKeyBundle(request.render, key, version);
  const kid = keyId(request.render, key.name, version.version);
  bundle.attributes = {
    ...bundle.attributes,
    attestation: attestationOf(kid, version.material, request.services.releaseSigner()),
  };
  return { status: 200, body: bundle };
};

/** POST /rng: {"count": 1..128}. @internal */
export const getRandomBytes: RouteHandler = (request) => {
  const body = requireObjectBody(request.body);
  const count = optionalInteger(body, "count");
  if (count === undefined || count < 1 || count > 128)
    throw badParameter("The parameter 'count' must be an integer from 1 to 128.");
  return { status: 200, body: { value: toBase64Url(randomBytes(count)) } };
};
