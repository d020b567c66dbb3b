/**
 * Differential tests of createKey, createEcKey, createRsaKey, createOctKey and importKey, with every
 * option: ours and the official @azure/keyvault-keys 4.10.2 against one fake vault, the requests and
 * the whole results compared by expectSameRun. The fake echoes what was sent (kty, curve, key size,
 * tags, key_ops, attributes, release policy), so a serialization difference shows in the result too.
 */
import { describe, expect, it } from "vitest";
import { ABSENT } from "../helpers/deepDiff.js";
import { differentialVault, expectSameRun, resolved, runBoth } from "../helpers/differential/clients.js";

const t = differentialVault();

/**
 * Named difference (equivalent on the wire): the official serializers always write `attributes`, so a
 * call that sets no attribute sends `"attributes": {}`; ours leaves the empty object out, as Python and Go
 * do in the recordings (`{"kty": "RSA"}`). Every attribute is optional: both mean "set nothing".
 */
const NO_EMPTY_ATTRIBUTES = { "requests[0].body.attributes": ABSENT };

const releasePolicy = {
  contentType: "application/json; charset=utf-8",
  encodedPolicy: new TextEncoder().encode(
    '{"version":"1.0.0","anyOf":[{"authority":"https://sharedwus.wus.attest.azure.net","allOf":[]}]}',
  ),
  immutable: true,
};

const b = (text: string) => new Uint8Array(Buffer.from(text, "base64url"));

describe("createKey", () => {
  it("with every option: same request, same key", async () => {
    const options = {
      curve: "P-384",
      tags: { purpose: "differential", "test name": "createKey" },
      keyOps: ["sign", "verify"],
      enabled: true,
      notBefore: new Date("2026-01-01T00:00:00Z"),
      expiresOn: new Date("2030-06-30T12:34:56Z"),
      exportable: true,
      keySize: 384,
      releasePolicy,
    };
    const run = await runBoth(
      t.vault,
      () => t.official.createKey("full", "EC", options),
      () => t.ours.createKey("full", "EC", options),
    );
    expectSameRun(run);
    expect(run.ourRequests[0]!.body).toEqual({
      kty: "EC",
      key_size: 384,
      key_ops: ["sign", "verify"],
      attributes: { enabled: true, nbf: 1767225600, exp: 1909053296, exportable: true },
      tags: { purpose: "differential", "test name": "createKey" },
      crv: "P-384",
      release_policy: {
        contentType: "application/json; charset=utf-8",
        immutable: true,
        data: Buffer.from(releasePolicy.encodedPolicy).toString("base64url"),
      },
    });
    expect(resolved(run.ours).key?.crv).toBe("P-384");
  });

  it.each(["RSA", "RSA-HSM", "EC", "EC-HSM", "oct", "oct-HSM"])("%s with no options: same key", async (kty) => {
    const run = await runBoth(
      t.vault,
      () => t.official.createKey("minimal", kty),
      () => t.ours.createKey("minimal", kty),
    );
    expectSameRun(run, NO_EMPTY_ATTRIBUTES);
    expect(run.ourRequests[0]!.body).toEqual({ kty });
  });

  it("hsm: named difference, the official ignores hsm (sends RSA); ours sends RSA-HSM, and the vault's answer says so", async () => {
    const options = { hsm: true, keySize: 3072, enabled: true };
    const run = await runBoth(
      t.vault,
      () => t.official.createKey("hsm", "RSA", options),
      () => t.ours.createKey("hsm", "RSA", options),
    );
    expect(run.officialRequests[0]!.body).toMatchObject({ kty: "RSA" });
    expectSameRun(run, {
      "requests[0].body.kty": "RSA-HSM",
      "outcome.resolved.key.kty": "RSA-HSM",
      "outcome.resolved.keyType": "RSA-HSM",
    });
  });

  it("an -HSM key type with hsm: same request (no double suffix)", async () => {
    const options = { hsm: true, curve: "P-256", enabled: true };
    const run = await runBoth(
      t.vault,
      () => t.official.createKey("hsm2", "EC-HSM", options),
      () => t.ours.createKey("hsm2", "EC-HSM", options),
    );
    expectSameRun(run);
  });

  it.each(["RSA", "RSA-HSM"])(
    "%s with publicExponent: named difference, the official drops it; ours sends public_exponent (as Python's create_key does)",
    async (kty) => {
      const options = { keySize: 2048, publicExponent: 3, enabled: true };
      const run = await runBoth(
        t.vault,
        () => t.official.createKey("rsa-e", kty, options),
        () => t.ours.createKey("rsa-e", kty, options),
      );
      expect(run.officialRequests[0]!.body).not.toHaveProperty("public_exponent");
      expectSameRun(run, { "requests[0].body.public_exponent": 3 });
      // In the order the official serializer writes its body.
      expect(Object.keys(run.ourRequests[0]!.body as object)).toEqual([
        "kty",
        "key_size",
        "public_exponent",
        "attributes",
      ]);
    },
  );

  it("EC with publicExponent: neither sends it (an exponent is an RSA parameter)", async () => {
    const options = { curve: "P-256", publicExponent: 65537, enabled: true };
    const run = await runBoth(
      t.vault,
      () => t.official.createKey("ec-e", "EC", options),
      () => t.ours.createKey("ec-e", "EC", options),
    );
    expectSameRun(run);
  });

  it("dates after 2038-01-19: named difference, the official overflows nbf/exp to 32 bits; ours sends the exact seconds and reads back the dates it was given", async () => {
    const notBefore = new Date("2039-01-01T00:00:00Z");
    const expiresOn = new Date("2040-01-01T00:00:00Z");
    const run = await runBoth(
      t.vault,
      () => t.official.createKey("y2038", "RSA", { notBefore, expiresOn, enabled: true }),
      () => t.ours.createKey("y2038", "RSA", { notBefore, expiresOn, enabled: true }),
    );
    const exact = { nbf: notBefore.getTime() / 1000, exp: expiresOn.getTime() / 1000 };
    expect(run.officialRequests[0]!.body).toMatchObject({ attributes: { nbf: exact.nbf | 0, exp: exact.exp | 0 } });
    expect(exact.nbf | 0).toBeLessThan(0);
    expectSameRun(run, {
      "requests[0].body.attributes.nbf": exact.nbf,
      "requests[0].body.attributes.exp": exact.exp,
      "outcome.resolved.properties.notBefore": notBefore,
      "outcome.resolved.properties.expiresOn": expiresOn,
    });
  });
});

