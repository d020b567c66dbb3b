import type { TokenCredential } from "@azure/core-auth";
import type { PollerLike, PollOperationState } from "@azure/core-lro";
import { CryptographyClient } from "./cryptographyClient.js";
import { fromBase64Url, toBase64Url } from "./util/encoding.js";
import * as ops from "./generated/operations.js";
import type * as Wire from "./generated/models.js";
import type { DeletedKey } from "./models/deletedKey.js";
import type { JsonWebKeyFields } from "./models/jsonWebKey.js";
import type { KeyProperties } from "./models/keyProperties.js";
import type {
  BackupKeyOptions,
  BeginDeleteKeyOptions,
  BeginRecoverDeletedKeyOptions,
  CreateEcKeyOptions,
  CreateKeyOptions,
  CreateOctKeyOptions,
  CreateRsaKeyOptions,
  GetCryptographyClientOptions,
  GetDeletedKeyOptions,
  GetKeyAttestationOptions,
  GetKeyOptions,
  GetKeyRotationPolicyOptions,
  GetRandomBytesOptions,
  ImportKeyOptions,
  ListDeletedKeysOptions,
  ListPropertiesOfKeysOptions,
  ListPropertiesOfKeyVersionsOptions,
  PurgeDeletedKeyOptions,
  ReleaseKeyOptions,
  ReleaseKeyResult,
  RestoreKeyBackupOptions,
  RotateKeyOptions,
  UpdateKeyPropertiesOptions,
  UpdateKeyRotationPolicyOptions,
} from "./models/keyOptions.js";
import type { KeyVaultKey } from "./models/keyVaultKey.js";
import type { KeyType } from "./models/known.js";
import type { KeyClientOptions, OperationOptions } from "./models/operationOptions.js";
import type { KeyRotationPolicy, KeyRotationPolicyProperties } from "./models/rotationPolicy.js";
import { createKeyVaultPager, type KeyVaultPage, type PagedAsyncIterableIterator } from "./paging/keyVaultPager.js";
import { toCallOptions } from "./http/callOptions.js";
import type { KeyVaultRestClient, RestCallOptions } from "./http/keyVaultRestClient.js";
import { createKeyVaultRestClient } from "./http/createKeyVaultRestClient.js";
import {
  deletedKeyFromItem,
  deletedKeyFromWire,
  jsonWebKeyToWire,
  keyAttributesToWire,
  keyCreateParametersToWire,
  keyPropertiesFromItem,
  keyVaultKeyFromWire,
  releasePolicyToWire,
  rotationPolicyFromWire,
  rotationPolicyToWire,
} from "./transformations.js";
import { malformed } from "./util/wireReaders.js";
import { OperationTracing } from "./tracing/operationTracing.js";
import { assertJsonWebKey, assertKeyName, assertKeyVersion, normalizeVaultUrl } from "./util/validation.js";

/**
 * The client for the keys of one Azure Key Vault or Managed HSM: create, import, read, update, rotate,
 * back up, delete, recover and purge keys, list them, and get random bytes.
 *
 * @example
 * ```ts
 * import { DefaultAzureCredential } from "@azure/identity";
 * import { KeyClient } from "keyvault-keys";
 *
 * const client = new KeyClient("https://myvault.vault.azure.net", new DefaultAzureCredential());
 * const key = await client.createRsaKey("my-key", { keySize: 2048 });
 * ```
 */
export class KeyClient {
  /** The URL of the vault this client talks to, as given to the constructor. */
  readonly vaultUrl: string;
  private readonly client: KeyVaultRestClient;
  private readonly credential: TokenCredential;
  private readonly options: KeyClientOptions;
  private readonly tracing = new OperationTracing("KeyClient");

  /**
   * @param vaultUrl - the vault's URL, such as `https://myvault.vault.azure.net`.
   * @param credential - where tokens come from, such as `DefaultAzureCredential` from `@azure/identity`.
   * @param options - pipeline options, `serviceVersion` and `disableChallengeResourceVerification`.
   * @throws when `vaultUrl` is not an absolute URL, `serviceVersion` is unknown or `requestTimeoutInMs` is out of range.
   *
   * @example
   * ```ts
   * const keys = new KeyClient("https://myvault.vault.azure.net", credential, { retryOptions: { maxRetries: 5 } });
   * ```
   */
  constructor(vaultUrl: string, credential: TokenCredential, options: KeyClientOptions = {}) {
    const baseUrl = normalizeVaultUrl(vaultUrl);
    this.vaultUrl = vaultUrl;
    this.credential = credential;
    this.options = { ...options };
    this.client = createKeyVaultRestClient(baseUrl, credential, this.options);
  }

