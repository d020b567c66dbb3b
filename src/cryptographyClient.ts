import type { TokenCredential } from "@azure/core-auth";
import { dataHashFor } from "./cryptography/algorithms.js";
import { assertKeyUsable, type CryptographyOperation } from "./cryptography/keyChecks.js";
import { KeySource } from "./cryptography/keySource.js";
import type { LocalCryptography } from "./cryptography/local/localCryptography.js";
import {
  assertAlgorithm,
  assertBytes,
  assertDecryptParameters,
  assertDigest,
  assertEncryptParameters,
  assertKeyToWrap,
} from "./cryptography/parameterChecks.js";
import * as remote from "./cryptography/remote.js";
import { officialLocalProvider } from "./cryptography/local/officialLocal.js";
import {
  bytesResult,
  decryptResult,
  encryptResult,
  localCbcDecryptResult,
  localCbcEncryptResult,
  localRsaEncryptResult,
  resultBytes,
  verifyResult,
} from "./cryptography/results.js";
import { chooseRoute } from "./cryptography/routing.js";
import { cipherAlgorithm } from "./cryptography/algorithms.js";
import type {
  DecryptOptions,
  DecryptParameters,
  DecryptResult,
  EncryptOptions,
  EncryptParameters,
  EncryptResult,
  SignOptions,
  SignResult,
  UnwrapKeyOptions,
  UnwrapResult,
  VerifyDataOptions,
  VerifyOptions,
  VerifyResult,
  WrapKeyOptions,
  WrapResult,
} from "./models/cryptographyModels.js";
import type { JsonWebKey, JsonWebKeyFields } from "./models/jsonWebKey.js";
import type { KeyVaultKey } from "./models/keyVaultKey.js";
import type { EncryptionAlgorithm, KeyWrapAlgorithm, SignatureAlgorithm } from "./models/known.js";
import type { CryptographyClientOptions, OperationOptions } from "./models/operationOptions.js";
import { toCallOptions } from "./http/callOptions.js";
import type { RestCallOptions } from "./http/keyVaultRestClient.js";
import { OperationTracing } from "./tracing/operationTracing.js";

/**
 * Encrypts, decrypts, wraps, unwraps, signs and verifies with one key: a key in a vault (by id or as a
 * {@link KeyVaultKey}) or a local {@link JsonWebKey}.
 *
 * With a vault key, operations that need only the public key (RSA encrypt and wrapKey, RSA and EC verify
 * and verifyData) run locally once the key material is known; the rest go to the vault. A client made
 * from an id fetches the key once (`keys/get`); without that permission every operation goes to the vault.
 * A client made from a JsonWebKey never sends a request: it needs the private part (`d`, or `k` for an
 * oct key) for decrypt, unwrapKey and sign.
 *
 * @example
 * ```ts
 * import { DefaultAzureCredential } from "@azure/identity";
 * import { CryptographyClient } from "keyvault-keys";
 *
 * const crypto = new CryptographyClient("https://myvault.vault.azure.net/keys/my-key", new DefaultAzureCredential());
 * const { result } = await crypto.signData("RS256", Buffer.from("a document"));
 * ```
 */
export class CryptographyClient {
  private readonly source: KeySource;
  private readonly tracing = new OperationTracing("CryptographyClient");
  /** The local engine of the current key material: loading, then loaded (`ready`), so that later operations need no await. */
  private local?: { jwk: JsonWebKeyFields; engine: Promise<LocalCryptography>; ready?: LocalCryptography };
  private routes?: {
    jwk: JsonWebKeyFields | undefined;
    mode: string;
    chosen: Map<CryptographyOperation, Map<string, "local" | "remote">>;
  };

  /**
   * A client for a key in a vault.
   * @param key - the key id (`https://<vault>/keys/<name>[/<version>]`) or a {@link KeyVaultKey}.
   * @param credential - where tokens come from, such as `DefaultAzureCredential` from `@azure/identity`.
   * @param options - pipeline options, `serviceVersion` and `disableChallengeResourceVerification`.
   *
   * @example
   * ```ts
   * const remoteClient = new CryptographyClient("https://myvault.vault.azure.net/keys/my-key", credential);
   * ```
   */
  constructor(key: string | KeyVaultKey, credential: TokenCredential, options?: CryptographyClientOptions);
  /**
   * A local-only client: every operation runs in-process with this key; nothing is sent anywhere.
   * @param key - the key; decrypt, unwrapKey and sign need its private part.
   *
   * @example
   * ```ts
   * const localClient = new CryptographyClient({ kty: "oct", k: randomBytes(32), keyOps: ["encrypt", "decrypt"] });
   * ```
   */
  constructor(key: JsonWebKey | JsonWebKeyFields);
  constructor(
    key: string | KeyVaultKey | JsonWebKey | JsonWebKeyFields,
    credential?: TokenCredential,
    options: CryptographyClientOptions = {},
  ) {
    this.source = new KeySource(key, credential, options);
  }

