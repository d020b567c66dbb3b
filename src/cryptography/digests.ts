import { createHash, randomBytes } from "node:crypto";
import { dataHashFor } from "./algorithms.js";

export { dataHashFor } from "./algorithms.js";

/**
 * The digest `signData` and `verifyData` sign: SHA-256, -384 or -512 of the data as the algorithm says
 * (ES256K and HS256 use SHA-256). Refuses, naming the algorithm, one that has no hash (RSNULL) or that
 * this client does not know, before any request.
 * @internal
 */
export function digestForSignature(algorithm: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(dataHashFor(algorithm)).update(data).digest());
}

/** A random 16-byte iv for AES-CBC. @internal */
export function randomCbcIv(): Uint8Array {
  return new Uint8Array(randomBytes(16));
}
