import { JsonWebKey, type JsonWebKeyFields } from "./jsonWebKey.js";
import { KeyProperties, type KeyPropertiesFields } from "./keyProperties.js";
import type { KeyOperation, KeyType } from "./known.js";

/**
 * A key with its public material and properties, as `getKey`, `createKey` and friends return it.
 *
 * @example
 * ```ts
 * const key = new KeyVaultKey("https://myvault.vault.azure.net/keys/my-key/0123456789abcdef0123456789abcdef", { kty: "RSA", n, e });
 * key.name; // "my-key"
 * ```
 */
export class KeyVaultKey {
  /** The key material (public parts only, when it comes from the service). */
  declare readonly key?: JsonWebKey;
  /** The key's name. */
  readonly name: string;
  /** The key's identifier (`kid`). */
  declare readonly id?: string;
  /** The key's type (`kty`). */
  declare readonly keyType?: KeyType;
  /** The operations the key allows. */
  declare readonly keyOperations?: KeyOperation[];
  /** The key's attributes and metadata. */
  readonly properties: KeyProperties;

  /**
   * @param id - the key identifier; name, version and vault URL are parsed from it.
   * @param jwk - the key material.
   * @param properties - attributes and metadata; `id` is taken from the first argument.
   */
  constructor(id: string | undefined, jwk?: JsonWebKeyFields, properties: Omit<KeyPropertiesFields, "id"> = {}) {
    const keyId = id ?? jwk?.kid;
    const key = jwk === undefined ? undefined : jwk instanceof JsonWebKey ? jwk : new JsonWebKey(jwk);
    if (key) this.key = key;
    this.properties = new KeyProperties({ ...properties, ...(keyId !== undefined ? { id: keyId } : {}) });
    this.name = this.properties.name;
    if (keyId !== undefined) this.id = keyId;
    if (key?.kty !== undefined) this.keyType = key.kty;
    if (key?.keyOps !== undefined) this.keyOperations = key.keyOps;
  }
}
