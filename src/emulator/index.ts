/**
 * `keyvault-keys/emulator`: a local Azure Key Vault for the keys API, in-process or from the
 * `keyvault-keys-emulator` command. It speaks the keys REST protocol (every published api-version,
 * 2016-10-01 to 2025-07-01 and the previews) over HTTPS, with the service's challenge, answer shapes,
 * errors, soft delete and its delays, paging and real cryptography through node:crypto, and serves the
 * App Service managed-identity endpoint so that `DefaultAzureCredential` works unchanged.
 *
 * @example
 * ```ts
 * import { startEmulator } from "keyvault-keys/emulator";
 * const emulator = await startEmulator();
 * // pass emulator.url, emulator.credential and { ca: emulator.certificate } to a client, or set
 * // IDENTITY_ENDPOINT=emulator.identityEndpoint and IDENTITY_HEADER=emulator.identityHeader
 * await emulator.close();
 * ```
 * @packageDocumentation
 */
import { randomBytes } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import type { TokenCredential } from "@azure/core-auth";
import { TokenAuthority, defaultResource } from "./http/auth.js";
import { FaultInjector, type EmulatorFaults, type FaultCounts } from "./http/faults.js";
import { FileKeyStore, type PersistedSecrets } from "./store/fileStore.js";
import { BodyBudget } from "./http/requestBody.js";
import { answerClientError } from "./http/clientErrors.js";
import { registerInternals } from "./internals.js";
import { MemoryKeyStore } from "./store/memoryStore.js";
import { createIdentityEndpoint, identityPath, withIdentityEndpoint } from "./http/identityEndpoint.js";
import { requestVaultUrl } from "./http/requestVaultUrl.js";
import { createRequestListener } from "./http/router.js";
import { createSelfSignedCertificate, type SelfSignedCertificate } from "./tls/selfSignedCertificate.js";
import type { KeyStore } from "./store/keyStore.js";
import { serverCertificate, type TlsCertificateInput } from "./tls/serverCertificate.js";
import { Transitions, transitionDurations } from "./vault/transitions.js";
import { lenientBase64Bytes } from "./vault/encoding.js";
import { Vault } from "./vault/vault.js";

export type { EmulatorFaults, FaultCounts } from "./http/faults.js";
export type { TlsCertificateInput } from "./tls/serverCertificate.js";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default "127.0.0.1". It is also a name of the certificate. */
  host?: string;
  /** Serve HTTPS (default true); false serves plain HTTP. */
  https?: boolean;
  /**
   * More names (DNS names or IP addresses) for the self-signed certificate, besides localhost,
   * 127.0.0.1, ::1 and `host`: the names clients use to reach the emulator (a Docker service name, a
   * host alias, another loopback address).
   */
  hostnames?: string[];
  /**
   * A certificate and key of your own to serve instead of the self-signed one (for example made by
   * mkcert, whose root your system already trusts).
   */
  tlsCertificate?: TlsCertificateInput;
  /** Days a deleted key stays recoverable, 7 to 90 (default 90). Ignored when `softDelete` is false. */
  recoverableDays?: number;
  /** Soft delete (default true). When false, deletion is immediate and the recovery level is `Purgeable`. */
  softDelete?: boolean;
  /**
   * Turns off the service's short delays (default false). As on the service, a deletion, a purge and a
   * recovery take a moment (500 ms here): meanwhile `GET /deletedkeys/{name}` (after a delete) or
   * `GET /keys/{name}/{version}` (after a recover) answers 404, and a purge, recover, create, import or
   * restore of the name answers 409 `ObjectIsBeingDeleted` (`ObjectIsBeingRecovered`). Pollers and
   * `retryWhileBeingDeleted` handle this; `instant: true` makes every change take effect at once.
   * `faults.deleteDurationInMs` and `faults.recoverDurationInMs` set other durations.
   */
  instant?: boolean;
  /**
   * Folder to persist keys, deleted keys, rotation policies, the token secret and the backup key in, so
   * they survive a restart. Without it everything lives in memory.
   */
  dataDir?: string;
  /**
   * 32-byte AES key of backup blobs (bytes, or base64/base64url text). Instances sharing it can restore
   * each other's backups. Default: random per instance, or persisted in `dataDir`.
   */
  backupKey?: Uint8Array | string;
  /** The resource of the 401 challenge and of tokens; default "https://vault.azure.net" as recorded. */
  resource?: string;
  /**
   * Fault injection for testing retries and pollers: latency, 429/503 answers, connection resets, slow
   * deletion and recovery, drawn from a seeded PRNG. Off by default. See {@link EmulatorFaults}.
   */
  faults?: EmulatorFaults;
}

/** A started emulator. */
export interface RunningEmulator {
  /** The vault URL, e.g. "https://127.0.0.1:52011" (no trailing slash). */
  readonly url: string;
  /** Gets tokens this emulator accepts (scope `https://vault.azure.net/.default`). */
  readonly credential: TokenCredential;
  /** The PEM certificate to trust (`ca`, or a file for `NODE_EXTRA_CA_CERTS`); undefined with `https: false`. */
  readonly certificate: string | undefined;
  /**
   * The managed-identity token endpoint (Azure App Service protocol, api-version 2019-08-01), e.g.
   * "https://127.0.0.1:52011/msi/token": the value of `IDENTITY_ENDPOINT` for `DefaultAzureCredential`
   * and `ManagedIdentityCredential` (the process must also trust {@link RunningEmulator.certificate}).
   */
  readonly identityEndpoint: string;
  /** The secret of the managed-identity endpoint: the value of `IDENTITY_HEADER`. */
  readonly identityHeader: string;
  /** A bearer token this emulator accepts, valid for `lifetimeSeconds` (default 3600). */
  createToken(lifetimeSeconds?: number): string;
  /** Replaces the fault settings at run time (undefined turns faults off); the PRNG restarts from their seed. */
  setFaults(faults: EmulatorFaults | undefined): void;
  /** How many requests were faulted since start. */
  faultCounts(): FaultCounts;
  /** Stops listening, closes open connections and flushes persistence. */
  close(): Promise<void>;
}

