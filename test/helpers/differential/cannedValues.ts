/*
 * The values the differential fake vault answers with, taken from the recordings in
 * ../shared/conformance/recordings (python 2025-07-01, go 7.5, cpp 7.3) and the REST spec's examples.
 */

export const RSA_VERSION = "50926fee51bf42868c869e0266598d5d";
export const EC_VERSION = "63c46e0741cc4bc4ad2904af8a9df33e";
export const ROTATED_VERSION = "1d59dc2c754346b0b89653634fe9a9d0";
export const IMPORTED_VERSION = "1deb82e772d8417a9356b07fd6c11801";
export const OCT_VERSION = "0ae31e2f37d949b5a2216982074e7e7a";
/** `GET /keys/missing-key/...` is always a 404 `KeyNotFound`. */
export const MISSING_KEY = "missing-key";

/** python-2025-07-01 test_key_crud_operations: RSA-2048 (note `key_size` inside attributes). */
export const RSA_N =
  "xg02XFqCLQZnNFD5DTo-dPVPwJoIVbpwu19XVj6FQ-YyoGScd06hYL8ZChuw5FVPbc6OzZuAGrBKgIKwephEb9IhEnd1uAVh6fyd7vXRtu6tH81PFndYCxj0bwcYM8SEqt5V2t769UqPTsnRB0KJY_SYvAoPaUvnU1Y3ttBnD_85IFMFUV5dFlDEbRoJRW3yOOs0qJy6NqhHhPHVK8sM_YrIRcnBJ1IOZLUytI2mr8DffkyJ48sxj01XKBI4_s8GkMT6FsFkEqNYcNvRMm52O3tUBJgiCtpa3bG_2naPCKReG98fx7xN5iJUd9lngpfXeKM5qgd4aJXLOl4-6eP6_Q";
export const RSA_ATTRIBUTES = {
  enabled: true,
  key_size: 2048,
  created: 1777476611,
  updated: 1777476611,
  recoveryLevel: "CustomizedRecoverable+Purgeable",
  recoverableDays: 7,
  exportable: false,
  hsmPlatform: "0",
};
/** python-2025-07-01: EC P-256 (the key is wire.ts's EC_P256). */
export const EC_ATTRIBUTES = {
  enabled: true,
  created: 1777476606,
  updated: 1777476606,
  recoveryLevel: "CustomizedRecoverable+Purgeable",
  recoverableDays: 7,
  exportable: false,
  hsmPlatform: "0",
};
/** go-7.5 TestRotateKey_KV: rotated EC-HSM key with `exp` from the policy. */
export const ROTATED_X = "2OAUYPseFzrofHz0fc1l5TDJV1uooLsWm9ntEIEA8Ps";
export const ROTATED_Y = "1V8CBHWz45yrGZCri6EMpudHyxsoSIcSc68EsiNwWE8";
/** cpp-7.3 ReleaseKey2: release policy of an exportable key. */
export const RELEASE_POLICY = {
  contentType: "application/json; charset=utf-8",
  data: "eyJ2ZXJzaW9uIjoiMS4wLjAiLCJhbnlPZiI6W3siYXV0aG9yaXR5IjoiaHR0cHM6Ly9zaGFyZWR3dXMud3VzLmF0dGVzdC5henVyZS5uZXQiLCJhbGxPZiI6W3siY2xhaW0iOiJ4LW1zLXNneC1tcnNpZ25lciIsImVxdWFscyI6IjYxYjhmMDVlZmI0ZTNiMjU5ZjNiMWJiYTZiODlhMWExNjc4NGJkNGIzYjE3MmQwMGJhMjJhMzZjNzEzMWQyZDUifV19XX0",
  immutable: false,
};
/** spec example GetKeyAttestation (2025-07-01): attestation inside attributes. */
export const ATTESTATION = {
  certificatePemFile: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURnRENDQW1nQ0FRRXdEUVlKS29aSWh2Y05BUUVMQlFBd2daRXhDekF",
  privateKeyAttestation: "AAAAAAAAAAMAAASoAAADlAAAA5QAAQAAPBVew",
  publicKeyAttestation: "AAAAAAAAAAMAAASoAAADlAAAA5QAAQAAAAgAAAAAABwAAAAjAAADgAAAAAAAAAABAxwLQ",
  version: "1.0",
};
/** python-2025-07-01 test_backup_restore: the start of the real blob (the full one is ~9.8 KB). */
export const BACKUP_VALUE =
  "JkF6dXJlS2V5VmF1bHRLZXlCYWNrdXBWMS5taWNyb3NvZnQuY29tZXlKcmFXUWlPaUkxTnpFeE56ZzBNQzAxTUdOaUxUUm1Nakl0T0dJeVpTMWpOV0kzWlRWa01EZzRZbVVpTENKaGJHY2lPaUpTVTBFdFQwRkZVQzB5TlRZaUxDSmxibU1pT2lKQk1qVTJRMEpETFVoVE5URXlJbjAudE1JVzFiVW1FbHZlZ3VGOTRhUnlBVWg1RFVaQzFSX0o1M2VyTTNNRndTb082U0dHNFFXcl9yZTNwbTNLZmhpWmZlWW8wN0JxTDlTaDBaR01lMDZUTWxTQXc4N3VKbEZHQjFDOWhINGR6dkt6U2MzQzM2SHdwbEYyX0xjM1NVWkd5ei1nWldGeFlyTUFS";
/** go-7.5 TestGetRandomBytes: 100 bytes. */
export const RANDOM_100 =
  "oW1QMtvH9T6bULnKTlRZE9Oz2dCE2c7K7jR-KqFLWa-47NszNXclOrB9Ycz_wa6sBgLMUQYkVWU8iMAkv55LixZFoOL2JhwxTbE_PkjgJAISc1dTnnPUKFhy33FZq1wyE8FMmw";
/** cpp-7.3 ReleaseKey2: a JWS (the header is the real one; payload and signature shortened). */
export const RELEASE_VALUE =
  "eyJhbGciOiJSUzI1NiIsImtpZCI6IjY3Q0ZBNEEyMkJEQ0IxOEIzNDZGODRFRDlFRDg2Qzg4MDg1ODNERUMiLCJ4NXQiOiJaOC1rb2l2Y3NZczBiNFR0bnRoc2lBaFlQZXciLCJ0eXAiOiJKV1QifQ.eyJyZXF1ZXN0Ijp7ImFwaS12ZXJzaW9uIjoiNy4zIn19.c2lnbmF0dXJl";