  /** The URL of the key's vault; `""` for a local JsonWebKey. */
  get vaultUrl(): string {
    return this.source.vaultUrl;
  }

  /** The key's id: as given, the versioned id once the key was fetched, or the JsonWebKey's `kid`. */
  get keyID(): string | undefined {
    return this.source.keyID;
  }

  /**
   * Encrypts a single block of data. RSA encryption runs locally when the public key is known; AES
   * (GCM, CBC, CBCPAD) runs in the vault (Managed HSM), or locally with a JsonWebKey that holds `k`.
   * For AES-CBC without an `iv`, a random 16-byte iv is made and returned. Permission: `keys/encrypt`.
   *
   * @example
   * ```ts
   * const { result } = await client.encrypt({ algorithm: "RSA-OAEP-256", plaintext: Buffer.from("secret") });
   * ```
   */
  encrypt(encryptParameters: EncryptParameters, options?: EncryptOptions): Promise<EncryptResult>;
  /**
   * Encrypts `plaintext` with `algorithm` (the older form of {@link CryptographyClient.encrypt}).
   * Permission: `keys/encrypt` when it runs in the vault.
   * @deprecated Use `encrypt({ algorithm, plaintext }, options)`.
   */
  encrypt(algorithm: EncryptionAlgorithm, plaintext: Uint8Array, options?: EncryptOptions): Promise<EncryptResult>;
  async encrypt(
    ...args: [EncryptParameters, EncryptOptions?] | [EncryptionAlgorithm, Uint8Array, EncryptOptions?]
  ): Promise<EncryptResult> {
    const [given, options] =
      typeof args[0] === "string"
        ? [{ algorithm: args[0], plaintext: args[1] } as EncryptParameters, args[2]]
        : [args[0], args[1] as EncryptOptions | undefined];
    let params = given;
    return this.execute<EncryptResult>("encrypt", options, given.algorithm, {
      validate: () => {
        assertEncryptParameters(given);
        params = withCbcIv(given);
      },
      local: (engine, keyID, jwk) => {
        const out = engine.encrypt(params);
        const shape = officialLocalProvider("encrypt", params.algorithm, jwk);
        if (shape === "rsa") return localRsaEncryptResult(params.algorithm, keyID, out.result);
        if (shape === "aes") return localCbcEncryptResult(params.algorithm, out.result, ivOf(params) ?? out.iv);
        return encryptResult(params.algorithm, out.result, keyID, out);
      },
      remote: async (call) => {
        const answer = await remote.remoteEncrypt(this.source.sender(), this.source.remoteKey, params, call);
        return encryptResult(params.algorithm, answer.result, answer.kid ?? this.keyID, {
          ...answer,
          iv: answer.iv ?? ivOf(params),
        });
      },
    });
  }

  /**
   * Decrypts a single block of data. Runs in the vault, or locally with a JsonWebKey that holds the
   * private key (`d`) or `k`. AES-GCM needs the `iv` and `authenticationTag` that encrypt returned;
   * AES-CBC needs the `iv`. Permission: `keys/decrypt`.
   *
   * @example
   * ```ts
   * const { result } = await client.decrypt({ algorithm: "RSA-OAEP-256", ciphertext });
   * ```
   */
  decrypt(decryptParameters: DecryptParameters, options?: DecryptOptions): Promise<DecryptResult>;
  /**
   * Decrypts `ciphertext` with `algorithm` (the older form of {@link CryptographyClient.decrypt}).
   * Permission: `keys/decrypt` when it runs in the vault.
   * @deprecated Use `decrypt({ algorithm, ciphertext }, options)`.
   */
  decrypt(algorithm: EncryptionAlgorithm, ciphertext: Uint8Array, options?: DecryptOptions): Promise<DecryptResult>;
  async decrypt(
    ...args: [DecryptParameters, DecryptOptions?] | [EncryptionAlgorithm, Uint8Array, DecryptOptions?]
  ): Promise<DecryptResult> {
    const [params, options] =
      typeof args[0] === "string"
        ? [{ algorithm: args[0], ciphertext: args[1] } as DecryptParameters, args[2]]
        : [args[0], args[1] as DecryptOptions | undefined];
    return this.execute<DecryptResult>("decrypt", options, params.algorithm, {
      validate: () => assertDecryptParameters(params),
      local: (engine, keyID, jwk) => {
        const result = engine.decrypt(params);
        return officialLocalProvider("decrypt", params.algorithm, jwk) === "aes"
          ? localCbcDecryptResult(params.algorithm, result)
          : decryptResult(params.algorithm, result, keyID);
      },
      remote: async (call) => {
        const answer = await remote.remoteDecrypt(this.source.sender(), this.source.remoteKey, params, call);
        return decryptResult(params.algorithm, answer.result, answer.kid ?? this.keyID);
      },
    });
  }

