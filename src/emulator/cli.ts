#!/usr/bin/env node
/**
 * The `keyvault-keys-emulator` command: starts the emulator and prints its URL, where its certificate
 * was written, the environment variables that let other processes trust it and authenticate
 * (`NODE_EXTRA_CA_CERTS`, `REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`, `IDENTITY_ENDPOINT`, `IDENTITY_HEADER`)
 * and a bearer token. Stops on SIGINT/SIGTERM. This module runs `main` when loaded; it is only ever
 * executed, never imported.
 * @internal
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { startEmulator, type EmulatorFaults, type EmulatorOptions } from "./index.js";
import { clientEnvironment, clientHints } from "./cliOutput.js";
import { writeCertificateOut, writePrivateCertificate, type CertificateFile } from "./tls/certificateFile.js";
import { certificateFileName } from "./tls/serverCertificate.js";

const usage = `Usage: keyvault-keys-emulator [options]

A local Azure Key Vault (keys API) for development and tests.

Options:
  --port <n>               TCP port (default 0: any free port)
  --host <address>         interface to listen on (default 127.0.0.1)
  --http                   serve plain HTTP instead of HTTPS
  --hostname <name>        another DNS name or IP address for the certificate (repeatable),
                           e.g. a Docker service name or the host clients connect through
  --cert <file> --key <file>
                           serve this certificate and key (PEM) instead of a self-signed one
  --recoverable-days <n>   soft-delete retention, 7 to 90 (default 90)
  --no-soft-delete         delete immediately (recovery level Purgeable)
  --instant                no service-like delays: deletion, purge and recovery finish at once
                           (by default each takes a moment, 100 ms to 2 s, with the service's
                           404 and 409 meanwhile)
  --data-dir <folder>      persist keys, secrets and the TLS certificate in this folder
  --cert-out <file>        write the TLS certificate (PEM) here (default: emulator-cert.pem in
                           --data-dir, else a private temp folder removed on exit)
  --token-lifetime <s>     lifetime in seconds of the printed token (default 86400)
  --help                   show this help

Fault injection (authenticated requests only; the 401 challenge is never faulted):
  --latency <ms|min-max>   delay each answer by ms, or uniformly between min and max ms
  --throttle-rate <r>      share 0..1 of requests answered 429 Throttled with Retry-After
  --throttle-retry-after <s>  seconds in that Retry-After (default 1)
  --unavailable-rate <r>   share 0..1 of requests answered 503 ServiceUnavailable
  --reset-rate <r>         share 0..1 of connections reset without an answer
  --delete-duration <ms>   deletion (and purge) takes exactly this long: 404 on GET /deletedkeys/{name},
                           409 ObjectIsBeingDeleted on a purge/recover/create/import/restore of it
  --recover-duration <ms>  recovery takes exactly this long: 404 on GET /keys/{name}/{version}
  --seed <n>               seed of the fault PRNG (default 1)
`;

interface CliOptions {
  emulator: EmulatorOptions;
  certOut?: string;
  /** The files of --cert and --key. */
  ownCertificate: { cert?: string; key?: string };
  tokenLifetime: number;
}

function readUserFile(file: string, flag: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`${flag} ${file}: ${(error as Error).message}`);
  }
}

function rateOf(text: string, flag: string): number {
  const value = Number(text);
  if (!/^(0|1|0?\.\d+|1\.0*)$/.test(text) || !(value >= 0 && value <= 1))
    throw new Error(`${flag} needs a number from 0 to 1; got ${text}`);
  return value;
}

function latencyOf(text: string): number | [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match?.[1]) throw new Error(`--latency needs ms or min-max (whole numbers); got ${text}`);
  return match[2] === undefined ? Number(match[1]) : [Number(match[1]), Number(match[2])];
}

