/**
 * What the command line prints for other processes: the environment variables that make each SDK
 * trust the emulator's certificate and get its tokens, and the one client option every SDK needs.
 * @internal
 */
import type { RunningEmulator } from "./index.js";

/**
 * `NAME=value` lines: the certificate for Node.js (`NODE_EXTRA_CA_CERTS`, added to the built-in roots),
 * Python requests (`REQUESTS_CA_BUNDLE`) and OpenSSL-based stacks such as Go, .NET on Linux and curl
 * (`SSL_CERT_FILE`; those two replace the system roots for that process), and the managed-identity
 * endpoint that `DefaultAzureCredential` and `ManagedIdentityCredential` use.
 * @internal
 */
export function clientEnvironment(
  emulator: Pick<RunningEmulator, "identityEndpoint" | "identityHeader">,
  trustFile: string | undefined,
): string[] {
  const lines: string[] = [];
  if (trustFile !== undefined) {
    lines.push(`NODE_EXTRA_CA_CERTS=${trustFile}`, `REQUESTS_CA_BUNDLE=${trustFile}`, `SSL_CERT_FILE=${trustFile}`);
  }
  lines.push(`IDENTITY_ENDPOINT=${emulator.identityEndpoint}`, `IDENTITY_HEADER=${emulator.identityHeader}`);
  return lines;
}

/** The challenge-resource option of each SDK (the emulator's host is not under vault.azure.net). @internal */
export function clientHints(): string[] {
  return [
    "Clients must skip the check that the vault host is under vault.azure.net:",
    "  JavaScript  new KeyClient(url, credential, { disableChallengeResourceVerification: true })",
    "  Python      KeyClient(url, credential, verify_challenge_resource=False)",
    "  .NET        new KeyClientOptions { DisableChallengeResourceVerification = true }",
    "  Java        new KeyClientBuilder().disableChallengeResourceVerification()",
    "  Go          &azkeys.ClientOptions{DisableChallengeResourceVerification: true}",
  ];
}
