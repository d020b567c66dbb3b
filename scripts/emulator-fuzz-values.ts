/**
 * Seeded random values for the emulator fuzzer: numbers, strings, JSON values and request bodies
 * shaped like the keys API's (right field names, wrong or right values).
 */
import { createPrng } from "../src/emulator/http/faults.js";

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Seeded random choices. */
export class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = createPrng(seed);
  }

  float(): number {
    return this.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }

  /** Printable ASCII (valid in a header value), up to `maxLength` characters. */
  printable(maxLength: number): string {
    const length = this.int(0, maxLength);
    let text = "";
    for (let i = 0; i < length; i++) text += String.fromCharCode(this.int(0x20, 0x7e));
    return text;
  }
}

const numbers: readonly number[] = [
  0,
  -1,
  1,
  7,
  28,
  90,
  255,
  256,
  512,
  1024,
  2048,
  2049,
  3072,
  4096,
  65537,
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 53),
  0.5,
  1e-300,
  1e308,
  -1e308,
];

const strings: readonly string[] = [
  "",
  " ",
  "RSA",
  "RSA-HSM",
  "EC",
  "EC-HSM",
  "oct",
  "oct-HSM",
  "P-256",
  "P-384",
  "P-521",
  "P-256K",
  "RSA-OAEP",
  "RSA-OAEP-256",
  "RSA1_5",
  "A256GCM",
  "A128CBC",
  "A256CBCPAD",
  "A256KW",
  "RS256",
  "PS384",
  "ES256",
  "HS256",
  "Rotate",
  "Notify",
  "P30D",
  "P1Y",
  "PT1H",
  "application/json; charset=utf-8",
  "sign",
  "encrypt",
  "wrapKey",
  "ключ",
  "🔑",
  "\u0000",
  "\ud800",
  "null",
  "true",
  "AAAA",
  "____",
  "a".repeat(4096),
];

/** A random number, mostly from boundary values. */
export function randomNumber(random: Random): number {
  return random.chance(0.7) ? random.pick(numbers) : (random.float() - 0.5) * 10 ** random.int(0, 20);
}

/** A random string: API words, boundary strings, base64url or printable noise. */
export function randomString(random: Random): string {
  const roll = random.float();
  if (roll < 0.5) return random.pick(strings);
  if (roll < 0.75) return random.bytes(random.pick([0, 1, 12, 16, 24, 32, 48, 64, 256, 513])).toString("base64url");
  return random.printable(40);
}

/** Any JSON value, nested up to `depth`. */
export function randomJson(random: Random, depth = 3): Json {
  const roll = random.int(0, depth > 0 ? 7 : 4);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return randomNumber(random);
    case 3:
    case 4:
      return randomString(random);
    case 5:
    case 6:
      return Array.from({ length: random.int(0, 4) }, () => randomJson(random, depth - 1));
    default: {
      const object: { [key: string]: Json } = {};
      for (let i = random.int(0, 4); i > 0; i--) object[random.pick(fieldNames)] = randomJson(random, depth - 1);
      return object;
    }
  }
}

const fieldNames: readonly string[] = [
  "kty",
  "key_size",
  "crv",
  "key_ops",
  "public_exponent",
  "attributes",
  "enabled",
  "nbf",
  "exp",
  "exportable",
  "tags",
  "release_policy",
  "contentType",
  "data",
  "immutable",
  "key",
  "hsm",
  "n",
  "e",
  "d",
  "p",
  "q",
  "dp",
  "dq",
  "qi",
  "k",
  "x",
  "y",
  "alg",
  "value",
  "iv",
  "tag",
  "aad",
  "digest",
  "lifetimeActions",
  "trigger",
  "action",
  "type",
  "timeAfterCreate",
  "timeBeforeExpiry",
  "expiryTime",
  "count",
  "target",
  "nonce",
  "enc",
  "__proto__",
  "constructor",
  "",
];

/** Known-good material the bodies sometimes carry, so that deeper paths are reached. */
export interface FuzzMaterial {
  /** JWKs with private parts (oct, EC, RSA) that import would accept. */
  jwks: Array<{ [key: string]: Json }>;
  /** A backup blob of a key of this emulator. */
  backup: string;
}