  /**
   * Wraps (encrypts) a key, such as a data encryption key. RSA wrapping runs locally when the public
   * key is known; AES key wrap (A128KW, A192KW, A256KW) runs in the vault, or locally with a JsonWebKey
   * that holds `k`. Permission: `keys/wrapKey`.
   *
   * @example
   * ```ts
   * const { result: wrapped } = await client.wrapKey("RSA-OAEP-256", dataKey);
   * ```
   */
  async wrapKey(algorithm: KeyWrapAlgorithm, key: Uint8Array, options: WrapKeyOptions = {}): Promise<WrapResult> {
    return this.execute<WrapResult>("wrapKey", options, algorithm, {
      validate: () => {
        assertAlgorithm(algorithm);
        assertKeyToWrap(algorithm, key);
      },
      local: (engine, keyID) => bytesResult(algorithm, engine.wrapKey(algorithm, key), keyID),
      remote: async (call) => {
        const answer = await remote.remoteWrapKey(this.source.sender(), this.source.remoteKey, algorithm, key, call);
        return bytesResult(algorithm, answer.result, answer.kid ?? this.keyID);
      },
    });
  }

  /**
   * Unwraps a key that {@link CryptographyClient.wrapKey} wrapped. Runs in the vault, or locally with a
   * JsonWebKey that holds the private key or `k`. Permission: `keys/unwrapKey`.
   *
   * @example
   * ```ts
   * const { result: dataKey } = await client.unwrapKey("RSA-OAEP-256", wrapped);
   * ```
   */
  async unwrapKey(
    algorithm: KeyWrapAlgorithm,
    encryptedKey: Uint8Array,
    options: UnwrapKeyOptions = {},
  ): Promise<UnwrapResult> {
    return this.execute<UnwrapResult>("unwrapKey", options, algorithm, {
      validate: () => {
        assertAlgorithm(algorithm);
        assertBytes(encryptedKey, "encryptedKey");
      },
      local: (engine, keyID) => bytesResult(algorithm, engine.unwrapKey(algorithm, encryptedKey), keyID),
      remote: async (call) => {
        const answer = await remote.remoteUnwrapKey(
          this.source.sender(),
          this.source.remoteKey,
          algorithm,
          encryptedKey,
          call,
        );
        return bytesResult(algorithm, answer.result, answer.kid ?? this.keyID);
      },
    });
  }

  /**
   * Signs a digest (RS256 takes a SHA-256 digest, ES384 a SHA-384 one, ...). EC signatures are raw
   * `r || s`. Runs in the vault, or locally with a JsonWebKey that holds the private key or `k`.
   * Permission: `keys/sign`.
   *
   * @example
   * ```ts
   * const digest = createHash("sha256").update(document).digest();
   * const { result: signature } = await client.sign("ES256", digest);
   * ```
   */
  async sign(algorithm: SignatureAlgorithm, digest: Uint8Array, options: SignOptions = {}): Promise<SignResult> {
    return this.signDigest(
      "sign",
      algorithm,
      digest,
      options,
      () => {
        assertAlgorithm(algorithm);
        assertDigest(algorithm, digest);
      },
      (engine) => engine.sign(algorithm, digest),
    );
  }

  /**
   * Verifies a signature over a digest. RSA and EC verification runs locally when the public key is
   * known; otherwise (and for HMAC) the vault verifies. Permission: `keys/verify`.
   *
   * @example
   * ```ts
   * const { result: valid } = await client.verify("ES256", digest, signature);
   * ```
   */
  async verify(
    algorithm: SignatureAlgorithm,
    digest: Uint8Array,
    signature: Uint8Array,
    options: VerifyOptions = {},
  ): Promise<VerifyResult> {
    return this.verifyDigest(
      "verify",
      algorithm,
      () => digest,
      signature,
      options,
      () => {
        assertAlgorithm(algorithm);
        assertDigest(algorithm, digest);
        assertBytes(signature, "signature");
      },
      (engine) => engine.verify(algorithm, digest, signature),
    );
  }

