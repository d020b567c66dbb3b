/**
 * The TLS certificate: it names the listen host and every `hostnames` entry (IPv4-mapped IPv6 encoded
 * right), it is kept in the data folder so that trust survives a restart, and a certificate and key of
 * the user's own can be served instead.
 */
import { X509Certificate } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator/index.js";
import { createSelfSignedCertificate, ipBytes } from "../../src/emulator/tls/selfSignedCertificate.js";
import { certificateNames } from "../../src/emulator/tls/certificateNames.js";
import { certificateFileName, keyFileName } from "../../src/emulator/tls/serverCertificate.js";
import { temporaryFolders } from "../helpers/temporaryFolders.js";

const newFolder = temporaryFolders("kv-emulator-tls");
async function withEmulator<T>(options: EmulatorOptions, run: (emulator: RunningEmulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ port: 0, ...options });
  try {
    return await run(emulator);
  } finally {
    await emulator.close();
  }
}

/** The status of GET /keys over TLS at `url`, trusting `ca` and checking the host name. */
function statusAt(url: string, ca: string | undefined, servername?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(`${url}/keys?api-version=7.6`, { ca, ...(servername ? { servername } : {}) }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on("error", reject);
  });
}

describe("certificate names", () => {
  it("encodes IPv4, IPv6 and IPv4-mapped IPv6 addresses as 4 and 16 bytes", () => {
    expect(ipBytes("127.0.0.1").toString("hex")).toBe("7f000001");
    expect(ipBytes("::1").toString("hex")).toBe("00000000000000000000000000000001");
    expect(ipBytes("::ffff:127.0.0.1").toString("hex")).toBe("00000000000000000000ffff7f000001");
    expect(ipBytes("2001:db8::8:800:200c:417a").toString("hex")).toBe("20010db80000000000080800200c417a");
    expect(() => ipBytes("fe80::1%eth0")).toThrow(RangeError);
    const x509 = new X509Certificate(createSelfSignedCertificate({ altNames: ["::ffff:127.0.0.1"] }).certificatePem);
    expect(x509.checkIP("::ffff:127.0.0.1")).toBe("::ffff:127.0.0.1");
    expect(x509.subjectAltName).toBe("IP Address:0:0:0:0:0:FFFF:7F00:1");
  });

  it("holds the loopback names, the host (or this machine for a wildcard) and the extra names", () => {
    expect(certificateNames("127.0.0.1")).toEqual(["localhost", "127.0.0.1", "::1"]);
    expect(certificateNames("kv.local", ["KV.Example", "10.0.0.5", "[fd00::1]", "*.vault.test"])).toEqual([
      "localhost",
      "127.0.0.1",
      "::1",
      "kv.local",
      "kv.example",
      "10.0.0.5",
      "fd00::1",
      "*.vault.test",
    ]);
    const wildcard = certificateNames("0.0.0.0");
    expect(wildcard.slice(0, 3)).toEqual(["localhost", "127.0.0.1", "::1"]);
    expect(wildcard).not.toContain("0.0.0.0");
    for (const bad of ["a b", "", "x/y", "-x.test", "a..b"]) {
      expect(() => certificateNames("127.0.0.1", [bad]), bad).toThrow(RangeError);
    }
  });

  it("startEmulator({ host }) passes TLS hostname verification against its own URL", async () => {
    await withEmulator({ host: "localhost" }, async (emulator) => {
      expect(emulator.url).toMatch(/^https:\/\/localhost:\d+$/);
      expect(await statusAt(emulator.url, emulator.certificate)).toBe(401);
    });
  });

  it("hostnames are in the certificate: a client reaching the emulator by such a name verifies it", async () => {
    await withEmulator({ hostnames: ["kv.test", "127.0.0.2"] }, async (emulator) => {
      const x509 = new X509Certificate(emulator.certificate ?? "");
      expect(x509.checkHost("kv.test")).toBe("kv.test");
      expect(x509.checkIP("127.0.0.2")).toBe("127.0.0.2");
      expect(await statusAt(emulator.url, emulator.certificate, "kv.test")).toBe(401);
      await expect(statusAt(emulator.url, emulator.certificate, "other.test")).rejects.toMatchObject({
        code: "ERR_TLS_CERT_ALTNAME_INVALID",
      });
    });
    await expect(startEmulator({ hostnames: ["not a name"] })).rejects.toThrow(/hostnames\[0\]/);
  });
});

describe("certificate in the data folder", () => {
  it("is the same after a restart, its key file is private, and a new name makes a new one", async () => {
    const dataDir = newFolder();
    const first = await withEmulator({ dataDir }, async (emulator) => emulator.certificate);
    expect(readFileSync(path.join(dataDir, certificateFileName), "utf8")).toBe(first);
    expect(statSync(path.join(dataDir, keyFileName)).mode & 0o777).toBe(0o600);
    const second = await withEmulator({ dataDir }, async (emulator) => {
      // A client that trusted the first certificate still connects.
      expect(await statusAt(emulator.url, first)).toBe(401);
      return emulator.certificate;
    });
    expect(second).toBe(first);
    const renamed = await withEmulator({ dataDir, hostnames: ["kv.test"] }, async (emulator) => emulator.certificate);
    expect(renamed).not.toBe(first);
    expect(new X509Certificate(renamed ?? "").checkHost("kv.test")).toBe("kv.test");
    // The new one is kept in turn, and still covers fewer names.
    expect(await withEmulator({ dataDir }, async (emulator) => emulator.certificate)).toBe(renamed);
  });

  it("a damaged certificate file is replaced by a new certificate", async () => {
    const dataDir = newFolder();
    const first = await withEmulator({ dataDir }, async (emulator) => emulator.certificate);
    writeFileSync(path.join(dataDir, keyFileName), "not a key");
    const second = await withEmulator({ dataDir }, async (emulator) => {
      expect(await statusAt(emulator.url, emulator.certificate)).toBe(401);
      return emulator.certificate;
    });
    expect(second).not.toBe(first);
  });
});

describe("a certificate of the user's own", () => {
  it("is served as given (mkcert style), and refused when the key does not match or it is not PEM", async () => {
    const own = createSelfSignedCertificate({ commonName: "my own", altNames: ["localhost", "127.0.0.1"] });
    await withEmulator(
      { tlsCertificate: { cert: own.certificatePem, key: Buffer.from(own.privateKeyPem) } },
      async (emulator) => {
        expect(emulator.certificate).toBe(own.certificatePem);
        expect(await statusAt(emulator.url, own.certificatePem)).toBe(401);
      },
    );
    const other = createSelfSignedCertificate();
    await expect(
      startEmulator({ tlsCertificate: { cert: own.certificatePem, key: other.privateKeyPem } }),
    ).rejects.toThrow(/tlsCertificate is not usable: the private key does not belong to the certificate/);
    await expect(startEmulator({ tlsCertificate: { cert: "nope", key: own.privateKeyPem } })).rejects.toThrow(
      RangeError,
    );
    await expect(
      startEmulator({ https: false, tlsCertificate: { cert: own.certificatePem, key: own.privateKeyPem } }),
    ).rejects.toThrow(/tlsCertificate needs https/);
  });

  it("an expired certificate is refused", async () => {
    const expired = createSelfSignedCertificate({ validDays: -1 });
    await expect(
      startEmulator({ tlsCertificate: { cert: expired.certificatePem, key: expired.privateKeyPem } }),
    ).rejects.toThrow(/tlsCertificate expired/);
  });
});
