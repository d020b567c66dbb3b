/**
 * Where the command line puts the certificate for other processes to trust. A file named by the user
 * (`--cert-out`) is replaced atomically (temp file, then rename, which replaces a symlink there rather
 * than writing through it). Without one, the certificate goes into a private folder of its own under
 * the system temp folder (mode 0700, made by mkdtemp with a random name), created exclusively with
 * mode 0600, and the folder is removed when the command exits.
 * @internal
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tempFileBeside } from "../store/atomicFile.js";

/** A written certificate file. @internal */
export interface CertificateFile {
  readonly file: string;
  /** Removes what was made for this run (the private folder); a `--cert-out` file stays. */
  remove(): void;
}

/** Writes `pem` to `file` through a temp file beside it and a rename. @internal */
export function writeCertificateOut(file: string, pem: string): CertificateFile {
  const temp = tempFileBeside(file);
  writeFileSync(temp, pem, { flag: "wx", mode: 0o644 });
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return { file, remove: () => undefined };
}

/** Writes `pem` into a new private temp folder, removed by `remove()`. @internal */
export function writePrivateCertificate(pem: string, tempRoot: string = os.tmpdir()): CertificateFile {
  const folder = mkdtempSync(path.join(tempRoot, "keyvault-keys-emulator-"));
  const file = path.join(folder, "emulator-cert.pem");
  try {
    writeFileSync(file, pem, { flag: "wx", mode: 0o600 });
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  return { file, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
