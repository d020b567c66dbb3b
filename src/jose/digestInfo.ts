/**
 * The DigestInfo that RSASSA-PKCS1-v1_5 signs (RFC 8017, 9.2): the DER of the hash's AlgorithmIdentifier
 * followed by the digest. With it, OpenSSL's PKCS#1 type-1 padding (privateEncrypt / publicDecrypt)
 * signs and verifies a digest the caller computed.
 * @internal
 */
import type { HashName } from "./hashes.js";

/** DER prefixes of DigestInfo for each hash, up to the digest (RFC 8017, 9.2, note 1). */
const digestInfoPrefix: Readonly<Record<HashName, Buffer>> = {
  sha256: Buffer.from("3031300d060960864801650304020105000420", "hex"),
  sha384: Buffer.from("3041300d060960864801650304020205000430", "hex"),
  sha512: Buffer.from("3051300d060960864801650304020305000440", "hex"),
};

/** DigestInfo of `digest` for `hash`. @internal */
export function digestInfo(hash: HashName, digest: Uint8Array): Buffer {
  return Buffer.concat([digestInfoPrefix[hash], digest]);
}
