/** The parts of a Key Vault key identifier (`kid`). */
export interface KeyVaultKeyIdentifier {
  /** The identifier as given, such as `https://myvault.vault.azure.net/keys/my-key/<version>`. */
  sourceId: string;
  /** The vault URL, such as `https://myvault.vault.azure.net`. */
  vaultUrl: string;
  /** The key's version; `undefined` (a key present with that value) when the identifier names none. */
  version?: string;
  /** The key's name. */
  name: string;
}

/**
 * Splits a key identifier into vault URL, name and version, exactly as `@azure/keyvault-keys` does:
 * `.../keys/{name}`, `.../keys/{name}/{version}` and `.../deletedkeys/{name}` (the collection is the
 * identifier's first path segment); `version` is always a key of the result, `undefined` when the
 * identifier has no version segment, `""` for a trailing slash. Name and version are the path's
 * segments as written (not percent-decoded).
 *
 * @example
 * ```ts
 * const { name, version } = parseKeyVaultKeyIdentifier(key.id!);
 * ```
 * @throws Error, with the official package's messages, when `id` is not such a URL (TypeError when not a string).
 */
export function parseKeyVaultKeyIdentifier(id: string): KeyVaultKeyIdentifier {
  const plain = typeof id === "string" ? plainIdentifier.exec(id) : null;
  if (plain) {
    const [, origin, port, , name, version] = plain as unknown as [
      string,
      string,
      string | undefined,
      string,
      string,
      string | undefined,
    ];
    if (port === undefined || (Number(port) <= 65535 && port !== (origin.startsWith("https:") ? "443" : "80"))) {
      return { sourceId: id, vaultUrl: port === undefined ? origin : `${origin}:${port}`, name, version };
    }
  }
  // Not checked first on purpose: a non-string fails here with the very TypeError the official package's
  // parser throws (`id.split is not a function`).
  const collection = id.split("/")[3]?.trim();
  if (!collection) throw new Error("Invalid collection argument");
  const identifier = id.trim();
  let url: URL;
  try {
    url = new URL(identifier);
  } catch {
    throw new Error(`Invalid ${collection} identifier: ${identifier}. Not a valid URI`);
  }
  // The path is `/collection/name[/version]`.
  const segments = url.pathname.split("/");
  if (segments.length !== 3 && segments.length !== 4) {
    throw new Error(`Invalid ${collection} identifier: ${identifier}. Bad number of segments: ${segments.length}`);
  }
  if (segments[1] !== collection) {
    throw new Error(
      `Invalid ${collection} identifier: ${identifier}. segment [1] should be "${collection}", found "${segments[1]}"`,
    );
  }
  return {
    sourceId: id,
    vaultUrl: `${url.protocol}//${url.host}`,
    name: segments[2] ?? "",
    version: segments.length === 4 ? segments[3] : undefined,
  };
}

/**
 * An identifier as the service writes them (`https://<vault host>[:port]/<collection>/<name>[/<version>]`:
 * a lower-case ASCII host name or a dotted-quad address, a port other than the scheme's default, names
 * and versions of 0-9, a-z, A-Z and '-'), whose parts the URL parse above would give back exactly as
 * written. Such an identifier is split by this pattern alone: every item of a listing has one, and the
 * URL parse is most of the cost of mapping an item.
 */
const plainIdentifier =
  /^(https?:\/\/(?:(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*|(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)))(?::([1-9]\d{0,4}))?\/([a-z]+)\/([0-9A-Za-z-]+)(?:\/([0-9A-Za-z-]*))?$/;
