/**
 * Import a key made elsewhere: an RSA key pair generated with node:crypto, exported as a JWK and
 * imported with its private part. Only the public part ever comes back from the vault.
 *
 *   npx tsx samples/importKey.ts
 */
import { generateKeyPairSync } from "node:crypto";
import { KeyClient, type JsonWebKeyFields } from "../src/index.js";
import { connect, runIfMain, uniqueName } from "./common/connect.js";

function toJsonWebKey(jwk: Record<string, unknown>): JsonWebKeyFields {
  const bytes = (field: string): Uint8Array => new Uint8Array(Buffer.from(String(jwk[field]), "base64url"));
  return {
    kty: "RSA",
    keyOps: ["sign", "verify", "encrypt", "decrypt", "wrapKey", "unwrapKey"],
    n: bytes("n"),
    e: bytes("e"),
    d: bytes("d"),
    p: bytes("p"),
    q: bytes("q"),
    dp: bytes("dp"),
    dq: bytes("dq"),
    qi: bytes("qi"),
  };
}

export async function main(): Promise<void> {
  const vault = await connect();
  try {
    const client = new KeyClient(vault.vaultUrl, vault.credential, vault.clientOptions);
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = privateKey.export({ format: "jwk" }) as Record<string, unknown>;

    const name = uniqueName("imported");
    const imported = await client.importKey(name, toJsonWebKey(jwk), { tags: { origin: "node:crypto" } });
    console.log(`imported ${imported.name} (${imported.keyType}), version ${imported.properties.version}`);
    console.log(`private exponent returned: ${imported.key?.d !== undefined ? "yes (unexpected!)" : "no"}`);
    console.log(`same modulus: ${Buffer.from(imported.key!.n!).toString("base64url") === jwk["n"]}`);

    await (await client.beginDeleteKey(name, { intervalInMs: vault.emulated ? 50 : 2000 })).pollUntilDone();
    await client.purgeDeletedKey(name);
  } finally {
    await vault.close();
  }
}

runIfMain(import.meta.url, main);
