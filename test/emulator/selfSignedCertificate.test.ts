import { X509Certificate } from "node:crypto";
import * as https from "node:https";
import { describe, expect, it } from "vitest";
import { derObjectIdentifier, derTime, derUnsignedInteger } from "../../src/jose/der.js";
import { startEmulator } from "../../src/emulator/index.js";
import { createSelfSignedCertificate } from "../../src/emulator/tls/selfSignedCertificate.js";

describe("DER writer", () => {
  it("encodes OIDs, integers and times per X.690", () => {
    expect(derObjectIdentifier("1.2.840.10045.4.3.2").toString("hex")).toBe("06082a8648ce3d040302");
    expect(derUnsignedInteger(Buffer.from([0x80])).toString("hex")).toBe("02020080");
    expect(derUnsignedInteger(Buffer.from([0, 0, 5])).toString("hex")).toBe("020105");
    expect(
      derTime(new Date(Date.UTC(2030, 0, 2, 3, 4, 5)))
        .toString("ascii")
        .slice(2),
    ).toBe("300102030405Z");
    expect(
      derTime(new Date(Date.UTC(2050, 0, 1)))
        .subarray(0, 1)
        .toString("hex"),
    ).toBe("18");
  });
});

describe("self-signed certificate", () => {
  for (const keyType of ["ec", "rsa"] as const) {
    it(`parses and verifies (${keyType}) with the expected subject, SANs and CA flag`, () => {
      const certificate = createSelfSignedCertificate({ keyType });
      const x509 = new X509Certificate(certificate.certificatePem);
      expect(x509.verify(certificate.publicKey)).toBe(true);
      expect(x509.subject).toBe("CN=localhost");
      expect(x509.issuer).toBe("CN=localhost");
      expect(x509.ca).toBe(true);
      expect(x509.subjectAltName).toContain("DNS:localhost");
      expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
      expect(x509.checkIP("::1")).toBe("::1");
      expect(new Date(x509.validFrom).getTime()).toBeLessThan(new Date(x509.validTo).getTime());
    });
  }

  it("is trusted by node:https as `ca` for both 127.0.0.1 and localhost", async () => {
    const emulator = await startEmulator();
    try {
      for (const host of ["127.0.0.1", "localhost"]) {
        const url = emulator.url.replace("127.0.0.1", host);
        const status = await new Promise<number>((resolve, reject) => {
          https
            .get(`${url}/keys?api-version=7.6`, { ca: emulator.certificate }, (response) => {
              response.resume();
              resolve(response.statusCode ?? 0);
            })
            .on("error", reject);
        });
        expect(status).toBe(401);
      }
    } finally {
      await emulator.close();
    }
  });
});
