// ECDSA over a digest with a local-only CryptographyClient, on every Key Vault curve: how long the first
// sign and the first verify take in a fresh process (what blocks the event loop once: loading, tables)
// and the steady state over 200 calls after 100 warm-up calls, in microseconds per call (wall clock, one loop).
// Prints one JSON line. Usage: node ecdsaCurves.mjs <curve> [package-root=this package]
// (run.mjs runs each curve in its own process.)
import { createHash, createPrivateKey, generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [crv, packageRoot] = process.argv.slice(2);
const nodeCurve = { "P-256": "prime256v1", "P-384": "secp384r1", "P-521": "secp521r1", "P-256K": "secp256k1" }[crv];
const algorithm = { "P-256": "ES256", "P-384": "ES384", "P-521": "ES512", "P-256K": "ES256K" }[crv];
const hash = { ES256: "sha256", ES384: "sha384", ES512: "sha512", ES256K: "sha256" }[algorithm];
const { CryptographyClient } = require(packageRoot ? `${packageRoot}/dist/cjs/index.js` : "keyvault-keys");
// Re-made from DER: exporting a key of generateKeyPairSync can deadlock with a GC on Node 20.
const der = generateKeyPairSync("ec", {
  namedCurve: nodeCurve,
  privateKeyEncoding: { type: "pkcs8", format: "der" },
  publicKeyEncoding: { type: "spki", format: "der" },
}).privateKey;
const j = createPrivateKey({ key: der, format: "der", type: "pkcs8" }).export({ format: "jwk" });
const bytes = (text) => new Uint8Array(Buffer.from(text, "base64url"));
const publicJwk = { kty: "EC", crv, x: bytes(j.x), y: bytes(j.y) };
const signer = new CryptographyClient({ ...publicJwk, d: bytes(j.d) });
const verifier = new CryptographyClient(publicJwk);
const digest = createHash(hash).update("ecdsa curves").digest();
const ms = async (fn) => {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
};
const firstSign = await ms(() => signer.sign(algorithm, digest));
const signature = firstSign.value.result;
const firstVerify = await ms(() => verifier.verify(algorithm, digest, signature));
if (firstVerify.value.result !== true) throw new Error("the signature did not verify");
const steady = async (fn) => {
  for (let i = 0; i < 100; i++) await fn();
  const n = 200;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  return Number(process.hrtime.bigint() - t0) / 1e3 / n;
};
const signUs = await steady(() => signer.sign(algorithm, digest));
const verifyUs = await steady(() => verifier.verify(algorithm, digest, signature));
process.stdout.write(
  JSON.stringify({ crv, firstSignMs: firstSign.ms, firstVerifyMs: firstVerify.ms, signUs, verifyUs }) + "\n",
);
