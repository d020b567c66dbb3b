import { describe, expect, it } from "vitest";
import { DeletedKey, JsonWebKey, KeyProperties, KeyVaultKey, parseKeyVaultKeyIdentifier } from "../../src/index.js";
import {
  deletedKeyFromItem,
  deletedKeyFromWire,
  jsonWebKeyFromWire,
  jsonWebKeyToWire,
  keyAttributesToWire,
  keyPropertiesFromItem,
  keyVaultKeyFromWire,
  rotationPolicyFromWire,
  rotationPolicyToWire,
} from "../../src/transformations.js";
import { VAULT_URL } from "../helpers/mockVault.js";
import { deletedKeyBundle, deletedKeyItem, keyBundle, keyItem, rsaJwk, VERSION } from "../helpers/wire.js";
import {
  expectDeletedKeyMatchesWire,
  expectKeyMatchesWire,
  expectPropertiesMatchWire,
} from "../helpers/wireAssertions.js";

const kid = `${VAULT_URL}/keys/my-key/${VERSION}`;

describe("KeyVaultKey", () => {
  it("new KeyVaultKey(id, jwk) parses name, version and vault URL from the id", () => {
    const key = new KeyVaultKey(kid, {
      kty: "RSA",
      n: new Uint8Array([1]),
      e: new Uint8Array([1, 0, 1]),
      keyOps: ["sign"],
    });
    expect(key.name).toBe("my-key");
    expect(key.id).toBe(kid);
    expect(key.keyType).toBe("RSA");
    expect(key.keyOperations).toEqual(["sign"]);
    expect(key.properties.name).toBe("my-key");
    expect(key.properties.version).toBe(VERSION);
    expect(key.properties.vaultUrl).toBe(VAULT_URL);
    expect(key.key).toBeInstanceOf(JsonWebKey);
    expect(key.key?.n).toEqual(new Uint8Array([1]));
  });

  it("takes the id from jwk.kid when the id is undefined, and keeps given properties", () => {
    const created = new Date("2024-05-28T12:00:00Z");
    const key = new KeyVaultKey(undefined, { kid, kty: "EC" }, { enabled: true, createdOn: created, tags: { a: "b" } });
    expect(key.name).toBe("my-key");
    expect(key.properties.enabled).toBe(true);
    expect(key.properties.createdOn).toBe(created);
    expect(key.properties.tags).toEqual({ a: "b" });
  });

  it("JSON.stringify, spread and structuredClone show the data", () => {
    const key = keyVaultKeyFromWire(keyBundle("my-key", { tags: { team: "x" } }));
    const json = JSON.parse(JSON.stringify(key)) as Record<string, unknown>;
    expect(json).toMatchObject({ name: "my-key", id: kid, keyType: "EC", keyOperations: ["sign", "verify"] });
    expect(json["properties"]).toMatchObject({
      name: "my-key",
      version: VERSION,
      vaultUrl: VAULT_URL,
      enabled: true,
      tags: { team: "x" },
      createdOn: "2026-04-29T15:30:06.000Z",
    });
    expect(json["key"]).toMatchObject({ kid, kty: "EC", crv: "P-256" });
    expect({ ...key }).toMatchObject({ name: "my-key", id: kid });
    const clone = structuredClone(key);
    expect(clone.properties.createdOn).toBeInstanceOf(Date);
    expect(Buffer.from(clone.key!.x!)).toEqual(key.key?.x);
  });
});

