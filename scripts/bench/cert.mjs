// A throwaway self-signed certificate for the bench server (CN=localhost, SAN 127.0.0.1). Uses the
// openssl CLI when present, otherwise the package's own certificate writer from the built emulator.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function makeCertificate() {
  const dir = mkdtempSync(join(tmpdir(), "kv-bench-"));
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
  } catch {
    const require = createRequire(import.meta.url);
    const { createSelfSignedCertificate } = require("../../dist/cjs/emulator/tls/selfSignedCertificate.js");
    const made = createSelfSignedCertificate({ commonName: "localhost" });
    writeFileSync(cert, made.certificatePem);
    writeFileSync(key, made.privateKeyPem);
  }
  return { dir, cert, key };
}
