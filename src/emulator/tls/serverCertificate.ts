/**
 * The certificate the emulator serves HTTPS with: the user's own (`tlsCertificate`, `--cert`/`--key`,
 * e.g. from mkcert), or a self-signed one naming every address clients may use. With a `dataDir` the
 * self-signed certificate and its key are kept there, so that a client trusting it
 * (`NODE_EXTRA_CA_CERTS`, `REQUESTS_CA_BUNDLE`, ...) still trusts it after a restart; a new one is made
 * only when the stored one lacks a name, nears its end or cannot be read.
 * @internal
 */
import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { promises as fs } from "node:fs";
import { isIP } from "node:net";
import * as path from "node:path";
import { writeFileAtomic } from "../store/atomicFile.js";
import { createSelfSignedCertificate } from "./selfSignedCertificate.js";
import { certificateNames } from "./certificateNames.js";

/** A certificate and key of the user's own, PEM. */
export interface TlsCertificateInput {
  /** The certificate (PEM; a chain may follow it). */
  cert: string | Buffer;
  /** Its private key (PEM, unencrypted). */
  key: string | Buffer;
}

/** What the HTTPS server serves. @internal */
export interface ServerCertificate {
  certificatePem: string;
  privateKeyPem: string;
  /** The file holding the certificate, when it lives in the data folder. */
  certificateFile?: string;
  /** True when a certificate was made at this start (none stored, or the stored one did not fit). */
  created: boolean;
}

/** File names in the data folder. @internal */
export const certificateFileName = "emulator-cert.pem";
/** @internal */
export const keyFileName = "emulator-key.pem";

/** A stored certificate is replaced when it has fewer days left than this. */
const renewWithinDays = 30;

function toText(value: string | Buffer): string {
  return typeof value === "string" ? value : value.toString("utf8");
}

function parseKeyPair(certificatePem: string, privateKeyPem: string): { x509: X509Certificate; key: KeyObject } {
  const x509 = new X509Certificate(certificatePem);
  const key = createPrivateKey(privateKeyPem);
  if (!x509.checkPrivateKey(key)) throw new RangeError("the private key does not belong to the certificate");
  return { x509, key };
}

/**
 * Checks a certificate and key of the user's own.
 * @throws RangeError saying what is wrong (not PEM, key of another certificate, expired).
 * @internal
 */
export function checkOwnCertificate(input: TlsCertificateInput): ServerCertificate {
  const certificatePem = toText(input.cert);
  const privateKeyPem = toText(input.key);
  let x509: X509Certificate;
  try {
    ({ x509 } = parseKeyPair(certificatePem, privateKeyPem));
  } catch (error) {
    throw new RangeError(`tlsCertificate is not usable: ${(error as Error).message}`);
  }
  if (new Date(x509.validTo).getTime() <= Date.now()) {
    throw new RangeError(`tlsCertificate expired on ${x509.validTo}`);
  }
  return { certificatePem, privateKeyPem, created: false };
}

function names(x509: X509Certificate, name: string): boolean {
  return isIP(name) !== 0 ? x509.checkIP(name) !== undefined : x509.checkHost(name) !== undefined;
}

/** The stored pair, when it is readable, matching, valid for a while yet and names every name. */
async function readStored(dataDir: string, altNames: readonly string[]): Promise<ServerCertificate | undefined> {
  const certificateFile = path.join(dataDir, certificateFileName);
  let certificatePem: string;
  let privateKeyPem: string;
  try {
    certificatePem = await fs.readFile(certificateFile, "utf8");
    privateKeyPem = await fs.readFile(path.join(dataDir, keyFileName), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let x509: X509Certificate;
  try {
    ({ x509 } = parseKeyPair(certificatePem, privateKeyPem));
  } catch {
    return undefined; // damaged or hand-edited: make a new one
  }
  const renewBy = Date.now() + renewWithinDays * 24 * 60 * 60 * 1000;
  if (new Date(x509.validTo).getTime() <= renewBy) return undefined;
  if (!altNames.every((name) => names(x509, name))) return undefined;
  return { certificatePem, privateKeyPem, certificateFile, created: false };
}

/**
 * The self-signed certificate for `altNames`: the one stored in `dataDir` when it fits, else a new
 * one (stored there when there is a `dataDir`; key file mode 0600).
 * @internal
 */
export async function loadOrCreateCertificate(
  altNames: readonly string[],
  dataDir: string | undefined,
): Promise<ServerCertificate> {
  if (dataDir) {
    const stored = await readStored(dataDir, altNames);
    if (stored) return stored;
  }
  const made = createSelfSignedCertificate({ altNames: [...altNames] });
  const fresh: ServerCertificate = {
    certificatePem: made.certificatePem,
    privateKeyPem: made.privateKeyPem,
    created: true,
  };
  if (!dataDir) return fresh;
  // The key first: a certificate on disk always has its key beside it.
  await writeFileAtomic(path.join(dataDir, keyFileName), made.privateKeyPem);
  const certificateFile = path.join(dataDir, certificateFileName);
  await writeFileAtomic(certificateFile, made.certificatePem);
  return { ...fresh, certificateFile };
}

/** What decides the server certificate. @internal */
export interface ServerCertificateOptions {
  host: string;
  hostnames?: readonly string[] | undefined;
  dataDir?: string | undefined;
  tlsCertificate?: TlsCertificateInput | undefined;
}

/** The user's certificate when given, else the self-signed one for the host and hostnames. @internal */
export async function serverCertificate(options: ServerCertificateOptions): Promise<ServerCertificate> {
  const altNames = certificateNames(options.host, options.hostnames); // checks the names either way
  if (options.tlsCertificate) return checkOwnCertificate(options.tlsCertificate);
  return loadOrCreateCertificate(altNames, options.dataDir);
}