describe("DeletedKey", () => {
  it("has deletedDate, scheduledPurgeDate and recoveryId in properties, and readable at the top level (accessors, not own keys)", () => {
    const wire = deletedKeyBundle("gone");
    const deleted = deletedKeyFromWire(wire);
    expect(deleted).toBeInstanceOf(DeletedKey);
    expectDeletedKeyMatchesWire(deleted, wire);
    expect(deleted.deletedDate).toBeInstanceOf(Date);
    expect(deleted.properties.deletedOn).toEqual(deleted.deletedDate);
    expect(deleted.scheduledPurgeDate).toEqual(deleted.properties.scheduledPurgeDate);
    expect(deleted.recoveryId).toBe(`${VAULT_URL}/deletedkeys/gone`);
    expect(deleted.properties.recoveryId).toBe(deleted.recoveryId);
    expect(Object.keys(deleted)).toEqual(["key", "id", "name", "keyOperations", "keyType", "properties"]);
    const json = JSON.parse(JSON.stringify(deleted)) as { properties: Record<string, unknown> };
    expect(json.properties).toHaveProperty("deletedOn");
    expect(json.properties).toHaveProperty("recoveryId");
  });

  it("a list item has no key material (only key.kid, as in the official package) but the same deletion facts", () => {
    const wire = deletedKeyItem("gone");
    const deleted = deletedKeyFromItem(wire);
    expect({ ...deleted.key }).toStrictEqual({ kid: wire["kid"] });
    expectDeletedKeyMatchesWire(deleted, wire);
  });

  it("can be constructed by callers", () => {
    const deletedOn = new Date("2024-01-01T00:00:00Z");
    const deleted = new DeletedKey(
      `${VAULT_URL}/keys/x/v1`,
      { kty: "oct" },
      { deletedOn, recoveryId: `${VAULT_URL}/deletedkeys/x` },
    );
    expect(deleted.name).toBe("x");
    expect(deleted.deletedDate).toBe(deletedOn);
    expect(deleted.properties.deletedOn).toBe(deletedOn);
    expect(deleted.properties.version).toBe("v1");
  });
});

describe("mapping from the wire", () => {
  it("tolerates key_size inside attributes (2025-07-01 answers) and other unknown fields", () => {
    const wire = keyBundle("rsa", {
      key: rsaJwk("rsa"),
      attributes: { key_size: 2048, somethingNew: { a: 1 } },
      extra: { unknownTopLevel: true },
    });
    const key = keyVaultKeyFromWire(wire);
    expectKeyMatchesWire(key, wire);
  });

  it("maps list items with managed and exportable", () => {
    const wire: Record<string, unknown> = { ...keyItem("cert-key", undefined, { exportable: true }), managed: true };
    const properties = keyPropertiesFromItem(wire);
    expect(properties).toBeInstanceOf(KeyProperties);
    expectPropertiesMatchWire(properties, wire, wire["kid"] as string);
    expect(properties.managed).toBe(true);
    expect(properties.version).toBeUndefined();
  });

  it("maps every JWK byte field, key_hsm as t, and back", () => {
    const wire = {
      kid,
      kty: "RSA-HSM",
      key_ops: ["wrapKey"],
      n: "AQ",
      e: "AQAB",
      d: "Ag",
      dp: "Aw",
      dq: "BA",
      qi: "BQ",
      p: "Bg",
      q: "Bw",
      k: "CA",
      key_hsm: "CQ",
      x: "Cg",
      y: "Cw",
      crv: "P-256",
    };
    const jwk = jsonWebKeyFromWire(wire);
    expect(jwk.t).toEqual(Buffer.from([9]));
    expect(jwk.e).toEqual(Buffer.from([1, 0, 1]));
    expect(jsonWebKeyToWire(jwk)).toEqual(wire);
  });

  it("sends dates as integer epoch seconds, exact past 2038", () => {
    expect(
      keyAttributesToWire({ notBefore: new Date(1500), expiresOn: new Date("2100-01-01T00:00:00Z"), enabled: true }),
    ).toEqual({ nbf: 1, exp: 4102444800, enabled: true });
    expect(keyAttributesToWire({})).toBeUndefined();
    expect(() => keyAttributesToWire({ expiresOn: new Date("invalid") })).toThrow(/Invalid Date/);
  });

  it("maps rotation policies both ways, keeping unknown action types", () => {
    const wire = {
      id: `${VAULT_URL}/keys/k/rotationpolicy`,
      lifetimeActions: [
        { trigger: { timeAfterCreate: "P30D" }, action: { type: "rotate" } },
        { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "NOTIFY" } },
        { trigger: {}, action: { type: "Archive" } },
      ],
      attributes: { expiryTime: "P90D", created: 1, updated: 2 },
    };
    const policy = rotationPolicyFromWire(wire);
    expect(policy.lifetimeActions?.map((a) => a.action)).toEqual(["Rotate", "Notify", "Archive"]);
    expect(policy.createdOn).toEqual(new Date(1000));
    expect(
      rotationPolicyToWire({ expiresIn: "P90D", lifetimeActions: [{ action: "Notify", timeBeforeExpiry: "P10D" }] }),
    ).toEqual({
      lifetimeActions: [{ trigger: { timeBeforeExpiry: "P10D" }, action: { type: "Notify" } }],
      attributes: { expiryTime: "P90D" },
    });
  });

  it("names the malformed field", () => {
    expect(() => keyVaultKeyFromWire({ key: { kty: "EC" } })).toThrow(/key bundle\.key\.kid/);
    expect(() => keyVaultKeyFromWire(null)).toThrow(/key bundle/);
    expect(() => keyVaultKeyFromWire({ key: { kid, n: 5 } })).toThrow(/key bundle\.key\.n/);
    expect(() => keyVaultKeyFromWire({ key: { kid }, tags: { a: 1 } })).toThrow(/tags\.a/);
    expect(() => keyPropertiesFromItem({ attributes: {} })).toThrow(/key item\.kid/);
    expect(() => deletedKeyFromWire({ key: { kid }, deletedDate: "today" })).toThrow(/deletedDate/);
    expect(() => rotationPolicyFromWire({ lifetimeActions: {} })).toThrow(/lifetimeActions/);
  });
});