function parseBackupKey(value: Uint8Array | string): Buffer {
  const bytes = typeof value === "string" ? lenientBase64Bytes(value) : Buffer.from(value);
  if (bytes.length !== 32) throw new RangeError("backupKey must be 32 bytes (AES-256)");
  return bytes;
}

function checkOptions(options: EmulatorOptions): void {
  const { port = 0, recoverableDays = 90 } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`port must be an integer from 0 to 65535; got ${port}`);
  if (!Number.isInteger(recoverableDays) || recoverableDays < 7 || recoverableDays > 90) {
    throw new RangeError(`recoverableDays must be an integer from 7 to 90; got ${recoverableDays}`);
  }
  if (options.instant !== undefined && typeof options.instant !== "boolean")
    throw new RangeError(`instant must be true or false; got ${String(options.instant)}`);
  if (options.tlsCertificate && options.https === false)
    throw new RangeError("tlsCertificate needs https; it cannot be used with https: false");
}

function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

/** A rejection handler that closes the store (releasing the data folder) before it rethrows. */
function releasingStore(store: KeyStore): (error: unknown) => Promise<never> {
  return async (error) => {
    await store.close().catch(() => undefined);
    throw error;
  };
}

/**
 * Starts an emulator and resolves once it listens.
 * @throws RangeError for an out-of-range `port`, `recoverableDays`, `backupKey` or `faults` setting, a
 * `hostnames` entry that is no DNS name or IP address, or a `tlsCertificate` that cannot be used.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  checkOptions(options);
  const faults = new FaultInjector(options.faults);
  const useHttps = options.https ?? true;
  const host = options.host ?? "127.0.0.1";
  const softDelete = options.softDelete ?? true;
  const recoverableDays = softDelete ? (options.recoverableDays ?? 90) : undefined;
  const newSecrets = (): PersistedSecrets => ({
    authSecret: randomBytes(32).toString("base64url"),
    emulatorId: randomBytes(8).toString("hex"),
    backupKey: randomBytes(32).toString("base64url"),
  });
  const givenBackupKey = options.backupKey === undefined ? undefined : parseBackupKey(options.backupKey);
  // The store first: it takes the data folder's lock, and fails at once on a folder it cannot write.
  const store: KeyStore = options.dataDir ? await FileKeyStore.open(options.dataDir) : new MemoryKeyStore();
  const secrets = options.dataDir
    ? await FileKeyStore.loadOrCreateSecrets(options.dataDir, newSecrets).catch(releasingStore(store))
    : newSecrets();
  const backupKey = givenBackupKey ?? Buffer.from(secrets.backupKey, "base64url");
  // After the store made the data folder (and took its lock), before anything listens.
  const tls = useHttps ? await serverCertificate({ ...options, host }).catch(releasingStore(store)) : undefined;
  const auth = new TokenAuthority(
    { secret: Buffer.from(secrets.authSecret, "base64url"), emulatorId: secrets.emulatorId },
    options.resource ?? defaultResource,
  );
  const transitions = new Transitions(transitionDurations(faults, options.instant ?? false));
  const vault = new Vault(store, { recoverableDays, backupKey, transitions });
  const scheme = useHttps ? "https" : "http";
  const identity = createIdentityEndpoint(auth);
  let releaseSigner: SelfSignedCertificate | undefined;
  let url = "";
  const bodies = new BodyBudget();
  const vaultListener = createRequestListener({
    auth,
    faults,
    bodies,
    services: {
      vault,
      vaultUrl: (hostHeader) => requestVaultUrl(scheme, hostHeader, url),
      recoverableDays,
      releaseSigner: () =>
        (releaseSigner ??= createSelfSignedCertificate({
          keyType: "rsa",
          commonName: "keyvault-keys-emulator release signing",
        })),
    },
  });
  const listener = withIdentityEndpoint(identity, vaultListener);
  const server = tls
    ? https.createServer({ key: tls.privateKeyPem, cert: tls.certificatePem }, listener)
    : http.createServer(listener);
  server.on("clientError", answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  }).catch(releasingStore(store));
  const { port } = server.address() as AddressInfo;
  url = `${scheme}://${urlHost(host)}:${port}`;
  let closing: Promise<void> | undefined;
  const running: RunningEmulator = {
    url,
    credential: auth.createCredential(),
    certificate: tls?.certificatePem,
    identityEndpoint: url + identityPath,
    identityHeader: identity.header,
    createToken: (lifetimeSeconds?: number) => auth.createToken(lifetimeSeconds).token,
    setFaults: (next: EmulatorFaults | undefined) => faults.configure(next),
    faultCounts: () => faults.counts(),
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await store.close();
      })()),
  };
  registerInternals(running, { store, auth, bodies });
  return running;
}
