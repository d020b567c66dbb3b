import type { TokenCredential } from "@azure/core-auth";
import * as ops from "../generated/operations.js";
import { parseKeyVaultKeyIdentifier } from "../identifier.js";
import { logger } from "../util/logger.js";
import { JsonWebKey, type JsonWebKeyFields } from "../models/jsonWebKey.js";
import { KeyVaultKey } from "../models/keyVaultKey.js";
import type { CryptographyClientOptions } from "../models/operationOptions.js";
import type { RestCallOptions } from "../http/keyVaultRestClient.js";
import type { KeyVaultRestClient } from "../http/keyVaultRestClient.js";
import { checkClientOptions, createKeyVaultRestClient } from "../http/createKeyVaultRestClient.js";
import { isRestErrorLike } from "../http/pendingRestError.js";
import { keyVaultKeyFromWire } from "../transformations.js";
import { assertJsonWebKey } from "../util/validation.js";
import type { KnownKeyState } from "./keyChecks.js";
import type { RemoteKey } from "./remote.js";
import type { KeyMode } from "./routing.js";

/** What the client holds: a JWK (local only), an id not yet fetched, a key with material, or an id it may not read. */
type KeyState =
  | { kind: "jsonWebKey"; jwk: JsonWebKey }
  | { kind: "identifier"; id: string }
  | { kind: "keyVaultKey"; key: KeyVaultKey }
  | { kind: "remoteOnly"; id: string };

/** Where remote operations go. */
interface Vault {
  url: string;
  key: RemoteKey;
  credential: TokenCredential;
  options: CryptographyClientOptions;
}

/**
 * The key of one CryptographyClient and the vault behind it. An id-only key is fetched once (GET key,
 * `keys/get`) on the first operation and kept; when that answers 403 every operation goes to the vault
 * from then on, as the official client does. Remote operations address the name and version of the id
 * the client was made with (version "" when it had none), as the official client does.
 * @internal
 */
export class KeySource {
  private state: KeyState;
  private readonly vault?: Vault;
  private restClient?: KeyVaultRestClient;
  private fetching?: Promise<void>;
  private checksOf?: { state: KeyState; checks: KnownKeyState | undefined };

  constructor(key: unknown, credential: TokenCredential | undefined, options: CryptographyClientOptions) {
    if (typeof key === "string" || isKeyVaultKey(key)) {
      const id = typeof key === "string" ? key : key.id;
      if (typeof id !== "string")
        throw new TypeError(
          "Invalid key: the KeyVaultKey has no id; pass a key from the vault, or a JsonWebKey for local use.",
        );
      const parsed = parseKeyId(id);
      if (typeof credential?.getToken !== "function") {
        throw new TypeError(
          "Invalid credential: a TokenCredential is required for a key in a vault (only a JsonWebKey works without one).",
        );
      }
      checkClientOptions(options);
      this.vault = {
        url: parsed.vaultUrl,
        key: { name: parsed.name, version: parsed.version ?? "" },
        credential,
        options: { ...options },
      };
      this.state = typeof key === "string" ? { kind: "identifier", id } : { kind: "keyVaultKey", key };
    } else {
      assertJsonWebKey(key, "key");
      this.state = { kind: "jsonWebKey", jwk: key instanceof JsonWebKey ? key : new JsonWebKey(key) };
    }
  }

  /** The key's id: as given, or the versioned id once fetched; the JWK's `kid` for a local key. */
  get keyID(): string | undefined {
    switch (this.state.kind) {
      case "jsonWebKey":
        return this.state.jwk.kid;
      case "keyVaultKey":
        return this.state.key.id;
      default:
        return this.state.id;
    }
  }

  /** The vault URL; "" for a local JsonWebKey, as in the official client. */
  get vaultUrl(): string {
    return this.vault?.url ?? "";
  }

  /** How operations are routed, given what is known now. */
  get mode(): KeyMode {
    if (this.state.kind === "jsonWebKey") return "local";
    return this.state.kind === "keyVaultKey" && this.state.key.key ? "hybrid" : "remote";
  }

