/*
 * The key bundles and rotation policies the differential fake vault answers, on the canned values of
 * cannedValues.ts. Request-driven answers (create, import, update, rotation policy PUT) echo what was
 * sent (tags, key_ops, attributes, release policy), so that a serialization difference also shows in
 * the result.
 */
import { EC_P256, type Json } from "../wire.js";
import {
  ATTESTATION,
  EC_ATTRIBUTES,
  EC_VERSION,
  IMPORTED_VERSION,
  OCT_VERSION,
  RELEASE_POLICY,
  ROTATED_VERSION,
  ROTATED_X,
  ROTATED_Y,
  RSA_ATTRIBUTES,
  RSA_N,
  RSA_VERSION,
} from "./cannedValues.js";

export function rsaBundle(vault: string, name: string, version: string): Json {
  return {
    key: {
      kid: `${vault}/keys/${name}/${version}`,
      kty: "RSA",
      key_ops: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
      n: RSA_N,
      e: "AQAB",
    },
    attributes: { ...RSA_ATTRIBUTES, nbf: 1777400000, exp: 2524723200 },
    tags: { purpose: "unit test", "test name ": "CreateRSAKeyTest" },
    release_policy: RELEASE_POLICY,
  };
}

export function ecBundle(vault: string, name: string, version: string): Json {
  return {
    key: {
      kid: `${vault}/keys/${name}/${version}`,
      kty: "EC",
      key_ops: ["sign", "verify"],
      crv: "P-256",
      ...EC_P256,
    },
    attributes: { ...EC_ATTRIBUTES },
    tags: { purpose: "unit test", "test name": "CreateECKeyTest" },
  };
}

export function attestedBundle(vault: string, name: string, version: string): Json {
  const bundle = rsaBundle(vault, name, version);
  return { ...bundle, attributes: { ...(bundle["attributes"] as Json), attestation: ATTESTATION } };
}

export function rotatedBundle(vault: string, name: string): Json {
  return {
    key: {
      kid: `${vault}/keys/${name}/${ROTATED_VERSION}`,
      kty: "EC-HSM",
      key_ops: ["sign", "verify"],
      crv: "P-256",
      x: ROTATED_X,
      y: ROTATED_Y,
    },
    attributes: {
      enabled: true,
      exp: 1724706624,
      created: 1716930624,
      updated: 1716930624,
      recoveryLevel: "CustomizedRecoverable+Purgeable",
      recoverableDays: 7,
      exportable: false,
      hsmPlatform: "2",
    },
  };
}

export function deletedBundle(vault: string, name: string): Json {
  return {
    recoveryId: `${vault}/deletedkeys/${name}`,
    deletedDate: 1777476615,
    scheduledPurgeDate: 1778081415,
    ...rsaBundle(vault, name, RSA_VERSION),
    tags: { foo: "updated tag" },
  };
}

/** Merges what a create/import/update request set into a canned bundle. */
function withRequest(bundle: Json, body: Json): Json {
  const result: Json = { ...bundle, attributes: { ...(bundle["attributes"] as Json) } };
  const attrs = result["attributes"] as Json;
  const sent = (body["attributes"] ?? {}) as Json;
  for (const field of ["enabled", "nbf", "exp", "exportable"])
    if (sent[field] !== undefined) attrs[field] = sent[field];
  if (body["tags"] !== undefined) result["tags"] = body["tags"];
  else delete result["tags"];
  if (body["release_policy"] !== undefined)
    result["release_policy"] = {
      contentType: "application/json; charset=utf-8",
      immutable: false,
      ...(body["release_policy"] as Json),
    };
  else delete result["release_policy"];
  if (Array.isArray(body["key_ops"])) result["key"] = { ...(result["key"] as Json), key_ops: body["key_ops"] };
  return result;
}

export function createdBundle(vault: string, name: string, body: Json): Json {
  const kty = String(body["kty"] ?? "RSA");
  let bundle: Json;
  if (kty.startsWith("EC")) {
    bundle = ecBundle(vault, name, EC_VERSION);
    bundle["key"] = { ...(bundle["key"] as Json), kty, crv: body["crv"] ?? "P-256" };
  } else if (kty.startsWith("oct")) {
    bundle = {
      key: {
        kid: `${vault}/keys/${name}/${OCT_VERSION}`,
        kty,
        key_ops: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
      },
      attributes: {
        enabled: true,
        created: 1716930581,
        updated: 1716930581,
        recoveryLevel: "Recoverable+Purgeable",
        recoverableDays: 7,
        exportable: false,
      },
    };
  } else {
    bundle = rsaBundle(vault, name, RSA_VERSION);
    bundle["key"] = { ...(bundle["key"] as Json), kty };
    bundle["attributes"] = { ...RSA_ATTRIBUTES, key_size: body["key_size"] ?? 2048 };
  }
  return withRequest(bundle, body);
}

export function importedBundle(vault: string, name: string, body: Json): Json {
  const sentKey = (body["key"] ?? {}) as Json;
  const key: Json = {
    kid: `${vault}/keys/${name}/${IMPORTED_VERSION}`,
    kty: body["Hsm"] ? `${String(sentKey["kty"])}-HSM` : sentKey["kty"],
  };
  if (sentKey["key_ops"] !== undefined) key["key_ops"] = sentKey["key_ops"];
  for (const field of ["n", "e", "crv", "x", "y"]) if (sentKey[field] !== undefined) key[field] = sentKey[field];
  return withRequest({ key, attributes: { ...RSA_ATTRIBUTES } }, body);
}

export function updatedBundle(vault: string, name: string, version: string, body: Json): Json {
  const bundle = withRequest(rsaBundle(vault, name, version), body);
  (bundle["attributes"] as Json)["updated"] = 1777476614;
  return bundle;
}

// ---- rotation policy (go-7.5 TestRotateKey_KV; id as the service writes it unsanitised) ------------

export function rotationPolicy(vault: string, name: string): Json {
  return {
    id: `${vault}/keys/${name}/rotationpolicy`,
    lifetimeActions: [
      { trigger: { timeAfterCreate: "P30D" }, action: { type: "Rotate" } },
      { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } },
    ],
    attributes: { expiryTime: "P90D", created: 1716930624, updated: 1716930624 },
  };
}

export function rotationPolicyFromRequest(vault: string, name: string, body: Json): Json {
  const actions = Array.isArray(body["lifetimeActions"]) ? [...(body["lifetimeActions"] as Json[])] : [];
  // The service adds the default Notify action when none is given.
  if (!actions.some((a) => String(((a["action"] ?? {}) as Json)["type"]).toLowerCase() === "notify")) {
    actions.push({ trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } });
  }
  const sentAttributes = (body["attributes"] ?? {}) as Json;
  return {
    id: `${vault}/keys/${name}/rotationpolicy`,
    lifetimeActions: actions,
    attributes: {
      ...(sentAttributes["expiryTime"] !== undefined ? { expiryTime: sentAttributes["expiryTime"] } : {}),
      created: 1716930624,
      updated: 1716930625,
    },
  };
}
