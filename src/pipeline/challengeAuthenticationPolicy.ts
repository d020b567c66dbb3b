import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "@azure/core-rest-pipeline";
import { logger } from "../logger.js";
import { parseWWWAuthenticate } from "./parseWWWAuthenticate.js";

/** The name of {@link challengeAuthenticationPolicy}. */
export const challengeAuthenticationPolicyName = "keyVaultChallengeAuthenticationPolicy";

/** Options of {@link challengeAuthenticationPolicy}. @internal */
export interface ChallengeAuthenticationPolicyOptions {
  /** Skip the check that the challenge's resource host is a parent of the vault host. */
  disableChallengeResourceVerification?: boolean;
}

/** What a Key Vault challenge tells us: where to get a token, and for what. @internal */
export interface KeyVaultChallenge {
  scope: string;
  tenantId?: string;
  claims?: string;
}

/** Refresh a token this long before it expires, so that no request carries one about to lapse. */
const refreshMarginInMs = 2 * 60 * 1000;

/**
 * Key Vault's challenge-based authentication. The first request goes out without its body to draw a
 * 401 whose `WWW-Authenticate` header names the resource and tenant; the policy checks that the
 * resource belongs to the vault's domain, gets a token for it and replays the request with its body.
 * Later requests reuse the scope and tenant, and the token until shortly before it expires. A CAE
 * `insufficient_claims` challenge gets a fresh token with the claims, once.
 *
 * Tokens are attached only to requests for the vault's own origin, and never over plain http unless
 * the request allows insecure connections.
 */
export function challengeAuthenticationPolicy(
  credential: TokenCredential,
  vaultUrl: string,
  options: ChallengeAuthenticationPolicyOptions = {},
): PipelinePolicy {
  const vaultOrigin = new URL(vaultUrl).origin;
  const vaultPrefix = `${vaultOrigin}/`;
  const vaultIsHttps = vaultOrigin.startsWith("https:");
  let challenge: KeyVaultChallenge | undefined;
  /** Set when the vault answered a bodiless probe without a challenge (no authentication in front of it). */
  let unchallenged = false;
  let cached: { token: AccessToken; key: string; refreshAt: number } | undefined;

  async function getToken(request: PipelineRequest, current: KeyVaultChallenge, force = false): Promise<string> {
    // Claims force a fresh token, which then serves the later requests too (it satisfies the claims).
    const key = `${current.scope}|${current.tenantId ?? ""}`;
    if (!force && cached && cached.key === key && Date.now() < cached.refreshAt) return cached.token.token;
    const tokenOptions: GetTokenOptions = {
      abortSignal: request.abortSignal,
      tracingOptions: request.tracingOptions,
      enableCae: true,
      ...(current.tenantId ? { tenantId: current.tenantId } : {}),
      ...(current.claims ? { claims: current.claims } : {}),
    };
    const token = await credential.getToken(current.scope, tokenOptions);
    if (!token) throw new Error(`The credential returned no token for scope ${current.scope}.`);
    const refreshAt = token.refreshAfterTimestamp ?? token.expiresOnTimestamp - refreshMarginInMs;
    cached = { token, key, refreshAt };
    return token.token;
  }

  async function authorizeAndSend(
    request: PipelineRequest,
    next: SendRequest,
    current: KeyVaultChallenge,
    force = false,
  ): Promise<PipelineResponse> {
    // A cached token is used as is, without an await: this runs for every request.
    const key = `${current.scope}|${current.tenantId ?? ""}`;
    const token =
      !force && cached && cached.key === key && Date.now() < cached.refreshAt
        ? cached.token.token
        : await getToken(request, current, force);
    request.headers.set("authorization", `Bearer ${token}`);
    return next(request);
  }

  return {
    name: challengeAuthenticationPolicyName,
    async sendRequest(request, next) {
      // The URLs this client builds start with the vault's origin and a "/": no parse needed for those.
      const url = request.url.startsWith(vaultPrefix) ? undefined : new URL(request.url);
      if (url && url.origin !== vaultOrigin) {
        // Never hand a token to another host, whatever sent us there.
        request.headers.delete("authorization");
        return next(request);
      }
      if (!vaultIsHttps && !request.allowInsecureConnection) {
        throw new Error(
          `Refusing to send a bearer token over plain http to ${vaultOrigin}. Use https, or set allowInsecureConnection: true in the client options (for a local emulator only).`,
        );
      }

      if (challenge) return retryOnClaims(request, next, await authorizeAndSend(request, next, challenge));

      if (unchallenged) {
        // This vault answered without a challenge before: send as is, and take a challenge if one comes.
        const response = await next(request);
        if (!isChallenge(response)) return response;
        challenge = readChallenge(response, vaultUrl, options);
        return retryOnClaims(request, next, await authorizeAndSend(request, next, challenge));
      }

      // Draw the challenge with a bodiless request, so the body is never sent unauthenticated.
      const body = request.body;
      const contentLength = request.headers.get("content-length");
      request.body = undefined;
      request.headers.set("content-length", "0");
      const first = await next(request);
      request.body = body;
      if (contentLength === undefined) request.headers.delete("content-length");
      else request.headers.set("content-length", contentLength);
      if (first.status === 401 && !isChallenge(first)) {
        // Refused, but with nothing to answer: the body is not sent without a token; the caller sees the 401.
        return first;
      }
      if (!isChallenge(first)) {
        // Not challenged: remember it, and send a request with a body again, with its body.
        unchallenged = true;
        return body === undefined ? first : next(request);
      }
      challenge = readChallenge(first, vaultUrl, options);
      return retryOnClaims(request, next, await authorizeAndSend(request, next, challenge));
    },
  };

  async function retryOnClaims(
    request: PipelineRequest,
    next: SendRequest,
    response: PipelineResponse,
  ): Promise<PipelineResponse> {
    if (response.status !== 401) return response;
    const header = response.headers.get("www-authenticate");
    if (!header) return response;
    const bearer = parseWWWAuthenticate(header).find((c) => c.scheme === "bearer");
    if (!bearer) return response;
    if (bearer.parameters["error"] === "insufficient_claims" && bearer.parameters["claims"] && challenge) {
      const claims = Buffer.from(bearer.parameters["claims"], "base64").toString("utf8");
      logger.info("Key Vault asked for a token with additional claims (continuous access evaluation).");
      return authorizeAndSend(request, next, { ...challenge, claims }, true);
    }
    if (bearer.parameters["authorization"] || bearer.parameters["authorization_uri"]) {
      // The vault challenged again (another tenant, a revoked token): take the new challenge, once.
      challenge = readChallenge(response, vaultUrl, options);
      return authorizeAndSend(request, next, challenge, true);
    }
    return response;
  }
}

