/**
 * End to end through OUR KeyClient against the built-in emulator over HTTPS: creating keys of every
 * type, size and curve (software and HSM), new versions, and importing keys made with node:crypto.
 * The other operations are keyClient.operations.test.ts.
 */
import { createHash, randomBytes, verify as cryptoVerify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyClient, type JsonWebKeyFields, type KeyVaultKey } from "../../src/index.js";
import { generateTestKeyPair, publicKeyOf } from "../helpers/cryptographyKeys.js";
import { e2eName, expectNoPrivateMembers, startE2EKeyClient, type E2EVault } from "../helpers/e2eVault.js";

let vault: E2EVault;
let client: KeyClient;

beforeAll(async () => {
  ({ vault, client } = await startE2EKeyClient());
});
afterAll(() => vault?.close());

function expectWellFormed(key: KeyVaultKey, name: string): void {
  expect(key.name).toBe(name);
  expect(key.id).toMatch(new RegExp(`^${vault.emulator.url}/keys/${name}/[0-9a-f]{32}$`));
  expect(key.properties.version).toMatch(/^[0-9a-f]{32}$/);
  expect(key.properties.vaultUrl).toBe(vault.emulator.url);
  expect(key.properties.enabled).toBe(true);
  expect(key.properties.createdOn).toBeInstanceOf(Date);
  expect(key.properties.updatedOn).toBeInstanceOf(Date);
  expect(key.properties.recoveryLevel).toBe("Recoverable+Purgeable");
  expect(key.properties.recoverableDays).toBe(90);
  expectNoPrivateMembers(key);
}

describe("create", () => {
  it.each([2048, 3072, 4096])("createRsaKey %i bits, software and hsm", async (keySize) => {
    for (const hsm of [false, true]) {
      const name = e2eName(`rsa${keySize}`);
      const key = await client.createRsaKey(name, { keySize, hsm, tags: { size: String(keySize) } });
      expectWellFormed(key, name);
      expect(key.keyType).toBe(hsm ? "RSA-HSM" : "RSA");
      expect(key.key!.n!.length).toBe(keySize / 8);
      expect(Buffer.from(key.key!.e!).toString("hex")).toBe("010001");
      expect(key.properties.tags).toEqual({ size: String(keySize) });
      expect(key.properties.hsmPlatform).toBe(hsm ? "2" : "0");
      expect(publicKeyOf(key).asymmetricKeyDetails?.modulusLength).toBe(keySize);
    }
  });

  it("createRsaKey with publicExponent 3", async () => {
    const key = await client.createRsaKey(e2eName("rsa-e3"), { publicExponent: 3 });
    expect(Buffer.from(key.key!.e!).toString("hex")).toBe("03");
  });

  it.each(["P-256", "P-256K", "P-384", "P-521"] as const)("createEcKey %s, software and hsm", async (curve) => {
    for (const hsm of [false, true]) {
      const name = e2eName("ec");
      const key = await client.createEcKey(name, { curve, hsm });
      expectWellFormed(key, name);
      expect(key.keyType).toBe(hsm ? "EC-HSM" : "EC");
      expect(key.key!.crv).toBe(curve);
      const coordinateBytes = { "P-256": 32, "P-256K": 32, "P-384": 48, "P-521": 66 }[curve];
      expect(key.key!.x!.length).toBe(coordinateBytes);
      expect(key.key!.y!.length).toBe(coordinateBytes);
      expect(publicKeyOf(key).asymmetricKeyType).toBe("ec");
    }
  });

  it("createEcKey defaults to P-256", async () => {
    const key = await client.createEcKey(e2eName("ec-default"));
    expect(key.key!.crv).toBe("P-256");
  });

  it.each([128, 192, 256])("createOctKey %i bits, software and hsm", async (keySize) => {
    for (const hsm of [false, true]) {
      const name = e2eName("oct");
      const key = await client.createOctKey(name, { keySize, hsm });
      expectWellFormed(key, name);
      expect(key.keyType).toBe(hsm ? "oct-HSM" : "oct");
      expect(key.key!.k).toBeUndefined();
    }
  });

  it("createKey with each key type and options", async () => {
    const notBefore = new Date("2020-01-01T00:00:00Z");
    const expiresOn = new Date("2099-01-01T00:00:00Z");
    const cases = [
      ["RSA", { keySize: 2048 }],
      ["RSA-HSM", {}],
      ["EC", { curve: "P-384" }],
      ["EC-HSM", { curve: "P-521" }],
      ["oct", {}],
      ["oct-HSM", { keySize: 256 }],
    ] as const;
    for (const [keyType, extra] of cases) {
      const name = e2eName("generic");
      const key = await client.createKey(name, keyType, {
        ...extra,
        notBefore,
        expiresOn,
        enabled: false,
        keyOps: ["sign", "verify"],
        tags: { kind: keyType },
      });
      expect(key.keyType).toBe(keyType);
      expect(key.keyOperations).toEqual(["sign", "verify"]);
      expect(key.properties.enabled).toBe(false);
      expect(key.properties.notBefore).toEqual(notBefore);
      expect(key.properties.expiresOn).toEqual(expiresOn);
      expect(key.properties.tags).toEqual({ kind: keyType });
      expectNoPrivateMembers(key);
    }
  });

  it("creating again makes a new version; getKey answers the latest and each version", async () => {
    const name = e2eName("versions");
    const v1 = await client.createEcKey(name);
    const v2 = await client.createEcKey(name, { tags: { v: "2" } });
    expect(v2.properties.version).not.toBe(v1.properties.version);
    const latest = await client.getKey(name);
    expect(latest.id).toBe(v2.id);
    expect(Buffer.from(latest.key!.x!)).toEqual(Buffer.from(v2.key!.x!));
    const first = await client.getKey(name, { version: v1.properties.version! });
    expect(first.id).toBe(v1.id);
    expect(Buffer.from(first.key!.x!)).toEqual(Buffer.from(v1.key!.x!));
    expect(first.properties.tags).toBeUndefined();
    // Names are case-insensitive, as in the service.
    expect((await client.getKey(name.toUpperCase())).properties.version).toBe(v2.properties.version);
  });
});

