/**
 * A tiny DER (ASN.1 Distinguished Encoding Rules) writer: the types an X.509 certificate and a PKCS#8
 * RSASSA-PSS key need. Every function returns the complete TLV (tag, length, value) as a Buffer.
 * @internal
 */

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Any TLV from a tag byte and its content. @internal */
export function derTlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

/** SEQUENCE of already-encoded elements. @internal */
export function derSequence(...elements: Uint8Array[]): Buffer {
  return derTlv(0x30, Buffer.concat(elements));
}

/** SET of already-encoded elements (callers pass one element, so no sorting is needed). @internal */
export function derSet(...elements: Uint8Array[]): Buffer {
  return derTlv(0x31, Buffer.concat(elements));
}

/** INTEGER from non-negative big-endian magnitude bytes (adds the sign byte when needed). @internal */
export function derUnsignedInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  let body = Buffer.from(magnitude.subarray(start));
  if (body.length === 0) body = Buffer.from([0]);
  if ((body[0] ?? 0) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return derTlv(0x02, body);
}

/** INTEGER from a small non-negative number. @internal */
export function derSmallInteger(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  return derUnsignedInteger(Uint8Array.from(bytes));
}

/** OBJECT IDENTIFIER from dotted text, e.g. "2.5.4.3". @internal */
export function derObjectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split(".").map((arc) => Number(arc));
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes: number[] = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [];
    let value = arc;
    do {
      chunk.unshift(value & 0x7f);
      value = Math.floor(value / 128);
    } while (value > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] = (chunk[i] ?? 0) | 0x80;
    bytes.push(...chunk);
  }
  return derTlv(0x06, Buffer.from(bytes));
}

/** NULL. @internal */
export function derNull(): Buffer {
  return Buffer.from([0x05, 0x00]);
}

/** BOOLEAN. @internal */
export function derBoolean(value: boolean): Buffer {
  return Buffer.from([0x01, 0x01, value ? 0xff : 0x00]);
}

/** UTF8String. @internal */
export function derUtf8String(text: string): Buffer {
  return derTlv(0x0c, Buffer.from(text, "utf8"));
}

/** OCTET STRING. @internal */
export function derOctetString(content: Uint8Array): Buffer {
  return derTlv(0x04, content);
}

/** BIT STRING with the given number of unused trailing bits in the last byte. @internal */
export function derBitString(content: Uint8Array, unusedBits = 0): Buffer {
  return derTlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));
}

/** UTCTime (years 1950-2049) or GeneralizedTime (otherwise), as X.509 requires. @internal */
export function derTime(date: Date): Buffer {
  const pad = (n: number): string => String(n).padStart(2, "0");
  const year = date.getUTCFullYear();
  const rest =
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds()) +
    "Z";
  if (year >= 1950 && year < 2050) return derTlv(0x17, Buffer.from(pad(year % 100) + rest, "ascii"));
  return derTlv(0x18, Buffer.from(String(year).padStart(4, "0") + rest, "ascii"));
}

/** A context-specific constructed tag `[n]` (EXPLICIT wrapping). @internal */
export function derExplicit(tagNumber: number, content: Uint8Array): Buffer {
  return derTlv(0xa0 | tagNumber, content);
}

/** A context-specific primitive tag `[n]` (IMPLICIT, as used in GeneralName). @internal */
export function derImplicitPrimitive(tagNumber: number, content: Uint8Array): Buffer {
  return derTlv(0x80 | tagNumber, content);
}