/** A value for a field: a plausible one, or anything. */
function valueFor(random: Random, field: string, material: FuzzMaterial): Json {
  if (random.chance(0.35)) return randomJson(random, 2);
  switch (field) {
    case "kty":
      return random.pick(["EC", "EC-HSM", "oct", "oct-HSM", "RSA", "RSA-HSM", "rsa", "OKP", ""]);
    case "key_size":
      return random.pick([256, 128, 192, 2048, 2048, 3072, 4096, 1024, 0, -1, 2049]);
    case "crv":
      return random.pick(["P-256", "P-384", "P-521", "P-256K", "Ed25519", "p-256"]);
    case "key_ops":
      return Array.from({ length: random.int(0, 4) }, () =>
        random.pick(["sign", "verify", "encrypt", "decrypt", "wrapKey", "unwrapKey", "import", "export", "bogus"]),
      );
    case "attributes":
      return {
        enabled: random.chance(0.7),
        exportable: random.chance(0.2),
        ...(random.chance(0.3) ? { nbf: randomNumber(random) } : {}),
        ...(random.chance(0.3) ? { exp: randomNumber(random) } : {}),
      };
    case "tags":
      return random.chance(0.5)
        ? { a: "1", b: randomString(random) }
        : { [random.printable(300)]: random.printable(300) };
    case "release_policy":
      return {
        contentType: "application/json; charset=utf-8",
        data: random.bytes(random.int(0, 64)).toString("base64url"),
        immutable: random.chance(0.3),
      };
    case "key":
      return mutated(random, random.pick(material.jwks));
    case "value":
      return random.chance(0.2)
        ? random.chance(0.5)
          ? material.backup
          : material.backup.slice(0, -4) + "AAAA"
        : random.bytes(random.pick([0, 16, 32, 48, 64, 190, 256, 512])).toString("base64url");
    case "iv":
    case "tag":
    case "aad":
    case "digest":
      return random.bytes(random.pick([0, 12, 16, 20, 32, 48, 64])).toString("base64url");
    case "alg":
      return random.pick([
        "RSA-OAEP",
        "RSA-OAEP-256",
        "RSA1_5",
        "A256GCM",
        "A128GCM",
        "A256CBC",
        "A256CBCPAD",
        "A256KW",
        "CKM_AES_KEY_WRAP",
        "RS256",
        "PS256",
        "ES256",
        "ES384",
        "RSNULL",
        "HS256",
        "",
      ]);
    case "lifetimeActions":
      return [
        {
          trigger: {
            [random.pick(["timeAfterCreate", "timeBeforeExpiry"])]: random.pick(["P30D", "P1Y", "PT1H", "-P1D", "P"]),
          },
          action: { type: random.pick(["Rotate", "Notify", "rotate", "Delete"]) },
        },
      ];
    case "count":
      return random.pick([1, 32, 128, 129, 0, -5, 1.5]);
    default:
      return randomJson(random, 2);
  }
}

/** A JWK with one change now and then: a field dropped, replaced or added. */
function mutated(random: Random, jwk: { [key: string]: Json }): { [key: string]: Json } {
  const copy: { [key: string]: Json } = { ...jwk };
  if (random.chance(0.5)) return copy;
  const fields = Object.keys(copy);
  const field = random.pick(fields.length > 0 ? fields : ["kty"]);
  if (random.chance(0.5)) delete copy[field];
  else copy[field] = randomJson(random, 1);
  return copy;
}

const bodyFields: Record<string, readonly string[]> = {
  create: ["kty", "key_size", "crv", "key_ops", "attributes", "tags", "release_policy", "public_exponent"],
  import: ["key", "hsm", "attributes", "tags", "release_policy"],
  update: ["key_ops", "attributes", "tags", "release_policy"],
  crypto: ["alg", "value", "iv", "tag", "aad", "digest"],
  policy: ["lifetimeActions", "attributes"],
  restore: ["value"],
  rng: ["count"],
  release: ["target", "nonce", "enc"],
};

/** A JSON body for the kind of route (`create`, `import`, ...), or anything. */
export function apiBody(random: Random, kind: string, material: FuzzMaterial): Json {
  const fields = bodyFields[kind] ?? Object.values(bodyFields).flat();
  const body: { [key: string]: Json } = {};
  for (const field of fields)
    if (random.chance(field === "kty" || field === "alg" || field === "value" || field === "key" ? 0.9 : 0.35))
      body[field] = valueFor(random, field, material);
  if (kind === "policy" && random.chance(0.5))
    body["attributes"] = { expiryTime: random.pick(["P28D", "P90D", "P1D", "garbage", "P2Y"]) };
  return body;
}
