/*
 * KeyClient arguments read back from a recorded request: the create/import/update options, the JWK of
 * an import and the rotation policy of an update, as the SDK that made the recording must have passed
 * them.
 */
import type { CreateRsaKeyOptions, JsonWebKeyFields, KeyRotationPolicyProperties } from "../../../src/index.js";
import { bytesOf, dateOf, jsonObject, type Json } from "../wire.js";

/** A Date from recorded epoch seconds, if there are any. */
export const dateIfAny = (seconds: unknown): Date | undefined =>
  typeof seconds === "number" ? dateOf(seconds) : undefined;

/** Bytes from recorded base64url text, if there is any. */
export const bytesIfAny = (text: unknown): Uint8Array | undefined =>
  typeof text === "string" ? bytesOf(text) : undefined;

/** `value` without its undefined fields (the options a caller would have written). */
export function defined<T extends Json>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** KeyClient create/import/update options from a recorded request body. */
export function optionsFromBody(body: Json): CreateRsaKeyOptions {
  const attributes = jsonObject(body["attributes"]);
  const policy = body["release_policy"] ? jsonObject(body["release_policy"]) : undefined;
  return defined({
    keySize: body["key_size"],
    keyOps: body["key_ops"],
    curve: body["crv"],
    tags: body["tags"],
    enabled: attributes["enabled"],
    notBefore: dateIfAny(attributes["nbf"]),
    expiresOn: dateIfAny(attributes["exp"]),
    exportable: attributes["exportable"],
    publicExponent: body["public_exponent"],
    releasePolicy: policy
      ? defined({
          contentType: policy["contentType"],
          immutable: policy["immutable"],
          encodedPolicy: bytesIfAny(policy["data"]),
        })
      : undefined,
  }) as CreateRsaKeyOptions;
}

/** The JWK an import sent, as the fields a caller passes to importKey. */
export function jwkFromWire(wire: Json): JsonWebKeyFields {
  const fields: Json = { kty: wire["kty"] };
  if (wire["key_ops"]) fields["keyOps"] = wire["key_ops"];
  if (wire["crv"]) fields["crv"] = wire["crv"];
  for (const name of ["n", "e", "d", "dp", "dq", "qi", "p", "q", "k", "x", "y"])
    if (typeof wire[name] === "string") fields[name] = bytesIfAny(wire[name]);
  if (typeof wire["key_hsm"] === "string") fields["t"] = bytesIfAny(wire["key_hsm"]);
  return fields;
}

/** The policy an updateKeyRotationPolicy call passed, from the request (or, without bodies, the answer). */
export function rotationPolicyFromWire(source: Json): KeyRotationPolicyProperties {
  const attributes = jsonObject(source["attributes"]);
  return defined({
    expiresIn: attributes["expiryTime"] as string | undefined,
    lifetimeActions: ((source["lifetimeActions"] as Json[] | undefined) ?? []).map((action) =>
      defined({
        action: jsonObject(action["action"])["type"] as "Rotate",
        timeAfterCreate: jsonObject(action["trigger"])["timeAfterCreate"] as string | undefined,
        timeBeforeExpiry: jsonObject(action["trigger"])["timeBeforeExpiry"] as string | undefined,
      }),
    ),
  });
}
