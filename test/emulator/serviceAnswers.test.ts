/**
 * Answers the service gives that the emulator once did not: versions of a missing key, the message of
 * a malformed backup, the immutable release policy error, and an RSA JWK whose `n` has a leading zero.
 */
import { createHash, verify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { generateTestKeyPair } from "../helpers/cryptographyKeys.js";
import { startTestEmulator, uniqueName, type EmulatorTestClient } from "../helpers/emulatorTestClient.js";

let emulator: RunningEmulator;
let client: EmulatorTestClient;
beforeAll(async () => {
  ({ emulator, client } = await startTestEmulator({ https: false }));
});
afterAll(async () => {
  await emulator.close();
});

describe("service answers", () => {
  it("GET /keys/{missing}/versions is 200 with an empty page, as recorded", async () => {
    const answer = await client.get(`/keys/${uniqueName("missing")}/versions`);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('{"value":[],"nextLink":null}');
    // A bad name is still a 400, and a key's own versions are still listed.
    expect((await client.get("/keys/bad_name/versions")).status).toBe(400);
    const name = uniqueName("present");
    await client.createKey(name, { kty: "EC" });
    expect((await client.get(`/keys/${name}/versions`)).body.value).toHaveLength(1);
  });

  it("a malformed, truncated or foreign backup is refused with the service's message", async () => {
    const name = uniqueName("backup");
    await client.createKey(name, { kty: "EC" });
    const blob = (await client.post(`/keys/${name}/backup`)).body.value as string;
    const changed = Buffer.from(blob, "base64url");
    changed[changed.length - 1] = (changed[changed.length - 1] ?? 0) ^ 1;
    for (const value of [
      Buffer.alloc(8693).toString("base64url"), // the official client's "malformed backup" test
      changed.toString("base64url"),
      blob.slice(0, 40),
      "not base64!",
    ]) {
      const answer = await client.post("/keys/restore", { value });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toEqual({
        code: "BadParameter",
        message: "Backup blob contains invalid or corrupt version.",
      });
    }
  });

  it("changing an immutable release policy names Immutable Key Release as the service does", async () => {
    const data = Buffer.from(JSON.stringify({ version: "1.0.0", anyOf: [] })).toString("base64url");
    const policy = { contentType: "application/json; charset=utf-8", data, immutable: true };
    const name = uniqueName("immutable");
    await client.createKey(name, { kty: "RSA", attributes: { exportable: true }, release_policy: policy });
    const answer = await client.request("PATCH", `/keys/${name}`, { release_policy: { ...policy, data } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toEqual({
      code: "BadParameter",
      message: "AKV.SKR.1020: Immutable Key Release Policy cannot be modified.",
    });
    // Other attributes of that key still change.
    expect((await client.request("PATCH", `/keys/${name}`, { tags: { a: "b" } })).status).toBe(200);
  });

  it("an RSA JWK whose n carries a leading zero byte imports, and is answered without it", async () => {
    const { privateKey, publicKey } = generateTestKeyPair("rsa", { modulusLength: 2048 });
    const jwk = privateKey.export({ format: "jwk" }) as Record<string, string>;
    const withZero = Buffer.concat([Buffer.from([0]), Buffer.from(jwk["n"] ?? "", "base64url")]).toString("base64url");
    const name = uniqueName("leading-zero");
    const imported = await client.request("PUT", `/keys/${name}`, { key: { ...jwk, n: withZero } });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body.key.n).toBe(jwk["n"]);
    const digest = createHash("sha256").update("signed").digest();
    const signed = await client.post(`/keys/${name}/sign`, { alg: "RS256", value: digest.toString("base64url") });
    expect(verify("sha256", Buffer.from("signed"), publicKey, Buffer.from(signed.body.value, "base64url"))).toBe(true);
    // A modulus that differs in value is still refused.
    const other = generateTestKeyPair("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" });
    const mismatch = await client.request("PUT", `/keys/${uniqueName("mismatch")}`, { key: { ...jwk, n: other.n } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.message).toContain("public and private members do not match");
  });
});