  /** The key material known now, if any. */
  get jwk(): JsonWebKeyFields | undefined {
    if (this.state.kind === "jsonWebKey") return this.state.jwk;
    return this.state.kind === "keyVaultKey" ? this.state.key.key : undefined;
  }

  /** Whether the key is an id not fetched yet (an operation then fetches it first). */
  get unresolved(): boolean {
    return this.state.kind === "identifier";
  }

  /** What the local checks (enabled, dates, key_ops) look at; undefined when nothing is known. Made once per key state. */
  get checks(): KnownKeyState | undefined {
    if (this.checksOf?.state !== this.state) this.checksOf = { state: this.state, checks: this.readChecks() };
    return this.checksOf.checks;
  }

  private readChecks(): KnownKeyState | undefined {
    if (this.state.kind === "jsonWebKey") {
      const { kid, keyOps } = this.state.jwk;
      return { ...(kid !== undefined ? { id: kid } : {}), ...(keyOps ? { keyOps } : {}) };
    }
    if (this.state.kind !== "keyVaultKey") return undefined;
    const { id, keyOperations, properties } = this.state.key;
    const checks: KnownKeyState = {};
    if (id !== undefined) checks.id = id;
    if (keyOperations) checks.keyOps = keyOperations;
    if (properties.enabled !== undefined) checks.enabled = properties.enabled;
    if (properties.notBefore) checks.notBefore = properties.notBefore;
    if (properties.expiresOn) checks.expiresOn = properties.expiresOn;
    return checks;
  }

  /** The name and version remote operations address. */
  get remoteKey(): RemoteKey {
    if (!this.vault) throw new Error("This CryptographyClient holds a local JsonWebKey: it has no vault.");
    return this.vault.key;
  }

  /** The REST client, made on the first remote call. */
  sender(): KeyVaultRestClient {
    const vault = this.vault;
    if (!vault) throw new Error("This CryptographyClient holds a local JsonWebKey: it has no vault.");
    this.restClient ??= createKeyVaultRestClient(vault.url, vault.credential, vault.options);
    return this.restClient;
  }

  /** Fetches an id-only key once; concurrent callers share one request, a failure (other than 403) is retried next time. */
  async resolve(call: RestCallOptions): Promise<void> {
    if (this.state.kind !== "identifier") return;
    this.fetching ??= this.fetch(this.state.id, call).finally(() => {
      this.fetching = undefined;
    });
    await this.fetching;
  }

  private async fetch(id: string, call: RestCallOptions): Promise<void> {
    try {
      const bundle = await ops.getKey(
        this.sender(),
        { keyName: this.remoteKey.name, keyVersion: this.remoteKey.version },
        call,
      );
      this.state = { kind: "keyVaultKey", key: keyVaultKeyFromWire(bundle) };
    } catch (error) {
      if (
        !isRestErrorLike(error) ||
        (error.statusCode ?? (error as { options?: { statusCode?: number } }).options?.statusCode) !== 403
      )
        throw error;
      logger.verbose(`No permission to get key ${id}; every operation will be sent to the vault.`);
      this.state = { kind: "remoteOnly", id };
    }
  }
}

/** The name, vault and version of a key id, or the official client's error for an id it cannot use. */
function parseKeyId(id: string): { name: string; vaultUrl: string; version?: string } {
  try {
    const parsed = parseKeyVaultKeyIdentifier(id);
    if (parsed.name !== "" && parsed.vaultUrl !== "") return parsed;
  } catch {
    // The official client's message, below.
  }
  throw new Error(`${id} is not a valid Key Vault key ID`);
}

function isKeyVaultKey(value: unknown): value is KeyVaultKey {
  if (value instanceof KeyVaultKey) return true;
  // The official client tells a KeyVaultKey from a JsonWebKey by its `name`; a plain object of that shape counts.
  return typeof value === "object" && value !== null && "name" in value && "properties" in value;
}
