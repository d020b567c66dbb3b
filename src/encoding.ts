/** base64url (no padding) of bytes. @internal */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

/** Bytes of a base64url (or base64) string, as a plain `Uint8Array`. @internal */
export function fromBase64Url(text: string): Uint8Array {
  const buffer = Buffer.from(text, "base64url");
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).slice();
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