function parseArguments(argv: string[]): CliOptions | "help" {
  const emulator: EmulatorOptions = {};
  const faults: EmulatorFaults = {};
  const result: CliOptions = { emulator, ownCertificate: {}, tokenLifetime: 86400 };
  const hostnames: string[] = [];
  const valueOf = (index: number, flag: string): string => {
    const value = argv[index + 1];
    if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value`);
    return value;
  };
  const integerOf = (text: string, flag: string): number => {
    if (!/^\d+$/.test(text)) throw new Error(`${flag} needs a whole number; got ${text}`);
    return Number(text);
  };
  for (let index = 0; index < argv.length; index++) {
    const raw = argv[index] ?? "";
    const [flag = "", inline] = raw.includes("=")
      ? [raw.slice(0, raw.indexOf("=")), raw.slice(raw.indexOf("=") + 1)]
      : [raw, undefined];
    const take = (): string => {
      if (inline !== undefined) return inline;
      const value = valueOf(index, flag);
      index++;
      return value;
    };
    switch (flag) {
      case "--help":
      case "-h":
        return "help";
      case "--port":
        emulator.port = integerOf(take(), flag);
        break;
      case "--host":
        emulator.host = take();
        break;
      case "--http":
        emulator.https = false;
        break;
      case "--hostname":
        hostnames.push(take());
        break;
      case "--cert":
        result.ownCertificate.cert = path.resolve(take());
        break;
      case "--key":
        result.ownCertificate.key = path.resolve(take());
        break;
      case "--instant":
        emulator.instant = true;
        break;
      case "--recoverable-days":
        emulator.recoverableDays = integerOf(take(), flag);
        break;
      case "--no-soft-delete":
        emulator.softDelete = false;
        break;
      case "--data-dir":
        emulator.dataDir = path.resolve(take());
        break;
      case "--cert-out":
        result.certOut = path.resolve(take());
        break;
      case "--token-lifetime":
        result.tokenLifetime = integerOf(take(), flag);
        break;
      case "--latency":
        faults.latencyInMs = latencyOf(take());
        break;
      case "--throttle-rate":
        faults.throttleRate = rateOf(take(), flag);
        break;
      case "--throttle-retry-after":
        faults.throttleRetryAfterSeconds = integerOf(take(), flag);
        break;
      case "--unavailable-rate":
        faults.unavailableRate = rateOf(take(), flag);
        break;
      case "--reset-rate":
        faults.resetRate = rateOf(take(), flag);
        break;
      case "--delete-duration":
        faults.deleteDurationInMs = integerOf(take(), flag);
        break;
      case "--recover-duration":
        faults.recoverDurationInMs = integerOf(take(), flag);
        break;
      case "--seed":
        faults.seed = integerOf(take(), flag);
        break;
      default:
        throw new Error(`unknown option ${raw}`);
    }
  }
  if (Object.keys(faults).length > 0) emulator.faults = faults;
  if (hostnames.length > 0) emulator.hostnames = hostnames;
  const { cert, key } = result.ownCertificate;
  if ((cert === undefined) !== (key === undefined)) throw new Error("--cert and --key go together");
  if (cert !== undefined && key !== undefined) {
    if (emulator.https === false) throw new Error("--cert and --key cannot be used with --http");
    emulator.tlsCertificate = { cert: readUserFile(cert, "--cert"), key: readUserFile(key, "--key") };
  }
  return result;
}

async function main(): Promise<void> {
  let options: CliOptions | "help";
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`keyvault-keys-emulator: ${(error as Error).message}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (options === "help") {
    process.stdout.write(usage);
    return;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator(options.emulator);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    process.stderr.write(`keyvault-keys-emulator: ${error.message}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  // Before anything is printed: a process that read the output may signal at once.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Received ${signal}; stopping.\n`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`keyvault-keys-emulator: error while stopping: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  const lines = [`Key Vault emulator listening at ${emulator.url}`];
  if (options.emulator.faults) lines.push(`Fault injection: ${JSON.stringify(options.emulator.faults)}`);
  let written: CertificateFile | undefined;
  let trustFile: string | undefined;
  if (emulator.certificate && options.emulator.tlsCertificate) {
    lines.push(
      `Serving ${options.ownCertificate.cert ?? ""}; clients trust it through its issuer (mkcert: mkcert -CAROOT).`,
    );
  } else if (emulator.certificate) {
    written = options.certOut
      ? writeCertificateOut(options.certOut, emulator.certificate)
      : options.emulator.dataDir
        ? undefined
        : writePrivateCertificate(emulator.certificate);
    trustFile = written?.file ?? path.join(options.emulator.dataDir ?? "", certificateFileName);
    lines.push(`Certificate: ${trustFile}${written && !options.certOut ? " (removed on exit)" : ""}`);
  }
  process.on("exit", () => written?.remove());
  lines.push(
    "Environment for clients (Node.js, Python, Go, .NET; DefaultAzureCredential and ManagedIdentityCredential):",
  );
  lines.push(...clientEnvironment(emulator, trustFile));
  const token = emulator.createToken(options.tokenLifetime);
  lines.push(`Bearer token (valid ${options.tokenLifetime} s) for other processes:`);
  lines.push(`KEYVAULT_EMULATOR_TOKEN=${token}`);
  lines.push(...clientHints());
  lines.push("Press Ctrl+C to stop.");
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`keyvault-keys-emulator: ${(error as Error).message}\n`);
  process.exit(1);
});