  /**
   * Hashes data (SHA-256, -384 or -512, as the algorithm says) and signs the digest; only the digest
   * is sent to the vault. Permission: `keys/sign`.
   *
   * @example
   * ```ts
   * const { result: signature } = await client.signData("PS256", Buffer.from("a document"));
   * ```
   */
  async signData(algorithm: SignatureAlgorithm, data: Uint8Array, options: SignOptions = {}): Promise<SignResult> {
    return this.signDigest(
      "signData",
      algorithm,
      undefined,
      options,
      () => {
        assertAlgorithm(algorithm);
        assertBytes(data, "data", true);
        dataHashFor(algorithm);
      },
      (engine) => engine.signData(algorithm, data),
      data,
    );
  }

  /**
   * Verifies a signature over data (hashed as the algorithm says). Runs locally when the public key is
   * known; otherwise the vault verifies the digest. Permission: `keys/verify`.
   *
   * @example
   * ```ts
   * const { result: valid } = await client.verifyData("PS256", Buffer.from("a document"), signature);
   * ```
   */
  async verifyData(
    algorithm: SignatureAlgorithm,
    data: Uint8Array,
    signature: Uint8Array,
    options: VerifyDataOptions = {},
  ): Promise<VerifyResult> {
    return this.verifyDigest(
      "verifyData",
      algorithm,
      () => digestOf(algorithm, data),
      signature,
      options,
      () => {
        assertAlgorithm(algorithm);
        assertBytes(data, "data", true);
        assertBytes(signature, "signature");
        dataHashFor(algorithm);
      },
      (engine) => engine.verifyData(algorithm, data, signature),
    );
  }

  private signDigest(
    method: "sign" | "signData",
    algorithm: string,
    digest: Uint8Array | undefined,
    options: SignOptions,
    validate: () => void,
    local: (engine: LocalCryptography) => Uint8Array,
    data?: Uint8Array,
  ): SignResult | Promise<SignResult> {
    return this.execute<SignResult>(method, options, algorithm, {
      validate,
      local: (engine, keyID) => bytesResult(algorithm, local(engine), keyID),
      remote: async (call) => {
        const toSign = digest ?? (await digestOf(algorithm, data ?? new Uint8Array()));
        const answer = await remote.remoteSign(this.source.sender(), this.source.remoteKey, algorithm, toSign, call);
        return bytesResult(algorithm, answer.result, answer.kid ?? this.keyID);
      },
    });
  }

  private verifyDigest(
    method: "verify" | "verifyData",
    algorithm: string,
    digest: () => Uint8Array | Promise<Uint8Array>,
    signature: Uint8Array,
    options: VerifyOptions,
    validate: () => void,
    local: (engine: LocalCryptography) => boolean,
  ): VerifyResult | Promise<VerifyResult> {
    return this.execute<VerifyResult>(method, options, algorithm, {
      validate,
      local: (engine, keyID) => verifyResult(local(engine), keyID),
      remote: async (call) => {
        const valid = await remote.remoteVerify(
          this.source.sender(),
          this.source.remoteKey,
          algorithm,
          await digest(),
          signature,
          call,
        );
        return verifyResult(valid, this.keyID);
      },
    });
  }

