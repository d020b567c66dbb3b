/**
 * The remote CryptographyClient differential tests' runs (cryptography.remote and cryptography.keyRead):
 * one call through a fresh client of each package for one key, against the fake vault, and the inputs
 * both files use.
 */
import { CryptographyClient as OfficialCryptographyClient } from "@azure/keyvault-keys";
import { CryptographyClient } from "../../../src/index.js";
import { digestOf } from "../cryptographyKeys.js";
import { clientOptions, fakeCredential, runBoth, type DiffRun } from "./clients.js";
import type { FakeVault } from "./fakeVault.js";

export const plaintext = Buffer.from("differential plaintext");
export const data = Buffer.from("a document");
export const digest256 = digestOf("RS256", data);

/** A call of a CryptographyClient (the official one is typed as ours, so that one callback serves both). */
export type CryptographyCall = (client: CryptographyClient) => Promise<unknown>;

/**
 * For a test file's vault (`differentialVault()`): runs a call through a fresh CryptographyClient of
 * each package for the key `id()` names, read once the vault has started.
 */
export function cryptographyRunner(file: {
  readonly vault: FakeVault;
}): (call: CryptographyCall, id: () => string) => Promise<DiffRun<unknown, unknown>> {
  return (call, id) =>
    runBoth(
      file.vault,
      () =>
        call(new OfficialCryptographyClient(id(), fakeCredential(), clientOptions()) as unknown as CryptographyClient),
      () => call(new CryptographyClient(id(), fakeCredential(), clientOptions())),
    );
}