describe("importKey", () => {
  const b64 = (jwk: Record<string, unknown>, field: string): Uint8Array =>
    new Uint8Array(Buffer.from(String(jwk[field]), "base64url"));

  it("imports an RSA key made with node:crypto; the vault signs with it", async () => {
    const { privateKey, publicKey } = generateTestKeyPair("rsa", { modulusLength: 2048 });
    const jwk = privateKey.export({ format: "jwk" }) as Record<string, unknown>;
    const fields: JsonWebKeyFields = {
      kty: "RSA",
      keyOps: ["sign", "verify"],
      ...Object.fromEntries(["n", "e", "d", "p", "q", "dp", "dq", "qi"].map((f) => [f, b64(jwk, f)])),
    };
    const name = e2eName("import-rsa");
    const imported = await client.importKey(name, fields, { tags: { origin: "node" }, hardwareProtected: true });
    expect(imported.keyType).toBe("RSA-HSM");
    expect(imported.properties.tags).toEqual({ origin: "node" });
    expect(Buffer.from(imported.key!.n!).toString("base64url")).toBe(jwk["n"]);
    expectNoPrivateMembers(imported);
    const digest = createHash("sha256").update("imported").digest();
    const { result } = await client.getCryptographyClient(name).sign("RS256", digest);
    expect(cryptoVerify("sha256", Buffer.from("imported"), publicKey, Buffer.from(result))).toBe(true);
  });

  it("imports an EC key made with node:crypto", async () => {
    const { privateKey } = generateTestKeyPair("ec", { namedCurve: "P-384" });
    const jwk = privateKey.export({ format: "jwk" }) as Record<string, unknown>;
    const name = e2eName("import-ec");
    const imported = await client.importKey(name, {
      kty: "EC",
      crv: "P-384",
      x: b64(jwk, "x"),
      y: b64(jwk, "y"),
      d: b64(jwk, "d"),
    });
    expect(imported.keyType).toBe("EC");
    expect(imported.key!.crv).toBe("P-384");
    expect(Buffer.from(imported.key!.x!).toString("base64url")).toBe(jwk["x"]);
    expectNoPrivateMembers(imported);
  });

  it("imports an oct key; wrap in the vault, unwrap gives the same bytes", async () => {
    const name = e2eName("import-oct");
    const k = randomBytes(32);
    const imported = await client.importKey(
      name,
      { kty: "oct", k, keyOps: ["wrapKey", "unwrapKey"] },
      { hardwareProtected: true },
    );
    expect(imported.keyType).toBe("oct-HSM");
    expect(imported.key?.k).toBeUndefined();
    const crypto = client.getCryptographyClient(name);
    const cek = randomBytes(32);
    const wrapped = await crypto.wrapKey("A256KW", cek);
    expect(Buffer.from((await crypto.unwrapKey("A256KW", wrapped.result)).result)).toEqual(cek);
  });
});