function isChallenge(response: PipelineResponse): boolean {
  return response.status === 401 && Boolean(response.headers.get("www-authenticate"));
}

/**
 * Reads scope and tenant from a 401 answer and verifies the resource against the vault host.
 * @internal
 */
export function readChallenge(
  response: PipelineResponse,
  vaultUrl: string,
  options: ChallengeAuthenticationPolicyOptions,
): KeyVaultChallenge {
  const header = response.headers.get("www-authenticate") ?? "";
  const bearer = parseWWWAuthenticate(header).find((c) => c.scheme === "bearer");
  const params = bearer?.parameters ?? {};
  const resource = params["resource"];
  const scope = params["scope"] ?? (resource ? `${resource.replace(/\/+$/, "")}/.default` : undefined);
  if (!scope) {
    throw new Error(`The vault's authentication challenge names neither a resource nor a scope: "${header}".`);
  }
  if (!options.disableChallengeResourceVerification) {
    verifyChallengeResource(scope, vaultUrl);
  }
  const authority = params["authorization"] ?? params["authorization_uri"];
  const tenantId = authority ? tenantFromAuthority(authority) : undefined;
  return { scope, ...(tenantId ? { tenantId } : {}) };
}

/** @internal */
export function verifyChallengeResource(scope: string, vaultUrl: string): void {
  let resourceHost: string;
  try {
    resourceHost = new URL(scope).hostname.toLowerCase();
  } catch {
    throw new Error(`The challenge scope "${scope}" is not a URL.`);
  }
  const vaultHost = new URL(vaultUrl).hostname.toLowerCase();
  if (vaultHost !== resourceHost && !vaultHost.endsWith(`.${resourceHost}`)) {
    throw new Error(
      `The challenge resource '${resourceHost}' does not match the requested domain '${vaultHost}'. ` +
        `Set disableChallengeResourceVerification to true in the client options to skip this check ` +
        `(see https://aka.ms/azsdk/blog/vault-uri).`,
    );
  }
}

function tenantFromAuthority(authority: string): string | undefined {
  try {
    const segment = new URL(authority).pathname.split("/").filter(Boolean)[0];
    return segment && segment.toLowerCase() !== "adfs" ? segment : undefined;
  } catch {
    return undefined;
  }
}