  /**
   * Creates a key of any type; a new version when the name exists. Permission: `keys/create`.
   *
   * @example
   * ```ts
   * const key = await client.createKey("my-key", "EC", { curve: "P-256" });
   * ```
   */
  async createKey(name: string, keyType: KeyType, options: CreateKeyOptions = {}): Promise<KeyVaultKey> {
    assertKeyName(name);
    if (typeof keyType !== "string" || keyType.length === 0)
      throw new TypeError('Invalid keyType: a key type such as "RSA" is required.');
    return this.send("createKey", options, async (call) => {
      const kty = options.hsm && !keyType.endsWith("-HSM") ? `${keyType}-HSM` : keyType;
      return keyVaultKeyFromWire(
        await ops.createKey(this.client, { keyName: name, body: keyCreateParametersToWire(kty, options) }, call),
      );
    });
  }

  /**
   * Creates an elliptic-curve key (`EC`, or `EC-HSM` with `hsm: true`). Permission: `keys/create`.
   *
   * @example
   * ```ts
   * const key = await client.createEcKey("my-ec-key", { curve: "P-384" });
   * ```
   */
  async createEcKey(name: string, options: CreateEcKeyOptions = {}): Promise<KeyVaultKey> {
    assertKeyName(name);
    return this.send("createEcKey", options, async (call) =>
      keyVaultKeyFromWire(
        await ops.createKey(
          this.client,
          { keyName: name, body: keyCreateParametersToWire(options.hsm ? "EC-HSM" : "EC", options) },
          call,
        ),
      ),
    );
  }

  /**
   * Creates an RSA key (`RSA`, or `RSA-HSM` with `hsm: true`). Permission: `keys/create`.
   *
   * @example
   * ```ts
   * const key = await client.createRsaKey("my-rsa-key", { keySize: 3072, publicExponent: 65537 });
   * ```
   */
  async createRsaKey(name: string, options: CreateRsaKeyOptions = {}): Promise<KeyVaultKey> {
    assertKeyName(name);
    return this.send("createRsaKey", options, (call) =>
      ops
        .createKey(
          this.client,
          { keyName: name, body: keyCreateParametersToWire(options.hsm ? "RSA-HSM" : "RSA", options) },
          call,
        )
        .then(keyVaultKeyFromWire),
    );
  }

  /**
   * Creates a symmetric key (`oct`, or `oct-HSM` with `hsm: true`; Managed HSM only). Permission: `keys/create`.
   *
   * @example
   * ```ts
   * const key = await client.createOctKey("my-aes-key", { keySize: 256, hsm: true });
   * ```
   */
  async createOctKey(name: string, options: CreateOctKeyOptions = {}): Promise<KeyVaultKey> {
    assertKeyName(name);
    return this.send("createOctKey", options, async (call) =>
      keyVaultKeyFromWire(
        await ops.createKey(
          this.client,
          { keyName: name, body: keyCreateParametersToWire(options.hsm ? "oct-HSM" : "oct", options) },
          call,
        ),
      ),
    );
  }

  /**
   * Imports an existing key (with its private part) as a new key or version. Permission: `keys/import`.
   *
   * @example
   * ```ts
   * const key = await client.importKey("imported", { kty: "RSA", n, e, d, p, q, dp, dq, qi });
   * ```
   */
  async importKey(name: string, key: JsonWebKeyFields, options: ImportKeyOptions = {}): Promise<KeyVaultKey> {
    assertKeyName(name);
    assertJsonWebKey(key);
    return this.send("importKey", options, async (call) => {
      // In the order the official client writes them.
      const body = {
        ...(options.hardwareProtected !== undefined ? { Hsm: options.hardwareProtected } : {}),
        key: jsonWebKeyToWire(key),
      } as Wire.KeyImportParameters;
      const attributes = keyAttributesToWire(options);
      if (attributes) body.attributes = attributes;
      if (options.tags) body.tags = { ...options.tags };
      const releasePolicy = releasePolicyToWire(options.releasePolicy);
      if (releasePolicy) body.release_policy = releasePolicy;
      return keyVaultKeyFromWire(await ops.importKey(this.client, { keyName: name, body }, call));
    });
  }

