/**
 * Structure: no hand-written elliptic-curve arithmetic or PKCS#1 v1.5 unpadding anywhere in src/, and
 * each shared primitive written once, in src/jose/, which imports nothing from the client or the
 * emulator. Curve arithmetic comes from OpenSSL (node:crypto) or @noble/curves; the curve parameters
 * below are published constants (SEC 2, FIPS 186) whose presence would mean a curve is implemented here.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");
const srcDir = join(root, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry) ? [path] : [];
  });
}

const files = sourceFiles(srcDir).map((path) => ({
  path: relative(root, path).split(sep).join("/"),
  text: readFileSync(path, "utf8"),
}));
/** Text with whitespace, underscores, quotes and `+` joins removed, lower case: how a constant hides. */
const squeezed = (text: string): string => text.toLowerCase().replace(/[\s_"'`+]/g, "");

/** Field primes, group orders and generators (a distinctive run of hex digits of each). */
const curveConstants: Record<string, string> = {
  "P-256 field prime": "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
  "P-256 order": "bce6faada7179e84f3b9cac2fc632551",
  "P-256 generator": "6b17d1f2e12c4247f8bce6e563a440f2",
  "P-256 b": "5ac635d8aa3a93e7b3ebbd55769886bc",
  "secp256k1 field prime": "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f",
  "secp256k1 order": "baaedce6af48a03bbfd25e8cd0364141",
  "secp256k1 generator": "79be667ef9dcbbac55a06295ce870b07",
  "P-384 field prime": "fffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
  "P-384 order": "c7634d81f4372ddf581a0db248b0a77a",
  "P-384 generator": "aa87ca22be8b05378eb1c71ef320ad74",
  "P-521 order": "51868783bf2f966b7fcc0148f709a5d0",
  "P-521 generator": "c6858e06b70404e9cd9e3ecb662395b4",
};

/** Shapes of point arithmetic and of curve definitions. */
const pointArithmetic: Array<[string, RegExp]> = [
  ["a field prime written as powers of two (P-384, P-521)", /\(1n\s*<<\s*(384|521)n\)\s*-/],
  ["Jacobian or projective coordinates", /\b(jacobian|projective)\b/i],
  [
    "a point doubling or addition function",
    /\bfunction\s+(double|add|pointAdd|pointDouble|addPoints|doublePoint)\s*\(/,
  ],
  ["a scalar multiplication loop over points", /\bfunction\s+(multiply|scalarMultiply|pointMultiply)\s*\(/],
  ["curve parameters a, b, gx, gy", /\bg[xy]\s*:\s*(0x|hex\(|\d)/],
  ["an on-curve check written out", /y\s*\*\s*y\s*-\s*\(\s*x\s*\*\s*x\s*\*\s*x/],
];

describe("no hand-written curve arithmetic in src/", () => {
  it.each(Object.entries(curveConstants))("no source file holds the %s", (_what, hex) => {
    const holders = files.filter((file) => squeezed(file.text).includes(hex)).map((file) => file.path);
    expect(holders).toEqual([]);
  });

  it.each(pointArithmetic)("no source file has %s", (_what, pattern) => {
    const holders = files.filter((file) => pattern.test(file.text)).map((file) => file.path);
    expect(holders).toEqual([]);
  });
});

describe("no hand-written RSA1_5 unpadding in src/", () => {
  it("no file looks for the 00 02 header and the 00 separator of an EME-PKCS1-v1_5 block, except the one implicit rejection", () => {
    const unpadding = /\[1\]\s*(===|!==)\s*(2|0x02)\b|indexOf\(0,\s*2\)|removePkcs1/;
    const holders = files.filter((file) => unpadding.test(file.text)).map((file) => file.path);
    expect(holders).toEqual([]);
    const rejection = files.filter((file) => /implicit rejection/i.test(file.text) && /\bselect\(/.test(file.text));
    expect(rejection.map((file) => file.path)).toEqual(["src/jose/rsaPkcs1Decryption.ts"]);
  });
});

describe("each primitive once, in src/jose/", () => {
  const definedIn = (pattern: RegExp): string[] =>
    files.filter((file) => pattern.test(file.text)).map((file) => file.path);

  it.each([
    ["the DigestInfo prefixes", /3031300d060960864801650304020105000420/],
    ["MGF1", /function\s+mgf1\s*\(/i],
    ["EMSA-PSS verification", /function\s+emsaPss\w*\s*\(/i],
    ["the modulus size of an RSA key", /Math\.clz32/],
    ["bytes to bigint", /BigInt\(\s*`0x\$\{/],
    ["the Key Vault curve names of node:crypto", /["']secp256k1["']/],
    ["node:crypto's JWK members of RSA and EC keys", /\["d",\s*"p",\s*"q",\s*"dp",\s*"dq",\s*"qi"\]/],
  ])("%s: only in src/jose/", (_what, pattern) => {
    const holders = definedIn(pattern);
    expect(holders.length).toBeGreaterThan(0);
    expect(holders.filter((path) => !path.startsWith("src/jose/"))).toEqual([]);
  });

  it("src/jose/ imports nothing but node:, @noble/curves and itself; both sides import it", () => {
    const jose = files.filter((file) => file.path.startsWith("src/jose/"));
    for (const file of jose) {
      const specifiers = [...file.text.matchAll(/(?:from\s+|import\()\s*["']([^"']+)["']/g)].map((m) => m[1] ?? "");
      const outside = specifiers.filter(
        (s) => !s.startsWith("node:") && !s.startsWith("@noble/curves/") && !/^\.\/[\w.]+$/.test(s),
      );
      expect(outside, file.path).toEqual([]);
    }
    const importers = (prefix: string): boolean =>
      files.some((file) => file.path.startsWith(prefix) && /from\s+["']\.\.\/(\.\.\/)?jose\//.test(file.text));
    expect(importers("src/cryptography/")).toBe(true);
    expect(importers("src/emulator/")).toBe(true);
  });

  it("the emulator imports nothing of the client (only the generated wire types and jose/)", () => {
    for (const file of files.filter((f) => f.path.startsWith("src/emulator/"))) {
      const specifiers = [...file.text.matchAll(/(?:from\s+|import\()\s*["'](\.[^"']+)["']/g)].map((m) => m[1] ?? "");
      const depth = file.path.split("/").length - 3; // folders below src/emulator/
      const up = "../".repeat(depth + 1);
      const leaving = specifiers.filter(
        (s) => s.startsWith(up) && !s.startsWith(`${up}generated/`) && !s.startsWith(`${up}jose/`),
      );
      expect(leaving, file.path).toEqual([]);
    }
  });
});
