/**
 * Envelope encryption of a file: a random AES-256-GCM data key encrypts the file locally, and a key
 * in the vault wraps the data key. Store the wrapped key next to the ciphertext; to decrypt, the vault
 * unwraps the data key (the private key never leaves it) and the file is decrypted locally. Runs against
 * the built-in emulator unless KEYVAULT_URI is set.
 *
 *   npx tsx samples/envelopeEncryption.ts [file]
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { KeyClient } from "../src/index.js";
import { connect, runIfMain, uniqueName } from "./common/connect.js";

/** What is stored: the file encrypted with the data key, and the data key wrapped by the vault key. */
interface Envelope {
  keyId: string;
  wrappedKey: Uint8Array;
  iv: Uint8Array;
  tag: Uint8Array;
  ciphertext: Uint8Array;
}

export async function main(file = process.argv[2]): Promise<void> {
  const plaintext = file ? await readFile(file) : Buffer.from("A file's contents, to be kept secret.\n".repeat(100));
  const vault = await connect();
  try {
    const keys = new KeyClient(vault.vaultUrl, vault.credential, vault.clientOptions);
    const key = await keys.createRsaKey(uniqueName("envelope"), { keySize: 3072 });
    const crypto = keys.getCryptographyClient(key.name);

    // Seal: encrypt locally with a fresh data key, then wrap the data key (RSA wrapping needs only the public key).
    const dataKey = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", dataKey, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const wrapped = await crypto.wrapKey("RSA-OAEP-256", dataKey); // keys/wrapKey
    const envelope: Envelope = {
      keyId: wrapped.keyID ?? key.id!,
      wrappedKey: wrapped.result,
      iv,
      tag: cipher.getAuthTag(),
      ciphertext,
    };
    console.log(
      `sealed ${plaintext.length} bytes; data key wrapped by ${envelope.keyId} (${envelope.wrappedKey.length} bytes)`,
    );

    // Open: the vault unwraps the data key, the file is decrypted locally.
    const { result: unwrapped } = await crypto.unwrapKey("RSA-OAEP-256", envelope.wrappedKey); // keys/unwrapKey
    const decipher = createDecipheriv("aes-256-gcm", unwrapped, envelope.iv).setAuthTag(envelope.tag);
    const opened = Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]);
    console.log(`opened: ${opened.equals(plaintext) ? "identical to the original" : "DIFFERENT"}`);
  } finally {
    await vault.close();
  }
}

runIfMain(import.meta.url, () => main());