  /**
   * A {@link CryptographyClient} for one of this vault's keys, sharing this client's credential and options.
   *
   * @example
   * ```ts
   * const crypto = client.getCryptographyClient("my-key");
   * const { result } = await crypto.sign("RS256", digest);
   * ```
   */
  getCryptographyClient(keyName: string, options: GetCryptographyClientOptions = {}): CryptographyClient {
    assertKeyName(keyName, "keyName");
    assertKeyVersion(options.keyVersion, "keyVersion");
    // The key's URL relative to the vault URL, as the official client makes it.
    const id = new URL(["keys", keyName, options.keyVersion].filter(Boolean).join("/"), this.vaultUrl).toString();
    return new CryptographyClient(id, this.credential, this.options);
  }

  /**
   * Deletes a key (every version) and returns a poller that waits until the deletion is complete.
   * Permission: `keys/delete` (and `keys/get` on deleted keys, to poll).
   *
   * @example
   * ```ts
   * const poller = await client.beginDeleteKey("my-key");
   * const deleted = await poller.pollUntilDone();
   * ```
   */
  async beginDeleteKey(
    name: string,
    options: BeginDeleteKeyOptions = {},
  ): Promise<PollerLike<PollOperationState<DeletedKey>, DeletedKey>> {
    if (!options.resumeFrom) assertKeyName(name);
    return this.send("beginDeleteKey", options, async (call) =>
      (await loadPollers()).beginDeleteKeyPoller({
        client: this.client,
        name,
        options: { ...call, ...pollerSettings(options) },
      }),
    );
  }

  /**
   * Updates a key version's attributes, operations, tags or release policy; the latest version when
   * `keyVersion` is absent. Permission: `keys/update`.
   *
   * @example
   * ```ts
   * await client.updateKeyProperties("my-key", key.properties.version!, { enabled: false });
   * await client.updateKeyProperties("my-key", { tags: { team: "payments" } });
   * ```
   */
  updateKeyProperties(name: string, keyVersion: string, options?: UpdateKeyPropertiesOptions): Promise<KeyVaultKey>;
  /**
   * Updates the latest version's attributes, operations, tags or release policy. Permission: `keys/update`.
   *
   * @example
   * ```ts
   * await client.updateKeyProperties("my-key", { enabled: false });
   * ```
   */
  updateKeyProperties(name: string, options?: UpdateKeyPropertiesOptions): Promise<KeyVaultKey>;
  async updateKeyProperties(
    name: string,
    versionOrOptions?: string | UpdateKeyPropertiesOptions,
    maybeOptions?: UpdateKeyPropertiesOptions,
  ): Promise<KeyVaultKey> {
    const version = typeof versionOrOptions === "string" ? versionOrOptions : "";
    const options = (typeof versionOrOptions === "string" ? maybeOptions : versionOrOptions) ?? {};
    assertKeyName(name);
    assertKeyVersion(version, "keyVersion");
    return this.send("updateKeyProperties", options, async (call) => {
      const body: Wire.KeyUpdateParameters = {};
      if (options.keyOps) body.key_ops = [...options.keyOps];
      // Not exportable: an update cannot change it (and the official client does not send it either).
      const { enabled, notBefore, expiresOn } = options;
      const attributes = keyAttributesToWire({ enabled, notBefore, expiresOn });
      if (attributes) body.attributes = attributes;
      if (options.tags) body.tags = { ...options.tags };
      const releasePolicy = releasePolicyToWire(options.releasePolicy);
      if (releasePolicy) body.release_policy = releasePolicy;
      return keyVaultKeyFromWire(await ops.updateKey(this.client, { keyName: name, keyVersion: version, body }, call));
    });
  }

  /**
   * Gets a key with its public material; the latest version unless `version` is given. Permission: `keys/get`.
   *
   * @example
   * ```ts
   * const key = await client.getKey("my-key");
   * ```
   */
  async getKey(name: string, options: GetKeyOptions = {}): Promise<KeyVaultKey> {
    assertKeyName(name);
    assertKeyVersion(options.version);
    return this.send("getKey", options, (call) =>
      ops.getKey(this.client, { keyName: name, keyVersion: options.version ?? "" }, call).then(keyVaultKeyFromWire),
    );
  }

