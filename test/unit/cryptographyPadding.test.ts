/**
 * The pieces under the local engine that node:crypto does not judge directly: EME-PKCS1-v1_5 unpadding
 * (used because Node 20 refuses RSA1_5 private decryption), and the completeness of the algorithm tables.
 */
import { describe, expect, it } from "vitest";
import { removePkcs1EncryptionPadding } from "../../src/cryptography/localRsa.js";
import { cipherAlgorithm, signatureAlgorithm } from "../../src/cryptography/algorithms.js";

const block = (parts: number[][]): Uint8Array => new Uint8Array(parts.flat());
const nonzero = (n: number): number[] => Array.from({ length: n }, (_, i) => (i % 255) + 1);

describe("removePkcs1EncryptionPadding", () => {
  it("returns the message after 00 02 PS 00", () => {
    expect(removePkcs1EncryptionPadding(block([[0, 2], nonzero(8), [0], [7, 8, 9]]))).toEqual(Buffer.from([7, 8, 9]));
    expect(removePkcs1EncryptionPadding(block([[0, 2], nonzero(200), [0]]))).toEqual(Buffer.alloc(0));
  });
  it.each([
    ["a first byte other than 0", block([[1, 2], nonzero(8), [0, 1]])],
    ["a block type other than 2", block([[0, 1], nonzero(8), [0, 1]])],
    ["no separator", block([[0, 2], nonzero(20)])],
    ["fewer than 8 padding bytes", block([[0, 2], nonzero(7), [0, 1, 2]])],
  ])("refuses %s with one generic message", (_what, em) => {
    expect(() => removePkcs1EncryptionPadding(em)).toThrow(
      "RSA1_5 decryption failed: the ciphertext does not match the key.",
    );
  });
});

describe("algorithm tables", () => {
  it("know every KnownEncryptionAlgorithms and KnownSignatureAlgorithms value", async () => {
    const { KnownEncryptionAlgorithms, KnownSignatureAlgorithms } = await import("../../src/index.js");
    for (const name of Object.values(KnownEncryptionAlgorithms)) expect(cipherAlgorithm(name), name).toBeDefined();
    for (const name of Object.values(KnownSignatureAlgorithms)) expect(signatureAlgorithm(name), name).toBeDefined();
    expect(cipherAlgorithm("toString")).toBeUndefined();
  });
});
