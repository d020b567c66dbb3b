/*
 * The package's one parser of key identifiers against the official package's, as an oracle: the same
 * parts (or the same error) for identifiers as the service writes them, which it splits without a URL
 * parse, and for every other form, which it parses as a URL as the official package does.
 */
import { parseKeyVaultKeyIdentifier as official } from "@azure/keyvault-keys";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseKeyVaultKeyIdentifier } from "../../src/index.js";

function outcome(parse: (id: string) => unknown, id: string): unknown {
  try {
    return { parsed: parse(id) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
const anyHost = fc.oneof(
  fc
    .tuple(fc.array(label, { maxLength: 3 }), fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/))
    .map(([labels, top]) => [...labels, top].join(".")),
  fc.constantFrom(
    "MyVault.Vault.Azure.Net",
    "127.0.0.1",
    "[::1]",
    "localhost",
    "vault.azure.net.",
    "xn--bcher-kva.example",
  ),
  fc
    .array(fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom("01", "00", "0x7f")), {
      minLength: 3,
      maxLength: 5,
    })
    .map((parts) => parts.join(".")),
);
const port = fc.oneof(
  fc.constant(""),
  fc.integer({ min: 0, max: 70000 }).map((p) => `:${p}`),
  fc.constantFrom(":443", ":80", ":08443"),
);
const segment = fc.oneof(fc.stringMatching(/^[0-9A-Za-z-]{1,20}$/), fc.constantFrom("", "a b", "%41", "..", "ä"));
const identifier = fc
  .tuple(
    fc.constantFrom("https", "http"),
    anyHost,
    port,
    fc.constantFrom("keys", "deletedkeys", "secrets", "Keys"),
    segment,
    fc.option(segment, { nil: undefined }),
    fc.constantFrom("", "/", "/extra", " "),
  )
  .map(
    ([scheme, host, p, collection, name, version, tail]) =>
      `${scheme}://${host}${p}/${collection}/${name}${version === undefined ? "" : `/${version}`}${tail}`,
  );

describe("parseKeyVaultKeyIdentifier", () => {
  it("gives what the official parser gives, for identifiers of every form", () => {
    fc.assert(
      fc.property(identifier, (id) => {
        expect(outcome(parseKeyVaultKeyIdentifier, id)).toStrictEqual(outcome(official, id));
      }),
      { numRuns: 3000 },
    );
  });

  it("splits the service's own identifiers exactly", () => {
    const id = "https://myvault.vault.azure.net/keys/my-key/0123456789abcdef0123456789abcdef";
    expect(parseKeyVaultKeyIdentifier(id)).toStrictEqual({
      sourceId: id,
      vaultUrl: "https://myvault.vault.azure.net",
      name: "my-key",
      version: "0123456789abcdef0123456789abcdef",
    });
    expect(parseKeyVaultKeyIdentifier("https://myvault.vault.azure.net:8443/deletedkeys/gone")).toStrictEqual({
      sourceId: "https://myvault.vault.azure.net:8443/deletedkeys/gone",
      vaultUrl: "https://myvault.vault.azure.net:8443",
      name: "gone",
      version: undefined,
    });
  });
});