  /**
   * Gets a key together with its HSM attestation (`properties.attestation`). Permission: `keys/get`.
   *
   * @example
   * ```ts
   * const { properties } = await client.getKeyAttestation("my-hsm-key");
   * ```
   */
  async getKeyAttestation(name: string, options: GetKeyAttestationOptions = {}): Promise<KeyVaultKey> {
    assertKeyName(name);
    assertKeyVersion(options.version);
    return this.send("getKeyAttestation", options, async (call) =>
      keyVaultKeyFromWire(
        await ops.getKeyAttestation(this.client, { keyName: name, keyVersion: options.version ?? "" }, call),
      ),
    );
  }

  /**
   * Gets a soft-deleted key. Permission: `keys/get`.
   *
   * @example
   * ```ts
   * const deleted = await client.getDeletedKey("my-key");
   * console.log(deleted.properties.scheduledPurgeDate);
   * ```
   */
  async getDeletedKey(name: string, options: GetDeletedKeyOptions = {}): Promise<DeletedKey> {
    assertKeyName(name);
    return this.send("getDeletedKey", options, async (call) =>
      deletedKeyFromWire(await ops.getDeletedKey(this.client, { keyName: name }, call)),
    );
  }

  /**
   * Purges a soft-deleted key for good. Permission: `keys/purge`.
   *
   * @example
   * ```ts
   * await client.purgeDeletedKey("my-key");
   * ```
   */
  async purgeDeletedKey(name: string, options: PurgeDeletedKeyOptions = {}): Promise<void> {
    assertKeyName(name);
    return this.send("purgeDeletedKey", options, async (call) => {
      await ops.purgeDeletedKey(this.client, { keyName: name }, call);
    });
  }

  /**
   * Recovers a soft-deleted key (every version) and returns a poller that waits until it is readable.
   * Permission: `keys/recover` (and `keys/get`, to poll).
   *
   * @example
   * ```ts
   * const poller = await client.beginRecoverDeletedKey("my-key");
   * await poller.pollUntilDone();
   * ```
   */
  async beginRecoverDeletedKey(
    name: string,
    options: BeginRecoverDeletedKeyOptions = {},
  ): Promise<PollerLike<PollOperationState<DeletedKey>, DeletedKey>> {
    if (!options.resumeFrom) assertKeyName(name);
    return this.send("beginRecoverDeletedKey", options, async (call) =>
      (await loadPollers()).beginRecoverDeletedKeyPoller({
        client: this.client,
        name,
        options: { ...call, ...pollerSettings(options) },
      }),
    );
  }

  /**
   * Backs up every version of a key as an opaque blob that only Key Vault can restore (a Node `Buffer`, as
   * the official package returns it). Permission: `keys/backup`.
   *
   * @example
   * ```ts
   * const backup = await client.backupKey("my-key");
   * ```
   */
  async backupKey(name: string, options: BackupKeyOptions = {}): Promise<Uint8Array | undefined> {
    assertKeyName(name);
    return this.send("backupKey", options, async (call) => {
      const answer: unknown = await ops.backupKey(this.client, { keyName: name }, call);
      if (typeof answer !== "object" || answer === null) throw malformed("backup result", "an object");
      const value = valueOf(answer);
      if (value !== undefined && typeof value !== "string") throw malformed("backup result.value", "a string");
      return value === undefined ? undefined : fromBase64Url(value);
    });
  }

  /**
   * Restores a backup made by {@link KeyClient.backupKey}, with every version. Permission: `keys/restore`.
   *
   * @example
   * ```ts
   * const restored = await client.restoreKeyBackup(backup!);
   * ```
   */
  async restoreKeyBackup(backup: Uint8Array, options: RestoreKeyBackupOptions = {}): Promise<KeyVaultKey> {
    if (!(backup instanceof Uint8Array) || backup.length === 0) {
      throw new TypeError("Invalid backup: expected the non-empty Uint8Array that backupKey returned.");
    }
    return this.send("restoreKeyBackup", options, async (call) =>
      keyVaultKeyFromWire(await ops.restoreKey(this.client, { body: { value: toBase64Url(backup) } }, call)),
    );
  }

