import { fromBase64Url, toBase64Url } from "../util/encoding.js";
import * as ops from "../generated/operations.js";
import type * as Wire from "../generated/models.js";
import type { DecryptParameters, EncryptParameters } from "../models/cryptographyModels.js";
import type { RestCallOptions } from "../http/keyVaultRestClient.js";
import type { OperationSender } from "../http/operationSpec.js";
import { malformed } from "../util/wireReaders.js";

/*
 * The vault side of the CryptographyClient: one function per operation, turning bytes into the wire's
 * base64url and the answer back into bytes. A missing or malformed answer is a RestError naming the
 * field, never a TypeError.
 */

/** The key a remote operation addresses: its name and version ("" for the latest, as the official client sends). @internal */
export interface RemoteKey {
  name: string;
  version: string;
}

/** What the vault answers to encrypt, decrypt, wrap, unwrap and sign, as bytes. @internal */
export interface RemoteResult {
  result: Uint8Array;
  kid?: string;
  iv?: Uint8Array;
  authenticationTag?: Uint8Array;
  additionalAuthenticatedData?: Uint8Array;
}

/** A key operation's answer, checked: the wire type says what the service should send, not what it sent. */
function fromWire(operation: string, value: unknown): RemoteResult {
  if (typeof value !== "object" || value === null) throw malformed(`${operation} result`, "an object");
  const answer = value as { [K in keyof Wire.KeyOperationResult]?: unknown };
  if (typeof answer.value !== "string") throw malformed(`${operation} result.value`, "a base64url string");
  const out: RemoteResult = { result: fromBase64Url(answer.value) };
  if (typeof answer.kid === "string") out.kid = answer.kid;
  if (typeof answer.iv === "string") out.iv = fromBase64Url(answer.iv);
  if (typeof answer.tag === "string") out.authenticationTag = fromBase64Url(answer.tag);
  if (typeof answer.aad === "string") out.additionalAuthenticatedData = fromBase64Url(answer.aad);
  return out;
}

function operationBody(
  algorithm: string,
  value: Uint8Array,
  extra: { iv?: Uint8Array | undefined; aad?: Uint8Array | undefined; tag?: Uint8Array | undefined } = {},
): Wire.KeyOperationsParameters {
  const body: Wire.KeyOperationsParameters = { alg: algorithm, value: toBase64Url(value) };
  if (extra.iv) body.iv = toBase64Url(extra.iv);
  if (extra.aad) body.aad = toBase64Url(extra.aad);
  if (extra.tag) body.tag = toBase64Url(extra.tag);
  return body;
}

/** POST /keys/{name}/{version}/encrypt. Permission: keys/encrypt. @internal */
export async function remoteEncrypt(
  sender: OperationSender,
  key: RemoteKey,
  params: EncryptParameters,
  call: RestCallOptions,
): Promise<RemoteResult> {
  const body = operationBody(params.algorithm, params.plaintext, {
    iv: "iv" in params ? params.iv : undefined,
    aad: "additionalAuthenticatedData" in params ? params.additionalAuthenticatedData : undefined,
  });
  return fromWire("encrypt", await ops.encrypt(sender, { keyName: key.name, keyVersion: key.version, body }, call));
}

/** POST /keys/{name}/{version}/decrypt. Permission: keys/decrypt. @internal */
export async function remoteDecrypt(
  sender: OperationSender,
  key: RemoteKey,
  params: DecryptParameters,
  call: RestCallOptions,
): Promise<RemoteResult> {
  const body = operationBody(params.algorithm, params.ciphertext, {
    iv: "iv" in params ? params.iv : undefined,
    aad: "additionalAuthenticatedData" in params ? params.additionalAuthenticatedData : undefined,
    tag: "authenticationTag" in params ? params.authenticationTag : undefined,
  });
  return fromWire("decrypt", await ops.decrypt(sender, { keyName: key.name, keyVersion: key.version, body }, call));
}

/** POST /keys/{name}/{version}/wrapkey. Permission: keys/wrapKey. @internal */
export async function remoteWrapKey(
  sender: OperationSender,
  key: RemoteKey,
  algorithm: string,
  keyToWrap: Uint8Array,
  call: RestCallOptions,
): Promise<RemoteResult> {
  const body = operationBody(algorithm, keyToWrap);
  return fromWire("wrapKey", await ops.wrapKey(sender, { keyName: key.name, keyVersion: key.version, body }, call));
}

/** POST /keys/{name}/{version}/unwrapkey. Permission: keys/unwrapKey. @internal */
export async function remoteUnwrapKey(
  sender: OperationSender,
  key: RemoteKey,
  algorithm: string,
  encryptedKey: Uint8Array,
  call: RestCallOptions,
): Promise<RemoteResult> {
  const body = operationBody(algorithm, encryptedKey);
  return fromWire("unwrapKey", await ops.unwrapKey(sender, { keyName: key.name, keyVersion: key.version, body }, call));
}

/** POST /keys/{name}/{version}/sign with a digest. Permission: keys/sign. @internal */
export async function remoteSign(
  sender: OperationSender,
  key: RemoteKey,
  algorithm: string,
  digest: Uint8Array,
  call: RestCallOptions,
): Promise<RemoteResult> {
  const body: Wire.KeySignParameters = { alg: algorithm, value: toBase64Url(digest) };
  return fromWire("sign", await ops.sign(sender, { keyName: key.name, keyVersion: key.version, body }, call));
}

/** POST /keys/{name}/{version}/verify. Permission: keys/verify. @internal */
export async function remoteVerify(
  sender: OperationSender,
  key: RemoteKey,
  algorithm: string,
  digest: Uint8Array,
  signature: Uint8Array,
  call: RestCallOptions,
): Promise<boolean> {
  const body: Wire.KeyVerifyParameters = { alg: algorithm, digest: toBase64Url(digest), value: toBase64Url(signature) };
  // Checked as it came: the wire type says what the service should send, not what it sent.
  const answer: unknown = await ops.verify(sender, { keyName: key.name, keyVersion: key.version, body }, call);
  const valid = typeof answer === "object" && answer !== null ? (answer as { value?: unknown }).value : undefined;
  if (typeof valid !== "boolean") throw malformed("verify result.value", "a boolean");
  return valid;
}
