/*
 * Issue 6, input: names and versions that could change the request path are refused before any
 * request, by every public method that takes one; JSON web keys are checked with errors that name
 * the field. nock refuses every connection and has no interceptor; a spy policy and a recording
 * credential show that nothing entered the pipeline.
 */
import nock from "nock";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyClient, type JsonWebKeyFields } from "../../src/index.js";
import { RecordingCredential } from "../helpers/localServers.js";

beforeAll(() => {
  nock.cleanAll();
  nock.disableNetConnect();
});
afterAll(() => {
  nock.enableNetConnect();
});

function isolatedClient(): { client: KeyClient; sent: string[]; credential: RecordingCredential } {
  const sent: string[] = [];
  const spy: PipelinePolicy = {
    name: "spy",
    sendRequest(request, next) {
      sent.push(`${request.method} ${request.url}`);
      return next(request);
    },
  };
  const credential = new RecordingCredential();
  const client = new KeyClient("https://myvault.vault.azure.net", credential, {
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [{ policy: spy, position: "perCall" }],
  });
  return { client, sent, credential };
}

const badNames = [
  "..",
  ".",
  "a/b",
  "../keys",
  "a?b",
  "a#b",
  "%2e",
  "%2e%2e",
  "%2E%2E",
  "a%2Fb",
  "a b",
  "a\\b",
  "",
  "k\u0000",
  "k\n",
  "ké",
];
const badVersions = ["..", ".", "a/b", "v?x=1", "v#f", "%2e%2e", "%2F", "v v"];

const rsa: JsonWebKeyFields = { kty: "RSA", n: new Uint8Array([1, 2, 3]), e: new Uint8Array([1, 0, 1]) };

/** Every public method taking a key name, called with `name`. */
const byName: Array<[string, (client: KeyClient, name: string) => unknown]> = [
  ["createKey", (c, n) => c.createKey(n, "EC")],
  ["createEcKey", (c, n) => c.createEcKey(n)],
  ["createRsaKey", (c, n) => c.createRsaKey(n)],
  ["createOctKey", (c, n) => c.createOctKey(n)],
  ["importKey", (c, n) => c.importKey(n, rsa)],
  ["getCryptographyClient", (c, n) => c.getCryptographyClient(n)],
  ["beginDeleteKey", (c, n) => c.beginDeleteKey(n)],
  ["updateKeyProperties", (c, n) => c.updateKeyProperties(n, { enabled: false })],
  ["updateKeyProperties with version", (c, n) => c.updateKeyProperties(n, "0123", { enabled: false })],
  ["getKey", (c, n) => c.getKey(n)],
  ["getKeyAttestation", (c, n) => c.getKeyAttestation(n)],
  ["getDeletedKey", (c, n) => c.getDeletedKey(n)],
  ["purgeDeletedKey", (c, n) => c.purgeDeletedKey(n)],
  ["beginRecoverDeletedKey", (c, n) => c.beginRecoverDeletedKey(n)],
  ["backupKey", (c, n) => c.backupKey(n)],
  ["rotateKey", (c, n) => c.rotateKey(n)],
  ["releaseKey", (c, n) => c.releaseKey(n, "attestation")],
  ["getKeyRotationPolicy", (c, n) => c.getKeyRotationPolicy(n)],
  ["updateKeyRotationPolicy", (c, n) => c.updateKeyRotationPolicy(n, { expiresIn: "P90D" })],
  ["listPropertiesOfKeyVersions", (c, n) => c.listPropertiesOfKeyVersions(n).next()],
  ["listPropertiesOfKeyVersions().byPage", (c, n) => c.listPropertiesOfKeyVersions(n).byPage().next()],
  [
    "beginDeleteKey resumeFrom",
    (c, n) => c.beginDeleteKey("ok", { resumeFrom: JSON.stringify({ state: { name: n, isStarted: true } }) }),
  ],
  [
    "beginRecoverDeletedKey resumeFrom",
    (c, n) => c.beginRecoverDeletedKey("ok", { resumeFrom: JSON.stringify({ state: { name: n, isStarted: true } }) }),
  ],
];

/** Every public method taking a key version. */
const byVersion: Array<[string, (client: KeyClient, version: string) => unknown]> = [
  ["getKey", (c, v) => c.getKey("k", { version: v })],
  ["getKeyAttestation", (c, v) => c.getKeyAttestation("k", { version: v })],
  ["updateKeyProperties", (c, v) => c.updateKeyProperties("k", v, { enabled: false })],
  ["releaseKey", (c, v) => c.releaseKey("k", "attestation", { version: v })],
  ["getCryptographyClient", (c, v) => c.getCryptographyClient("k", { keyVersion: v })],
];

