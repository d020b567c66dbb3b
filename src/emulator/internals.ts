/**
 * Access to a running emulator's insides for the package's own tests and scripts (store snapshots,
 * token forging). Not exported from `keyvault-keys/emulator`.
 * @internal
 */
import type { TokenAuthority } from "./http/auth.js";
import type { BodyBudget } from "./http/requestBody.js";
import { nameKey, type KeyStore } from "./store/keyStore.js";

/** What tests may reach. @internal */
export interface EmulatorInternals {
  store: KeyStore;
  auth: TokenAuthority;
  /** The request bodies held at once. */
  bodies: BodyBudget;
}

const registry = new WeakMap<object, EmulatorInternals>();

/** Records the insides of a started emulator. @internal */
export function registerInternals(emulator: object, internals: EmulatorInternals): void {
  registry.set(emulator, internals);
}

/** The insides of an emulator started in this process. @internal */
export function internalsOf(emulator: object): EmulatorInternals {
  const found = registry.get(emulator);
  if (!found) throw new Error("not an emulator started by startEmulator in this process");
  return found;
}

/**
 * A canonical text of everything the store holds (keys, versions, attributes, deleted state,
 * rotation policies and the version sequence), for before/after comparisons. @internal
 */
export function storeFingerprint(emulator: object): string {
  const { sequence, keys } = internalsOf(emulator).store.snapshot();
  return JSON.stringify({
    sequence,
    keys: [...keys].sort((a, b) => (nameKey(a.name) < nameKey(b.name) ? -1 : 1)),
  });
}