describe("parseKeyVaultKeyIdentifier", () => {
  it.each([
    [`${VAULT_URL}/keys/my-key/${VERSION}`, { vaultUrl: VAULT_URL, name: "my-key", version: VERSION }],
    [`${VAULT_URL}/keys/my-key`, { vaultUrl: VAULT_URL, name: "my-key", version: undefined }],
    [`${VAULT_URL}/keys/my-key/`, { vaultUrl: VAULT_URL, name: "my-key", version: "" }],
    [`${VAULT_URL}/deletedkeys/my-key`, { vaultUrl: VAULT_URL, name: "my-key", version: undefined }],
    [
      `https://fakevault.vault.azure.net:443/keys/k/v`,
      { vaultUrl: "https://fakevault.vault.azure.net", name: "k", version: "v" },
    ],
    [`https://localhost:8443/keys/k/v`, { vaultUrl: "https://localhost:8443", name: "k", version: "v" }],
    [
      `https://myhsm.managedhsm.azure.net/keys/hsm-key/abc`,
      { vaultUrl: "https://myhsm.managedhsm.azure.net", name: "hsm-key", version: "abc" },
    ],
  ])("parses %s", (id, expected) => {
    const parsed = parseKeyVaultKeyIdentifier(id);
    // toStrictEqual: `version` is a key of the result even when undefined, as in the official package.
    expect(parsed).toStrictEqual({ sourceId: id, ...expected });
  });

  it.each([
    ["", "Invalid collection argument"],
    ["not a url", "Invalid collection argument"],
    [`${VAULT_URL}/keys`, `Invalid keys identifier: ${VAULT_URL}/keys. Bad number of segments: 2`],
    [`${VAULT_URL}/keys/k/v/extra`, `Invalid keys identifier: ${VAULT_URL}/keys/k/v/extra. Bad number of segments: 5`],
    [`${VAULT_URL}/`, "Invalid collection argument"],
    ["https://[x/keys/k", "Invalid keys identifier: https://[x/keys/k. Not a valid URI"],
  ])("refuses %j with the official package's Error", (id, message) => {
    expect(() => parseKeyVaultKeyIdentifier(id)).toThrow(new Error(message));
  });

  it("parses another collection's identifier as the official package does (the collection is the first segment)", () => {
    expect(parseKeyVaultKeyIdentifier(`${VAULT_URL}/secrets/s/v`)).toStrictEqual({
      sourceId: `${VAULT_URL}/secrets/s/v`,
      vaultUrl: VAULT_URL,
      name: "s",
      version: "v",
    });
  });

  it("refuses a non-string", () => {
    expect(() => parseKeyVaultKeyIdentifier(undefined as unknown as string)).toThrow(TypeError);
  });
});