  /**
   * Gets `count` (1 to 128) random bytes from the vault's HSM, as a Node `Buffer`. Permission: `rng`.
   *
   * @example
   * ```ts
   * const bytes = await client.getRandomBytes(32);
   * ```
   */
  async getRandomBytes(count: number, options: GetRandomBytesOptions = {}): Promise<Uint8Array> {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`Invalid count ${String(count)}: expected a positive integer.`);
    return this.send("getRandomBytes", options, async (call) => {
      const value = valueOf(await ops.getRandomBytes(this.client, { body: { count } }, call));
      if (typeof value !== "string") throw malformed("random bytes.value", "a string");
      return fromBase64Url(value);
    });
  }

  /**
   * Makes a new version of a key now, as its rotation policy would. Permission: `keys/rotate`.
   *
   * @example
   * ```ts
   * const rotated = await client.rotateKey("my-key");
   * ```
   */
  async rotateKey(name: string, options: RotateKeyOptions = {}): Promise<KeyVaultKey> {
    assertKeyName(name);
    return this.send("rotateKey", options, async (call) =>
      keyVaultKeyFromWire(await ops.rotateKey(this.client, { keyName: name }, call)),
    );
  }

  /**
   * Releases (exports) an exportable key to an attested environment. Permission: `keys/release`.
   *
   * @example
   * ```ts
   * const { value } = await client.releaseKey("my-key", attestationToken, { algorithm: "RSA_AES_KEY_WRAP_256" });
   * ```
   */
  async releaseKey(
    name: string,
    targetAttestationToken: string,
    options: ReleaseKeyOptions = {},
  ): Promise<ReleaseKeyResult> {
    assertKeyName(name);
    assertKeyVersion(options.version);
    if (typeof targetAttestationToken !== "string" || targetAttestationToken.length === 0) {
      throw new TypeError("Invalid targetAttestationToken: a non-empty attestation token is required.");
    }
    return this.send("releaseKey", options, async (call) => {
      const body: Wire.KeyReleaseParameters = { target: targetAttestationToken };
      if (options.nonce !== undefined) body.nonce = options.nonce;
      if (options.algorithm !== undefined) body.enc = options.algorithm;
      const value = valueOf(
        await ops.release(this.client, { keyName: name, keyVersion: options.version ?? "", body }, call),
      );
      if (typeof value !== "string") throw malformed("release result.value", "a string");
      return { value };
    });
  }

  /**
   * Gets a key's rotation policy. Permission: `keys/get`.
   *
   * @example
   * ```ts
   * const policy = await client.getKeyRotationPolicy("my-key");
   * ```
   */
  async getKeyRotationPolicy(keyName: string, options: GetKeyRotationPolicyOptions = {}): Promise<KeyRotationPolicy> {
    assertKeyName(keyName, "keyName");
    return this.send("getKeyRotationPolicy", options, async (call) =>
      rotationPolicyFromWire(await ops.getKeyRotationPolicy(this.client, { keyName }, call)),
    );
  }

  /**
   * Sets a key's rotation policy. Permission: `keys/update`.
   *
   * @example
   * ```ts
   * await client.updateKeyRotationPolicy("my-key", {
   *   expiresIn: "P90D",
   *   lifetimeActions: [{ action: "Rotate", timeBeforeExpiry: "P30D" }],
   * });
   * ```
   */
  async updateKeyRotationPolicy(
    keyName: string,
    policy: KeyRotationPolicyProperties,
    options: UpdateKeyRotationPolicyOptions = {},
  ): Promise<KeyRotationPolicy> {
    assertKeyName(keyName, "keyName");
    // Checked as given: a JavaScript caller can pass anything.
    const given: unknown = policy;
    if (typeof given !== "object" || given === null)
      throw new TypeError("Invalid policy: expected a rotation policy object.");
    return this.send("updateKeyRotationPolicy", options, async (call) =>
      rotationPolicyFromWire(
        await ops.updateKeyRotationPolicy(this.client, { keyName, body: rotationPolicyToWire(policy) }, call),
      ),
    );
  }

  /**
   * Lists the properties of every version of a key. Permission: `keys/list`.
   *
   * @example
   * ```ts
   * for await (const version of client.listPropertiesOfKeyVersions("my-key")) console.log(version.version);
   * ```
   */
  listPropertiesOfKeyVersions(
    name: string,
    options: ListPropertiesOfKeyVersionsOptions = {},
  ): PagedAsyncIterableIterator<KeyProperties, KeyVaultPage<KeyProperties>> {
    // Validated on the first page, as every error of a list surfaces: when it is iterated.
    return this.list(
      "listPropertiesOfKeyVersions",
      "GetKeyVersions",
      options,
      keyPropertiesFromItem,
      (maxresults, call) => {
        assertKeyName(name);
        return ops.getKeyVersions(
          this.client,
          { keyName: name, ...(maxresults !== undefined ? { maxresults } : {}) },
          call,
        );
      },
    );
  }

  /**
   * Lists the properties of the latest version of every key (no key material). Permission: `keys/list`.
   *
   * @example
   * ```ts
   * for await (const properties of client.listPropertiesOfKeys()) console.log(properties.name);
   * for await (const page of client.listPropertiesOfKeys().byPage({ maxPageSize: 10 })) console.log(page.length);
   * ```
   */
  listPropertiesOfKeys(
    options: ListPropertiesOfKeysOptions = {},
  ): PagedAsyncIterableIterator<KeyProperties, KeyVaultPage<KeyProperties>> {
    return this.list("listPropertiesOfKeys", "GetKeys", options, keyPropertiesFromItem, (maxresults, call) =>
      ops.getKeys(this.client, maxresults !== undefined ? { maxresults } : {}, call),
    );
  }

  /**
   * Lists the soft-deleted keys. Permission: `keys/list`.
   *
   * @example
   * ```ts
   * for await (const deleted of client.listDeletedKeys()) console.log(deleted.name, deleted.properties.deletedOn);
   * ```
   */
  listDeletedKeys(
    options: ListDeletedKeysOptions = {},
  ): PagedAsyncIterableIterator<DeletedKey, KeyVaultPage<DeletedKey>> {
    return this.list("listDeletedKeys", "GetDeletedKeys", options, deletedKeyFromItem, (maxresults, call) =>
      ops.getDeletedKeys(this.client, maxresults !== undefined ? { maxresults } : {}, call),
    );
  }

  /** A list: its pager, whose first page is sent inside the method's span (later pages carry no span of their own). */
  private list<T>(
    method: string,
    operationId: string,
    options: OperationOptions,
    mapItem: (item: unknown) => T,
    firstPage: (maxresults: number | undefined, call: RestCallOptions) => Promise<unknown>,
  ): PagedAsyncIterableIterator<T, KeyVaultPage<T>> {
    return createKeyVaultPager({
      client: this.client,
      operationId,
      options,
      mapItem,
      tracingActive: () => this.tracing.recording,
      firstPage: (maxresults, call) =>
        this.send(method, options, (span) => {
          call.tracingActive = span.tracingActive;
          return firstPage(maxresults, call);
        }),
    });
  }

  /** Runs one public operation inside its tracing span, with the per-request options it needs; errors leave as RestErrors. */
  private send<T>(
    method: string,
    options: OperationOptions,
    run: (call: ReturnType<typeof toCallOptions>) => Promise<T>,
  ): Promise<T> {
    return this.tracing.withSpan(method, options, (updated, recording) => {
      const call = toCallOptions(updated);
      if (recording) call.tracingActive = true;
      return run(call);
    });
  }
}

/** The pollers (and @azure/core-lro under them) load on the first delete or recover, not with the package. */
function loadPollers(): Promise<typeof import("./lro/deletePollers.js")> {
  return import("./lro/deletePollers.js");
}

function pollerSettings(options: { intervalInMs?: number; resumeFrom?: string }): {
  intervalInMs?: number;
  resumeFrom?: string;
} {
  return {
    ...(options.intervalInMs !== undefined ? { intervalInMs: options.intervalInMs } : {}),
    ...(options.resumeFrom !== undefined ? { resumeFrom: options.resumeFrom } : {}),
  };
}

/** A result's `value` as the service sent it: the wire types say what it should be, not what it is. */
function valueOf(result: unknown): unknown {
  return typeof result === "object" && result !== null ? (result as { value?: unknown }).value : undefined;
}