describe("createEcKey, createRsaKey, createOctKey", () => {
  it("createEcKey (hsm, curve, tags, keyOps): same request, same key", async () => {
    const options = { curve: "P-256K", hsm: true, tags: { a: "b" }, keyOps: ["sign"] };
    const run = await runBoth(
      t.vault,
      () => t.official.createEcKey("ec", options),
      () => t.ours.createEcKey("ec", options),
    );
    expectSameRun(run, NO_EMPTY_ATTRIBUTES);
    expect(run.ourRequests[0]!.body).toEqual({ kty: "EC-HSM", crv: "P-256K", tags: { a: "b" }, key_ops: ["sign"] });
  });

  it("createEcKey without options", async () => {
    const run = await runBoth(
      t.vault,
      () => t.official.createEcKey("ec-min"),
      () => t.ours.createEcKey("ec-min"),
    );
    expectSameRun(run, NO_EMPTY_ATTRIBUTES);
  });

  it("createRsaKey (keySize, enabled, tags, exportable, releasePolicy, dates): same request, same key", async () => {
    const options = {
      keySize: 4096,
      enabled: false,
      tags: { team: "payments" },
      exportable: true,
      releasePolicy: { ...releasePolicy, immutable: false },
      notBefore: new Date("2026-05-01T00:00:00Z"),
      expiresOn: new Date("2027-05-01T00:00:00Z"),
    };
    const run = await runBoth(
      t.vault,
      () => t.official.createRsaKey("rsa", options),
      () => t.ours.createRsaKey("rsa", options),
    );
    expectSameRun(run);
  });

  it("createRsaKey with publicExponent and hsm: named difference, the official never sends public_exponent", async () => {
    const options = { keySize: 2048, publicExponent: 65537, hsm: true };
    const run = await runBoth(
      t.vault,
      () => t.official.createRsaKey("rsa-e", options),
      () => t.ours.createRsaKey("rsa-e", options),
    );
    expectSameRun(run, { ...NO_EMPTY_ATTRIBUTES, "requests[0].body.public_exponent": 65537 });
    expect(run.ourRequests[0]!.body).toEqual({ kty: "RSA-HSM", key_size: 2048, public_exponent: 65537 });
  });

  it("createOctKey (hsm, keySize, keyOps): same request, same key", async () => {
    const options = { hsm: true, keySize: 256, keyOps: ["wrapKey", "unwrapKey"] };
    const run = await runBoth(
      t.vault,
      () => t.official.createOctKey("oct", options),
      () => t.ours.createOctKey("oct", options),
    );
    expectSameRun(run, NO_EMPTY_ATTRIBUTES);
    expect(run.ourRequests[0]!.body).toEqual({ kty: "oct-HSM", key_size: 256, key_ops: ["wrapKey", "unwrapKey"] });
  });

  it("createOctKey without options", async () => {
    const run = await runBoth(
      t.vault,
      () => t.official.createOctKey("oct-min"),
      () => t.ours.createOctKey("oct-min"),
    );
    expectSameRun(run, NO_EMPTY_ATTRIBUTES);
  });
});

