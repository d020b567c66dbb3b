/**
 * Backup blobs: a magic prefix, then AES-256-GCM (12-byte nonce, 16-byte tag, the prefix as additional
 * data) over the JSON of a stored key (every version, attributes, tags, rotation policy), all base64url.
 * The key is the instance's backup key, so a blob restores only into the emulator that made it, or one
 * sharing its `dataDir` or `backupKey`. Any change to a blob makes it fail authentication: 400.
 * @internal
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { badParameter } from "./errors.js";
import { isJsonObject } from "./encoding.js";
import type { StoredKey } from "../store/keyStore.js";

const magic = Buffer.from("KeyVaultKeysEmulatorBackupV1", "ascii");

/** Seals a key into an opaque blob. @internal */
export function sealBackup(key: StoredKey, backupKey: Buffer): string {
  const { name, versions, rotationPolicy } = key;
  const plaintext = Buffer.from(JSON.stringify({ name, versions, rotationPolicy }), "utf8");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", backupKey, iv);
  cipher.setAAD(magic);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([magic, iv, cipher.getAuthTag(), ciphertext]).toString("base64url");
}

/** Opens a blob made by {@link sealBackup}; 400 BadParameter when it is malformed or tampered with. @internal */
export function openBackup(value: unknown, backupKey: Buffer): StoredKey {
  // The service's words for any blob it cannot open (malformed, tampered with, or from another vault).
  const invalid = badParameter("Backup blob contains invalid or corrupt version.");
  if (typeof value !== "string" || !/^[A-Za-z0-9_-]+$/.test(value)) throw invalid;
  const blob = Buffer.from(value, "base64url");
  if (blob.length < magic.length + 28 || !blob.subarray(0, magic.length).equals(magic)) throw invalid;
  const iv = blob.subarray(magic.length, magic.length + 12);
  const tag = blob.subarray(magic.length + 12, magic.length + 28);
  let parsed: unknown;
  try {
    const decipher = createDecipheriv("aes-256-gcm", backupKey, iv);
    decipher.setAAD(magic);
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([decipher.update(blob.subarray(magic.length + 28)), decipher.final()]);
    parsed = JSON.parse(plaintext.toString("utf8"));
  } catch {
    throw invalid;
  }
  if (
    !isJsonObject(parsed) ||
    typeof parsed["name"] !== "string" ||
    !Array.isArray(parsed["versions"]) ||
    parsed["versions"].length === 0
  ) {
    throw invalid;
  }
  return parsed as unknown as StoredKey;
}
