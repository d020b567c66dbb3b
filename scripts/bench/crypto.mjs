// Local cryptography with public key material, per operation: ES256 and RS256 signature
// verification (verifyData: the client hashes), ES256 verification of a digest (verify: what node:crypto
// cannot do, so its column says so) and RSA-OAEP-256 encryption, by this package's
// CryptographyClient, by the official client's local provider, or by bare node:crypto (the floor:
// one KeyObject made once, then crypto.verify / crypto.publicEncrypt). Prints one JSON line with CPU
// microseconds per operation (after 3,000 warm-up calls), or the reason an operation is not available.
// Usage: node crypto.mjs <ours|official|floor|before> [iterations=3000] [package root, for "before"]
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  constants,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  sign,
  verify,
} from "node:crypto";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [which, iterationsText = "3000", beforeRoot] = process.argv.slice(2);
const iterations = Number(iterationsText);
const warmup = 3000;
const data = randomBytes(256);
const digest = createHash("sha256").update(data).digest();
const plaintext = randomBytes(32);

// Key objects re-made from DER: exporting a key of generateKeyPairSync as a JWK can deadlock with a GC
// on Node 20 (the finished job's destructor takes the key's lock, which the export holds).
const keyPair = (type, options) => {
  const der = generateKeyPairSync(type, {
    ...options,
    privateKeyEncoding: { type: "pkcs8", format: "der" },
    publicKeyEncoding: { type: "spki", format: "der" },
  });
  return {
    privateKey: createPrivateKey({ key: der.privateKey, format: "der", type: "pkcs8" }),
    publicKey: createPublicKey({ key: der.publicKey, format: "der", type: "spki" }),
  };
};
const ec = keyPair("ec", { namedCurve: "P-256" });
const rsa = keyPair("rsa", { modulusLength: 2048 });
const esSignature = sign("sha256", data, { key: ec.privateKey, dsaEncoding: "ieee-p1363" });
const rsSignature = sign("sha256", data, rsa.privateKey);
const ecJwk = ec.publicKey.export({ format: "jwk" });
const rsaJwk = rsa.publicKey.export({ format: "jwk" });
const bytes = (b64url) => new Uint8Array(Buffer.from(b64url, "base64url"));
const ecKey = {
  kid: "https://bench.vault.azure.net/keys/ec/1",
  kty: "EC",
  crv: "P-256",
  x: bytes(ecJwk.x),
  y: bytes(ecJwk.y),
  keyOps: ["verify"],
};
const rsaKey = {
  kid: "https://bench.vault.azure.net/keys/rsa/1",
  kty: "RSA",
  n: bytes(rsaJwk.n),
  e: bytes(rsaJwk.e),
  keyOps: ["verify", "encrypt"],
};

function clients() {
  if (which === "floor") {
    const ecPublic = createPublicKey({ key: ecJwk, format: "jwk" });
    const rsaPublic = createPublicKey({ key: rsaJwk, format: "jwk" });
    return {
      "ES256 verify": async () => verify("sha256", data, { key: ecPublic, dsaEncoding: "ieee-p1363" }, esSignature),
      "ES256 verify (digest)": () => {
        throw new Error("node:crypto cannot verify a digest");
      },
      "RS256 verify": async () => verify("sha256", data, rsaPublic, rsSignature),
      "RSA-OAEP-256 encrypt": async () =>
        publicEncrypt({ key: rsaPublic, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, plaintext)
          .length > 0,
    };
  }
  const { CryptographyClient } = require(
    which === "before"
      ? `${beforeRoot}/dist/cjs/index.js`
      : which === "ours"
        ? "keyvault-keys"
        : "@azure/keyvault-keys",
  );
  const ecClient = new CryptographyClient(ecKey);
  const rsaClient = new CryptographyClient(rsaKey);
  return {
    "ES256 verify": async () => (await ecClient.verifyData("ES256", data, esSignature)).result,
    "ES256 verify (digest)": async () => (await ecClient.verify("ES256", digest, esSignature)).result,
    "RS256 verify": async () => (await rsaClient.verifyData("RS256", data, rsSignature)).result,
    "RSA-OAEP-256 encrypt": async () =>
      (await rsaClient.encrypt({ algorithm: "RSA-OAEP-256", plaintext })).result.length > 0,
  };
}

const operationNames = ["ES256 verify", "ES256 verify (digest)", "RS256 verify", "RSA-OAEP-256 encrypt"];
const ops = {};
let operations;
try {
  operations = clients();
} catch (e) {
  for (const op of operationNames) ops[op] = `n/a: ${e.message}`;
}
for (const [name, run] of Object.entries(operations ?? {})) {
  try {
    if ((await run()) !== true) throw new Error("wrong result");
    // Warm-up: 3,000 calls for every side, so that the figure is the steady state rather than how
    // long each side's call path takes V8 to optimize (a longer path compiles longer, on the compiler
    // thread, which process.cpuUsage counts too).
    for (let i = 0; i < warmup; i++) await run();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < iterations; i++) await run();
    const cpu = process.cpuUsage(cpu0);
    ops[name] = (cpu.user + cpu.system) / iterations;
  } catch (e) {
    const message = String(e?.message ?? e);
    ops[name] = /node:crypto cannot/.test(message)
      ? "n/a (no digest API)"
      : /Unable to support operation|not supported/i.test(message)
        ? "n/a (not local)"
        : `n/a (${message.split("\n")[0].slice(0, 40)})`;
  }
}
process.stdout.write(JSON.stringify({ client: which, ops }) + "\n");
