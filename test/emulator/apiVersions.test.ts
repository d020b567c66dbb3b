/**
 * Every published api-version of the keys API is accepted, answered in the shape of the stable
 * version it belongs to; anything else is refused as the service refuses it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shapeOf, stableApiVersions, supportedApiVersions } from "../../src/emulator/http/apiVersions.js";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { generateTestKeyPair } from "../helpers/cryptographyKeys.js";
import { EmulatorTestClient, startTestEmulator, uniqueName } from "../helpers/emulatorTestClient.js";

let emulator: RunningEmulator;
let client: EmulatorTestClient;
/** One RSA key, imported under each name (faster than generating one per version). */
const rsa = generateTestKeyPair("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
beforeAll(async () => {
  ({ emulator, client } = await startTestEmulator({ https: false }));
});
afterAll(async () => {
  await emulator.close();
});

/** The versions the issue names, each with the stable version whose shape answers it. */
const published: Array<[string, string]> = [
  ["2015-06-01", "2015-06-01"],
  ["2016-10-01", "2016-10-01"],
  ["7.0-preview", "7.0"],
  ["7.0", "7.0"],
  ["7.1-preview", "7.1"],
  ["7.1", "7.1"],
  ["7.2-preview", "7.2"],
  ["7.2", "7.2"],
  ["7.3-preview", "7.3"],
  ["7.3", "7.3"],
  ["7.4-preview.1", "7.4"],
  ["7.4", "7.4"],
  ["7.5-preview.1", "7.5"],
  ["7.5", "7.5"],
  ["7.6-preview.1", "7.6"],
  ["7.6-preview.2", "7.6"],
  ["7.6", "7.6"],
  ["2025-06-01-preview", "2025-07-01"],
  ["2025-07-01", "2025-07-01"],
];

/** The attribute members an RSA key bundle carries at a given shape. */
function attributeMembers(shape: string): string[] {
  const order = [...stableApiVersions] as string[];
  const from = (version: string): boolean => order.indexOf(shape) >= order.indexOf(version);
  return [
    "enabled",
    ...(from("2025-07-01") ? ["key_size"] : []),
    "created",
    "updated",
    ...(from("2016-10-01") ? ["recoveryLevel"] : []),
    ...(from("7.1") ? ["recoverableDays"] : []),
    ...(from("7.5") ? ["exportable", "hsmPlatform"] : []),
  ];
}

describe("api-versions", () => {
  it("lists every published version, and maps each to its stable shape", () => {
    for (const [version, shape] of published) {
      expect(supportedApiVersions, version).toContain(version);
      expect(shapeOf(version), version).toBe(shape);
    }
  });

  it.each(published)("%s: create, get, list and page answer in the shape of %s", async (version, shape) => {
    const versioned = new EmulatorTestClient(emulator, version);
    const name = uniqueName("apiv");
    const created = await versioned.request("PUT", `/keys/${name}`, { key: rsa });
    expect(created.status).toBe(200);
    expect(Object.keys(created.body.attributes)).toEqual(attributeMembers(shape));
    const got = await versioned.get(`/keys/${name}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
    await versioned.request("PUT", `/keys/${name}`, { key: rsa });
    const page = await versioned.get(`/keys/${name}/versions?maxresults=1`);
    expect(page.status).toBe(200);
    // The next page is asked for with the version the client sent, as the service does.
    expect(new URL(page.body.nextLink as string).searchParams.get("api-version")).toBe(version);
    expect((await versioned.get(page.body.nextLink as string)).status).toBe(200);
  });

  it("7.4-preview.1 (the default of azure-keyvault-keys 4.8) answers exactly as 7.4", async () => {
    const name = uniqueName("preview");
    await client.createKey(name, { kty: "EC", crv: "P-384", tags: { a: "b" } });
    const preview = await new EmulatorTestClient(emulator, "7.4-preview.1").get(`/keys/${name}`);
    const stable = await new EmulatorTestClient(emulator, "7.4").get(`/keys/${name}`);
    expect(preview.body).toEqual(stable.body);
  });

  it("refuses what no version names, with the service's message", async () => {
    for (const version of ["7.7", "8.0", "7.4-preview", "7.6-preview.3", "2016-10-01-preview", "latest", "7.40"]) {
      const answer = await client.get(`/keys?api-version=${encodeURIComponent(version)}`);
      expect(answer.status, version).toBe(400);
      expect(answer.body.error).toEqual({
        code: "BadParameter",
        message: `The specified version (${version}) is not recognized. Consider using the latest supported version (2025-07-01).`,
      });
    }
    const missing = await client.get("/keys?api-version=");
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain("'api-version' query parameter is missing");
  });
});
