import { JsonWebKey, type JsonWebKeyFields } from "./jsonWebKey.js";
import { KeyProperties, type KeyPropertiesFields } from "./keyProperties.js";
import type { KeyOperation, KeyType } from "./known.js";

/**
 * A key with its public material and properties, as `getKey`, `createKey` and friends return it. Its own
 * keys are those of the official package's objects (`key`, `id`, `name`, `keyOperations`, `keyType`,
 * `properties`), each present even when `undefined`.
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
  /** The key's identifier (`kid`). */
  declare readonly id?: string;
  /** The key's name. */
  declare readonly name: string;
  /** The operations the key allows. */
  declare readonly keyOperations?: KeyOperation[];
  /** The key's type (`kty`). */
  declare readonly keyType?: KeyType;
  /** The key's attributes and metadata. */
  declare readonly properties: KeyProperties;

  /**
   * @param id - the key identifier; name, version and vault URL are parsed from it.
   * @param jwk - the key material.
   * @param properties - attributes and metadata; `id` is taken from the first argument.
   */
  constructor(id: string | undefined, jwk?: JsonWebKeyFields, properties: Omit<KeyPropertiesFields, "id"> = {}) {
    setKeyFields(this, id, jwk, (keyId) => new KeyProperties({ ...properties, id: keyId }));
  }
}

/**
 * Sets the own keys of a {@link KeyVaultKey} or `DeletedKey` in the official package's order: `key`,
 * `id`, `name`, `keyOperations`, `keyType`, `properties` (the id is the given one, or the JWK's kid).
 * @internal
 */
export function setKeyFields(
  target: object,
  id: string | undefined,
  jwk: JsonWebKeyFields | undefined,
  makeProperties: (keyId: string | undefined) => KeyProperties,
): void {
  const keyId = id ?? jwk?.kid;
  const key = jwk === undefined ? undefined : jwk instanceof JsonWebKey ? jwk : new JsonWebKey(jwk);
  const properties = makeProperties(keyId);
  const self = target as Record<string, unknown>;
  self["key"] = key;
  self["id"] = keyId;
  self["name"] = properties.name;
  self["keyOperations"] = key?.keyOps;
  self["keyType"] = key?.kty;
  self["properties"] = properties;
}
