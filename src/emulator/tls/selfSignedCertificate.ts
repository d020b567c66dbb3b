/**
 * Builds a self-signed X.509 v3 certificate with node:crypto and the DER writer in `jose/der.ts`, so the
 * emulator can serve HTTPS (and sign key-release tokens) without OpenSSL tools or extra packages.
 * @internal
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isIP } from "node:net";
import {
  derBitString,
  derBoolean,
  derExplicit,
  derImplicitPrimitive,
  derNull,
  derObjectIdentifier,
  derOctetString,
  derSequence,
  derSet,
  derSmallInteger,
  derTime,
  derUnsignedInteger,
  derUtf8String,
} from "../../jose/der.js";

/** A certificate with its key pair. @internal */
export interface SelfSignedCertificate {
  /** The certificate in PEM. */
  certificatePem: string;
  /** The certificate in DER. */
  certificateDer: Buffer;
  /** The private key in PKCS#8 PEM (what `https.createServer({ key })` takes). */
  privateKeyPem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** Options of {@link createSelfSignedCertificate}. @internal */
export interface SelfSignedCertificateOptions {
  /** Subject and issuer common name; default "localhost". */
  commonName?: string;
  /** DNS names and IP addresses for subjectAltName; default localhost, 127.0.0.1, ::1. */
  altNames?: string[];
  /** "ec" (P-256, ecdsa-with-SHA256; default) or "rsa" (2048, sha256WithRSAEncryption). */
  keyType?: "ec" | "rsa";
  /** Validity length in days after now; default 365. It always starts one hour before now. */
  validDays?: number;
}

const oid = {
  commonName: "2.5.4.3",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extendedKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  subjectKeyIdentifier: "2.5.29.14",
  serverAuth: "1.3.6.1.5.5.7.3.1",
};

/** The 4 or 16 bytes of an IP address, as an iPAddress general name holds them. @internal */
export function ipBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split(".").map((part) => Number(part)));
  let canonical: string;
  try {
    // The WHATWG URL parser writes an IPv6 address in hex groups only: an embedded IPv4 address
    // ("::ffff:127.0.0.1") becomes its two groups ("::ffff:7f00:1"), which leaves only "::" to expand.
    canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    throw new RangeError(`${address} is not an IP address that a certificate can name`);
  }
  const [head = "", tail] = canonical.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2));
  return bytes;
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? derSequence(derObjectIdentifier(id), derBoolean(true), derOctetString(value))
    : derSequence(derObjectIdentifier(id), derOctetString(value));
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * Creates a new key pair and a self-signed CA certificate for it (basicConstraints CA:TRUE, so a TLS
 * client that is given the certificate as `ca` trusts it as its own root).
 * @internal
 */
export function createSelfSignedCertificate(options: SelfSignedCertificateOptions = {}): SelfSignedCertificate {
  const commonName = options.commonName ?? "localhost";
  const altNames = options.altNames ?? ["localhost", "127.0.0.1", "::1"];
  const keyType = options.keyType ?? "ec";
  const { privateKey, publicKey } =
    keyType === "ec"
      ? generateKeyPairSync("ec", { namedCurve: "P-256" })
      : generateKeyPairSync("rsa", { modulusLength: 2048 });

  const signatureAlgorithm =
    keyType === "ec"
      ? derSequence(derObjectIdentifier(oid.ecdsaWithSha256))
      : derSequence(derObjectIdentifier(oid.sha256WithRsa), derNull());
  const name = derSequence(derSet(derSequence(derObjectIdentifier(oid.commonName), derUtf8String(commonName))));
  const now = Date.now();
  const notBefore = new Date(now - 60 * 60 * 1000);
  const notAfter = new Date(now + (options.validDays ?? 365) * 24 * 60 * 60 * 1000);
  const spki = publicKey.export({ type: "spki", format: "der" });
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // positive, and no leading zero byte needed

  const generalNames = altNames.map((altName) =>
    isIP(altName) ? derImplicitPrimitive(7, ipBytes(altName)) : derImplicitPrimitive(2, Buffer.from(altName, "ascii")),
  );
  // keyUsage: digitalSignature (bit 0) and keyCertSign (bit 5) -> 1000 0100, two unused bits.
  const keyUsage = derBitString(Buffer.from([0x84]), 2);
  const subjectKeyId = createHash("sha1").update(spki).digest();
  const extensions = derExplicit(
    3,
    derSequence(
      extension(oid.basicConstraints, true, derSequence(derBoolean(true))),
      extension(oid.keyUsage, true, keyUsage),
      extension(oid.extendedKeyUsage, false, derSequence(derObjectIdentifier(oid.serverAuth))),
      extension(oid.subjectAltName, false, derSequence(...generalNames)),
      extension(oid.subjectKeyIdentifier, false, derOctetString(subjectKeyId)),
    ),
  );

  const tbsCertificate = derSequence(
    derExplicit(0, derSmallInteger(2)), // version v3
    derUnsignedInteger(serial),
    signatureAlgorithm,
    name,
    derSequence(derTime(notBefore), derTime(notAfter)),
    name,
    spki,
    extensions,
  );
  const signature = sign("sha256", tbsCertificate, privateKey);
  const certificateDer = derSequence(tbsCertificate, signatureAlgorithm, derBitString(signature));

  return {
    certificatePem: pem("CERTIFICATE", certificateDer),
    certificateDer,
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    privateKey,
    publicKey,
  };
}