  /**
   * Runs one operation in its tracing span: fetch the key if needed, check it (enabled, dates,
   * key_ops, key type), then run it locally or in the vault. The caller's parameters are checked first
   * (before any request); a local-only client checks them after the key's `key_ops` and whether it can
   * do the operation at all, in the official client's order, so that it fails as that one does. A local
   * operation whose key, route, engine and tracing are all at hand runs synchronously in its span, with
   * no promise in between.
   */
  private execute<T>(
    method: CryptographyOperation,
    options: OperationOptions | undefined,
    algorithm: string,
    run: {
      validate: () => void;
      local: (engine: LocalCryptography, keyID: string | undefined, jwk: JsonWebKeyFields) => T;
      remote: (call: RestCallOptions) => Promise<T>;
    },
  ): T | Promise<T> {
    const localOnly = this.source.mode === "local";
    if (!localOnly) run.validate();
    const ready = this.readyEngine(method, algorithm);
    if (ready !== undefined) {
      return this.tracing.withSpanSync(method, options ?? {}, (updated) => {
        const checks = this.source.checks;
        if (checks) assertKeyUsable(checks, method);
        if (localOnly) run.validate();
        if (updated.abortSignal?.aborted) throw abortError();
        return run.local(ready.engine, this.keyID, ready.jwk);
      });
    }
    return this.tracing.withSpan(method, options ?? {}, async (updated, recording) => {
      const call = toCallOptions(updated);
      if (recording) call.tracingActive = true;
      if (this.source.unresolved) await this.source.resolve(call);
      const checks = this.source.checks;
      if (checks) assertKeyUsable(checks, method);
      const jwk = this.source.jwk;
      if (this.route(method, algorithm, jwk) === "remote") return run.remote(call);
      if (localOnly) run.validate();
      const material = jwk as JsonWebKeyFields;
      const local = this.local?.jwk === jwk ? this.local : undefined;
      const engine = local?.ready ?? (await this.localEngine(material));
      if (updated.abortSignal?.aborted) throw abortError();
      return run.local(engine, this.keyID, material);
    });
  }

  /**
   * The loaded local engine, when `method` with `algorithm` runs locally for the key known now and
   * nothing is left to load (the key, the engine, core-tracing): the synchronous path of execute().
   * A route that refuses (throws) leaves the operation to the asynchronous path, which throws it in the span.
   */
  private readyEngine(
    method: CryptographyOperation,
    algorithm: string,
  ): { engine: LocalCryptography; jwk: JsonWebKeyFields } | undefined {
    const local = this.local;
    if (local?.ready === undefined || !this.tracing.loaded || this.source.unresolved) return undefined;
    const jwk = this.source.jwk;
    if (local.jwk !== jwk) return undefined;
    try {
      return this.route(method, algorithm, jwk) === "local" ? { engine: local.ready, jwk: local.jwk } : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Where an operation runs (see routing.ts), remembered per operation and algorithm for the current
   * key material and mode: a local operation then costs one lookup, not the checks again. Refusals
   * (errors) are not remembered, they are thrown again each time.
   */
  private route(
    method: CryptographyOperation,
    algorithm: string,
    jwk: JsonWebKeyFields | undefined,
  ): "local" | "remote" {
    const mode = this.source.mode;
    let routes = this.routes;
    if (!routes || routes.jwk !== jwk || routes.mode !== mode) routes = this.routes = { jwk, mode, chosen: new Map() };
    let byAlgorithm = routes.chosen.get(method);
    if (byAlgorithm === undefined) routes.chosen.set(method, (byAlgorithm = new Map<string, "local" | "remote">()));
    let chosen = byAlgorithm.get(algorithm);
    if (chosen === undefined) {
      chosen = chooseRoute(mode, method, algorithm, jwk);
      byAlgorithm.set(algorithm, chosen);
    }
    return chosen;
  }

  /** The local engine for the current key material, loaded on first use. */
  private localEngine(jwk: JsonWebKeyFields): Promise<LocalCryptography> {
    if (this.local?.jwk !== jwk) {
      const local: NonNullable<CryptographyClient["local"]> = {
        jwk,
        engine: import("./cryptography/local/localCryptography.js")
          .then(({ createLocalCryptography }) => createLocalCryptography(jwk))
          .then((engine) => (local.ready = engine)),
      };
      this.local = local;
    }
    return this.local.engine;
  }
}

/** AES-CBC parameters with a random iv when the caller gave none (the official client means to, but never does). */
function withCbcIv(params: EncryptParameters): EncryptParameters {
  const info = cipherAlgorithm(params.algorithm);
  if (info?.kind !== "aes-cbc" || ivOf(params) !== undefined) return params;
  return { ...params, iv: resultBytes(globalThis.crypto.getRandomValues(new Uint8Array(16))) } as EncryptParameters;
}

/** The iv of encrypt parameters, when they have one. */
function ivOf(params: EncryptParameters): Uint8Array | undefined {
  return "iv" in params ? params.iv : undefined;
}

/** The digest signData and verifyData send to the vault; node:crypto's hashing loads with the first one. */
async function digestOf(algorithm: string, data: Uint8Array): Promise<Uint8Array> {
  return (await import("./cryptography/digests.js")).digestForSignature(algorithm, data);
}

function abortError(): Error {
  const error = new Error("The operation was aborted.");
  error.name = "AbortError";
  return error;
}
