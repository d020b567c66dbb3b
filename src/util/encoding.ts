export { toBase64Url } from "../jose/bytes.js";

/**
 * Bytes of a base64url (or base64) string, as a Node `Buffer` (what `@azure/keyvault-keys` returns for
 * every byte field, so `Buffer.isBuffer` and `toString("base64")` work on them), over memory of its own:
 * never a slice of Node's shared pool, so `result.buffer` holds these bytes and nothing else.
 * @internal
 */
export function fromBase64Url(text: string): Buffer {
  // Buffer.alloc is never a slice of the pool (Buffer.from(text) is, for short texts).
  const bytes = Buffer.alloc(Buffer.byteLength(text, "base64url"));
  const written = bytes.write(text, "base64url");
  return written === bytes.length ? bytes : ownedBuffer(bytes.subarray(0, written));
}

/** A `Buffer` view of bytes that own their memory (a copy when `bytes` is a view into shared memory). @internal */
export function ownedBuffer(bytes: Uint8Array): Buffer {
  const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  return Buffer.from(owned.buffer, owned.byteOffset, owned.byteLength);
}

/** Epoch seconds of a date, as the service wants them; exact past 2038. @internal */
export function toUnixSeconds(date: Date): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new TypeError("Invalid Date: cannot send it to the service.");
  return Math.floor(ms / 1000);
}

/** The date of epoch seconds. @internal */
export function fromUnixSeconds(seconds: number): Date {
  return new Date(seconds * 1000);
}
