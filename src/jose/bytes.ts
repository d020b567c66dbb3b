/**
 * Big-endian byte strings and the integers they hold, and the base64url text of bytes.
 * @internal
 */

/** Unpadded base64url of bytes, as JWKs and the Key Vault wire write them. @internal */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

/** The unsigned big-endian integer in `bytes` (0 for none). @internal */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0
    ? 0n
    : BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`);
}

/** `value` as exactly `length` big-endian bytes; a RangeError when it does not fit. @internal */
export function bigIntToBytes(value: bigint, length: number): Buffer {
  const hex = value.toString(16).padStart(length * 2, "0");
  if (value < 0n || hex.length > length * 2) throw new RangeError(`The integer does not fit in ${length} bytes.`);
  return Buffer.from(hex, "hex");
}

/** `bytes` without its leading zero bytes (a view, not a copy). @internal */
export function withoutLeadingZeros(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  return bytes.subarray(start);
}
