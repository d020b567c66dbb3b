/** The parts of a Key Vault key identifier (`kid`). */
export interface KeyVaultKeyIdentifier {
  /** The identifier as given, such as `https://myvault.vault.azure.net/keys/my-key/<version>`. */
  sourceId: string;
  /** The vault URL, such as `https://myvault.vault.azure.net`. */
  vaultUrl: string;
  /** The key's version, when the identifier names one. */
  version?: string;
  /** The key's name. */
  name: string;
}

const collections = new Set(["keys", "deletedkeys"]);

/**
 * Splits a key identifier into vault URL, name and version. Accepts `.../keys/{name}`,
 * `.../keys/{name}/{version}` and `.../deletedkeys/{name}`.
 *
 * @example
 * ```ts
 * const { name, version } = parseKeyVaultKeyIdentifier(key.id!);
 * ```
 * @throws TypeError when `id` is not such a URL.
 */
export function parseKeyVaultKeyIdentifier(id: string): KeyVaultKeyIdentifier {
  if (typeof id !== "string" || id.length === 0) {
    throw new TypeError(`Invalid key identifier: expected a non-empty URL string, got ${describe(id)}.`);
  }
  let url: URL;
  try {
    url = new URL(id);
  } catch {
    throw new TypeError(`Invalid key identifier "${id}": not a URL.`);
  }
  const segments = url.pathname.split("/").filter((s, i, all) => s.length > 0 || (i > 0 && i < all.length - 1));
  // A trailing slash (`/keys/name/`) is tolerated: it names the latest version, as the service reads it.
  while (segments.length > 0 && segments[segments.length - 1] === "") segments.pop();
  const [collection, name, version, ...rest] = segments;
  if (!collection || !collections.has(collection) || !name || rest.length > 0 || version === "") {
    throw new TypeError(
      `Invalid key identifier "${id}": expected https://<vault>/keys/<name>[/<version>] or https://<vault>/deletedkeys/<name>.`,
    );
  }
  return {
    sourceId: id,
    vaultUrl: `${url.protocol}//${url.host}`,
    name: decodeURIComponent(name),
    ...(version !== undefined ? { version: decodeURIComponent(version) } : {}),
  };
}

function describe(value: unknown): string {
  return value === null ? "null" : typeof value;
}
