/**
 * The completeness of the algorithm tables under the local engine. (RSA1_5 decryption, which once had
 * its own unpadding here, is refused locally: see test/security/rsa15Oracle.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { cipherAlgorithm, signatureAlgorithm } from "../../src/cryptography/algorithms.js";

describe("algorithm tables", () => {
  it("know every KnownEncryptionAlgorithms and KnownSignatureAlgorithms value", async () => {
    const { KnownEncryptionAlgorithms, KnownSignatureAlgorithms } = await import("../../src/index.js");
    for (const name of Object.values(KnownEncryptionAlgorithms)) expect(cipherAlgorithm(name), name).toBeDefined();
    for (const name of Object.values(KnownSignatureAlgorithms)) expect(signatureAlgorithm(name), name).toBeDefined();
    expect(cipherAlgorithm("toString")).toBeUndefined();
  });
});