describe("importKey", () => {
  const rsa = {
    kty: "RSA",
    keyOps: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
    n: b(
      "oJFNACNKxoOyG0wV1b7Yh73JWcLlevVK5zTo8Acg13XSdeRVIH43hM7rYKUKRlXdcqepTScejuj3lZpmnKbndb8OI7ra6ZG0Up2XhSi0vZBSHTLdJlZ5a6gra7_HZoyPXutQU3R_0ZkxnSmoRA0I9EEtUn_5MR7acYJZILR7HEaxGrPpHXMWQH6Jx_NA97haNAQs5RdDsn1HGEA9NMe0OK9hgb4F5NEeuYXTglPX_pv1P8LxsALSLS15P6eaUEtqtC0EkoBNcHHXJ6Bs86iJOqVCsVA_gyspY3G2cH1NxuNy-P5n2N7RyQj95FzgO8CGpxSH-nXkOqDgZ5qg0g7-NQ",
    ),
    e: b("AQAB"),
    d: b("Ynx9JGaBSP4iUsf6ZJ6opantRNdcdmzaQrKbZg6ZQE8Ohi1FYabJWvaoPSE"),
    dp: b("AMmhWb5yZwo"),
    dq: b("AOrs7u6uHiU"),
    qi: b("AKs9iB0cKXM"),
    p: b("AMWyHtRoUq0"),
    q: b("AM_Ae9tIq2k"),
  };

  it("RSA with private parts and every option: same request, same key", async () => {
    const options = {
      hardwareProtected: true,
      enabled: true,
      notBefore: new Date("2026-02-01T00:00:00Z"),
      expiresOn: new Date("2031-02-01T00:00:00Z"),
      exportable: false,
      tags: { imported: "yes" },
      releasePolicy,
    };
    const run = await runBoth(
      t.vault,
      () => t.official.importKey("imported", rsa, options),
      () => t.ours.importKey("imported", rsa, options),
    );
    expectSameRun(run);
    expect(run.ourRequests[0]).toMatchObject({
      method: "PUT",
      path: "/keys/imported",
      body: { Hsm: true, key: { kty: "RSA", e: "AQAB", dp: "AMmhWb5yZwo" } },
    });
  });

  it("hardwareProtected: false is sent as Hsm: false by both", async () => {
    const run = await runBoth(
      t.vault,
      () => t.official.importKey("imported", rsa, { hardwareProtected: false, enabled: true }),
      () => t.ours.importKey("imported", rsa, { hardwareProtected: false, enabled: true }),
    );
    expectSameRun(run);
    expect(run.ourRequests[0]!.body).toMatchObject({ Hsm: false });
  });

  it("EC with its private part, no options", async () => {
    const jwk = {
      kty: "EC",
      crv: "P-256",
      x: b("bbGb_byeGrh6Pkf6C2rs4tdHNbNF9BqxFBxST23I5Gc"),
      y: b("024yTKAWHDwR0LD9Ne8J8bzqfQm-4A3UL0JlXm62Dpo"),
      d: b("AQID"),
    };
    const run = await runBoth(
      t.vault,
      () => t.official.importKey("imported-ec", jwk),
      () => t.ours.importKey("imported-ec", jwk),
    );
    expectSameRun(run, NO_EMPTY_ATTRIBUTES);
  });

  it("oct, with a kid: same request", async () => {
    const jwk = { kty: "oct", k: b("AAECAwQFBgcICQoLDA0ODw"), kid: "https://elsewhere.example/keys/k/1" };
    const run = await runBoth(
      t.vault,
      () => t.official.importKey("imported-oct", jwk, { enabled: true }),
      () => t.ours.importKey("imported-oct", jwk, { enabled: true }),
    );
    expectSameRun(run);
  });

  // A BYOK import sends {kty: "RSA-HSM", key_hsm: <transfer blob>} without n/e (the blob holds the key).
  it("BYOK (RSA-HSM with key_hsm only): same request", async () => {
    const jwk = {
      kty: "RSA-HSM",
      t: new Uint8Array([1, 2, 3, 4]),
      kid: "https://kek.example/keys/kek/1",
      keyOps: ["encrypt", "decrypt"],
    };
    const run = await runBoth(
      t.vault,
      () => t.official.importKey("byok", jwk, { hardwareProtected: true, enabled: true }),
      () => t.ours.importKey("byok", jwk, { hardwareProtected: true, enabled: true }),
    );
    expectSameRun(run);
    expect((run.ourRequests[0]!.body as { key: object }).key).toEqual({
      kid: "https://kek.example/keys/kek/1",
      kty: "RSA-HSM",
      key_ops: ["encrypt", "decrypt"],
      key_hsm: "AQIDBA",
    });
  });
});