async function outcome(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe("names and versions that could change the path", () => {
  for (const [method, call] of byName) {
    it(`${method} refuses every such name before any request`, async () => {
      for (const name of badNames) {
        const { client, sent, credential } = isolatedClient();
        const error = await outcome(() => call(client, name));
        expect(error, `${method}(${JSON.stringify(name)})`).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/^Invalid (name|keyName|resumeFrom state\.name) /);
        expect(sent).toEqual([]);
        expect(credential.calls).toEqual([]);
      }
    });
  }

  for (const [method, call] of byVersion) {
    it(`${method} refuses every such version before any request`, async () => {
      for (const version of badVersions) {
        const { client, sent, credential } = isolatedClient();
        const error = await outcome(() => call(client, version));
        expect(error, `${method}(version ${JSON.stringify(version)})`).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/^Invalid (version|keyVersion) /);
        expect(sent).toEqual([]);
        expect(credential.calls).toEqual([]);
      }
    });
  }

  it("refuses names that are not strings", async () => {
    for (const name of [undefined, null, 1, {}, ["k"]]) {
      const { client, sent } = isolatedClient();
      const error = await outcome(() => client.getKey(name as string));
      expect(error).toBeInstanceOf(TypeError);
      expect(sent).toEqual([]);
    }
  });
});

describe("JSON web keys are checked before import, field by field", () => {
  const bytes = (length: number): Uint8Array => new Uint8Array(length).fill(7);
  const cases: Array<[string, unknown, RegExp]> = [
    ["no key", undefined, /^Invalid key: expected a JsonWebKey object/],
    ["null", null, /^Invalid key: expected a JsonWebKey object/],
    ["an array", [rsa], /^Invalid key: expected a JsonWebKey object/],
    ["no kty", { n: bytes(3), e: bytes(3) }, /^Invalid key\.kty:/],
    ["kty a number", { kty: 1, n: bytes(3), e: bytes(3) }, /^Invalid key\.kty:/],
    ["RSA without n", { kty: "RSA", e: bytes(3) }, /^Invalid key\.n: a RSA key needs it/],
    ["RSA without e", { kty: "RSA", n: bytes(3) }, /^Invalid key\.e: a RSA key needs it/],
    ["RSA-HSM without n", { kty: "RSA-HSM", e: bytes(3) }, /^Invalid key\.n:/],
    ["n as base64url text", { kty: "RSA", n: "AQAB", e: bytes(3) }, /^Invalid key\.n: expected a Uint8Array/],
    ["n as a number array", { kty: "RSA", n: [1, 2, 3], e: bytes(3) }, /^Invalid key\.n: expected a Uint8Array/],
    ["n empty", { kty: "RSA", n: bytes(0), e: bytes(3) }, /^Invalid key\.n: it is empty/],
    ["d empty", { ...rsa, d: bytes(0) }, /^Invalid key\.d: it is empty/],
    ["d as a number", { ...rsa, d: 42 }, /^Invalid key\.d: expected a Uint8Array/],
    ["qi as null", { ...rsa, qi: null }, /^Invalid key\.qi: expected a Uint8Array/],
    ["EC without crv", { kty: "EC", x: bytes(32), y: bytes(32) }, /^Invalid key\.crv:/],
    ["EC without y", { kty: "EC", crv: "P-256", x: bytes(32) }, /^Invalid key\.y:/],
    ["EC x empty", { kty: "EC", crv: "P-256", x: bytes(0), y: bytes(32) }, /^Invalid key\.x: it is empty/],
    ["crv a number", { kty: "EC", crv: 256, x: bytes(32), y: bytes(32) }, /^Invalid key\.crv: expected a string/],
    ["oct without k", { kty: "oct" }, /^Invalid key\.k: a oct key needs it/],
    ["k empty", { kty: "oct", k: bytes(0) }, /^Invalid key\.k: it is empty/],
    ["keyOps a string", { ...rsa, keyOps: "sign" }, /^Invalid key\.keyOps:/],
    ["keyOps with a number", { ...rsa, keyOps: ["sign", 1] }, /^Invalid key\.keyOps:/],
    ["kid a number", { ...rsa, kid: 5 }, /^Invalid key\.kid: expected a string/],
  ];
  for (const [label, key, message] of cases) {
    it(`refuses ${label}`, async () => {
      const { client, sent, credential } = isolatedClient();
      const error = await outcome(() => client.importKey("k", key as JsonWebKeyFields));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
      expect(sent).toEqual([]);
      expect(credential.calls).toEqual([]);
    });
  }
});
