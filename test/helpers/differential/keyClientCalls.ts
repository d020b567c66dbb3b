/**
 * Every public KeyClient method that sends a request, as one call each that the options and error-path
 * differential tests run through both clients. The two clients take the same arguments; the official one
 * is typed as ours only so that one callback serves both.
 */
import type { KeyClient, OperationOptions } from "../../../src/index.js";
import { collect } from "../collect.js";
import { BACKUP_VALUE, EC_VERSION } from "./cannedValues.js";

/** One call: how the client is called, with the options under test merged into its own. */
export type KeyClientCall = (client: KeyClient, options: OperationOptions) => Promise<unknown>;

const jwk = { kty: "oct", k: new Uint8Array(16).fill(7) };
const backup = new Uint8Array(Buffer.from(BACKUP_VALUE, "base64url"));

/** Every request-sending method of KeyClient (both updateKeyProperties overloads; pollers run to the end). */
export const keyClientCalls: ReadonlyArray<readonly [string, KeyClientCall]> = [
  ["createKey", (c, o) => c.createKey("k", "RSA", { ...o, enabled: true })],
  ["createEcKey", (c, o) => c.createEcKey("k", { ...o, curve: "P-256", enabled: true })],
  ["createRsaKey", (c, o) => c.createRsaKey("k", { ...o, keySize: 2048, enabled: true })],
  ["createOctKey", (c, o) => c.createOctKey("k", { ...o, keySize: 128, enabled: true })],
  ["importKey", (c, o) => c.importKey("k", jwk, { ...o, enabled: true })],
  ["getKey", (c, o) => c.getKey("k", o)],
  ["getKeyAttestation", (c, o) => c.getKeyAttestation("k", { ...o, version: EC_VERSION })],
  ["getDeletedKey", (c, o) => c.getDeletedKey("k", o)],
  ["updateKeyProperties(version)", (c, o) => c.updateKeyProperties("k", EC_VERSION, { ...o, enabled: false })],
  ["updateKeyProperties(latest)", (c, o) => c.updateKeyProperties("k", { ...o, enabled: false })],
  ["purgeDeletedKey", (c, o) => c.purgeDeletedKey("k", o)],
  ["backupKey", (c, o) => c.backupKey("k", o)],
  ["restoreKeyBackup", (c, o) => c.restoreKeyBackup(backup, o)],
  ["rotateKey", (c, o) => c.rotateKey("k", o)],
  ["getKeyRotationPolicy", (c, o) => c.getKeyRotationPolicy("k", o)],
  [
    "updateKeyRotationPolicy",
    (c, o) =>
      c.updateKeyRotationPolicy(
        "k",
        { expiresIn: "P90D", lifetimeActions: [{ action: "Notify", timeBeforeExpiry: "P30D" }] },
        o,
      ),
  ],
  ["getRandomBytes", (c, o) => c.getRandomBytes(16, o)],
  ["releaseKey", (c, o) => c.releaseKey("k", "token", { ...o, nonce: "n" })],
  ["beginDeleteKey", async (c, o) => (await c.beginDeleteKey("k", { ...o, intervalInMs: 1 })).pollUntilDone()],
  [
    "beginRecoverDeletedKey",
    async (c, o) => (await c.beginRecoverDeletedKey("recover-me", { ...o, intervalInMs: 1 })).pollUntilDone(),
  ],
  ["listPropertiesOfKeys", (c, o) => collect(c.listPropertiesOfKeys(o))],
  ["listPropertiesOfKeyVersions", (c, o) => collect(c.listPropertiesOfKeyVersions("k", o))],
  ["listDeletedKeys", (c, o) => collect(c.listDeletedKeys(o))],
];

/** The official client, typed as ours for a {@link KeyClientCall}. */
export function asOurs(official: unknown): KeyClient {
  return official as KeyClient;
}
