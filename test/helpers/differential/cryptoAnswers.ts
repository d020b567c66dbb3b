/**
 * The cryptography routes of the differential fake vault: `POST /keys/{name}/{version}/{operation}`
 * answers deterministic values made from the request (the bytes reversed, the vault's versioned kid, a
 * fixed iv and tag for AES-GCM), so that a difference in what a client sends shows in what it gets back.
 * `verify` answers true when the signature is the digest reversed.
 */
type Json = Record<string, unknown>;

const operations = new Set(["encrypt", "decrypt", "wrapkey", "unwrapkey", "sign", "verify"]);

/** The version the fake's keys answer with when the request names none. */
export const CRYPTO_VERSION = "0b2a3e1c0ba24e4f9cd7e46d0f4c1a2b";

const reversed = (text: unknown): string =>
  Buffer.from(String(text ?? ""), "base64url")
    .reverse()
    .toString("base64url");

/** The answer to a cryptography operation, or `undefined` when `operation` is not one. */
export function cryptoAnswer(
  vault: string,
  name: string,
  version: string,
  operation: string,
  body: Json,
): [number, unknown] | undefined {
  if (!operations.has(operation)) return undefined;
  const kid = `${vault}/keys/${name}/${version || CRYPTO_VERSION}`;
  if (operation === "verify") return [200, { value: reversed(body["digest"]) === body["value"] }];
  const answer: Json = { kid, value: reversed(body["value"]) };
  const alg = String(body["alg"]);
  if (operation === "encrypt" && /GCM$/.test(alg)) {
    answer["iv"] = "AAECAwQFBgcICQoL";
    answer["tag"] = "AAECAwQFBgcICQoLDA0ODw";
  } else if (operation === "encrypt" && body["iv"] !== undefined) answer["iv"] = body["iv"];
  return [200, answer];
}
