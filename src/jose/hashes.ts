/**
 * The hashes of Key Vault's signature algorithms (RS*, PS*, ES*, HS*).
 * @internal
 */

/** The hashes Key Vault's signature algorithms use, by node:crypto name. @internal */
export type HashName = "sha256" | "sha384" | "sha512";

/** Byte length of each hash's digest. @internal */
export const digestLength: Readonly<Record<HashName, number>> = { sha256: 32, sha384: 48, sha512: 64 };
