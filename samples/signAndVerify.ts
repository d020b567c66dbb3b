/**
 * Sign a document with a key in the vault and verify the signature. The vault signs the document's
 * SHA-256 digest (the document itself never leaves the process); verification needs only the public
 * key, so the client does it locally, without a request. Runs against the built-in emulator unless
 * KEYVAULT_URI is set.
 *
 *   npx tsx samples/signAndVerify.ts
 */
import { createHash } from "node:crypto";
import { KeyClient } from "../src/index.js";
import { connect, runIfMain, uniqueName } from "./common/connect.js";

export async function main(): Promise<void> {
  const vault = await connect();
  try {
    const keys = new KeyClient(vault.vaultUrl, vault.credential, vault.clientOptions);
    const key = await keys.createEcKey(uniqueName("signer"), { curve: "P-256" });
    const crypto = keys.getCryptographyClient(key.name);

    const document = Buffer.from("I, the undersigned, agree to the terms.");
    const { result: signature } = await crypto.signData("ES256", document); // keys/sign
    console.log(`signed with ${key.id}: ${Buffer.from(signature).toString("base64url")}`);

    const valid = await crypto.verifyData("ES256", document, signature); // local: no request
    console.log(`signature valid: ${valid.result}`);
    const forged = await crypto.verifyData("ES256", Buffer.from("I, the undersigned, agree to nothing."), signature);
    console.log(`signature valid for an altered document: ${forged.result}`);

    // The same with a digest you computed yourself.
    const digest = createHash("sha256").update(document).digest();
    const { result: digestSignature } = await crypto.sign("ES256", digest);
    console.log(`digest signature valid: ${(await crypto.verify("ES256", digest, digestSignature)).result}`);
  } finally {
    await vault.close();
  }
}

runIfMain(import.meta.url, main);
