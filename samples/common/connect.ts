import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TokenCredential } from "@azure/core-auth";
import type { KeyClientOptions } from "../../src/index.js";

/** Where a sample sends its requests, and how to stop what it started. */
export interface SampleVault {
  vaultUrl: string;
  credential: TokenCredential;
  clientOptions: KeyClientOptions;
  /** True when the sample runs against the built-in emulator. */
  emulated: boolean;
  close(): Promise<void>;
}

/**
 * With `KEYVAULT_URI` set: that vault, with `DefaultAzureCredential`. Without it: the built-in emulator,
 * started in-process over HTTPS on a free loopback port, its self-signed certificate trusted through
 * the client option `tlsOptions` (nothing is configured globally).
 */
export async function connect(): Promise<SampleVault> {
  const vaultUrl = process.env["KEYVAULT_URI"];
  if (vaultUrl) {
    const { DefaultAzureCredential } = await import("@azure/identity");
    return {
      vaultUrl,
      credential: new DefaultAzureCredential(),
      clientOptions: {},
      emulated: false,
      close: async () => {},
    };
  }
  const { startEmulator } = await import("../../src/emulator/index.js");
  const emulator = await startEmulator({ port: 0 });
  return {
    vaultUrl: emulator.url,
    credential: emulator.credential,
    // The emulator listens on 127.0.0.1, which is not under vault.azure.net: skip that one check.
    clientOptions: { tlsOptions: { ca: emulator.certificate }, disableChallengeResourceVerification: true },
    emulated: true,
    close: () => emulator.close(),
  };
}

/** A key name that will not collide with an earlier run (soft-deleted names stay taken). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Runs a sample's `main` when its file is executed directly. */
export function runIfMain(metaUrl: string, main: () => Promise<void>): void {
  const entry = process.argv[1];
  if (entry && resolve(entry) === fileURLToPath(metaUrl)) {
    main().catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
  }
}
