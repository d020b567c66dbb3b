import type { TokenCredential } from "@azure/core-auth";
import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "@azure/core-rest-pipeline";
import { logger } from "../util/logger.js";
import { parseWWWAuthenticate } from "./parseWWWAuthenticate.js";
import { TokenCache } from "./tokenCache.js";

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

/**
 * Key Vault's challenge-based authentication. The first request goes out without its body to draw a
 * 401 whose `WWW-Authenticate` header names the resource and tenant; the policy checks that the
 * resource belongs to the vault's domain, gets a token for it and replays the request with its body.
 * Later requests reuse the scope and tenant, and the client's shared token (see {@link TokenCache}:
 * one `getToken` in flight at a time, however many requests wait). A CAE `insufficient_claims`
 * challenge gets a fresh token with the claims, once.
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
  const tokens = new TokenCache(credential);
  let challenge: KeyVaultChallenge | undefined;
  /** Set when the vault answered a bodiless probe without a challenge (no authentication in front of it). */
  let unchallenged = false;

  async function authorizeAndSend(
    request: PipelineRequest,
    next: SendRequest,
    current: KeyVaultChallenge,
    claims?: string,
  ): Promise<PipelineResponse> {
    const token = await tokens.get(current, {
      ...(claims !== undefined ? { claims } : {}),
      ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}),
      ...(request.tracingOptions ? { tracingOptions: request.tracingOptions } : {}),
    });
    request.headers.set("authorization", `Bearer ${token}`);
    return next(request);
  }

  async function sendFirst(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
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
    // Another request may have read the challenge meanwhile; this one is as good.
    challenge = readChallenge(first, vaultUrl, options);
    return retryOnClaims(request, next, await authorizeAndSend(request, next, challenge));
  }

  return {
    name: challengeAuthenticationPolicyName,
    // Not an async function: a request with the challenge known and a token cached waits for nothing here.
    sendRequest(request, next) {
      // The URLs this client builds start with the vault's origin and a "/": no parse needed for those.
      if (!request.url.startsWith(vaultPrefix) && new URL(request.url).origin !== vaultOrigin) {
        // Never hand a token to another host, whatever sent us there.
        request.headers.delete("authorization");
        return next(request);
      }
      if (!vaultIsHttps && !request.allowInsecureConnection) {
        return Promise.reject(
          new Error(
            `Refusing to send a bearer token over plain http to ${vaultOrigin}. Use https, or set allowInsecureConnection: true in the client options (for a local emulator only).`,
          ),
        );
      }
      const current = challenge;
      if (current === undefined) return sendFirst(request, next);
      const token = tokens.peek(current);
      if (token === undefined) {
        return authorizeAndSend(request, next, current).then((response) => retryOnClaims(request, next, response));
      }
      request.headers.set("authorization", `Bearer ${token}`);
      return next(request).then((response) =>
        response.status === 401 ? retryOnClaims(request, next, response) : response,
      );
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
      return authorizeAndSend(request, next, challenge, claims);
    }
    if (bearer.parameters["authorization"] || bearer.parameters["authorization_uri"]) {
      // The vault challenged again (another tenant, a revoked token): take the new challenge, once.
      const rejected = request.headers.get("authorization")?.slice("Bearer ".length);
      challenge = readChallenge(response, vaultUrl, options);
      if (rejected !== undefined) tokens.discard(challenge, rejected);
      return authorizeAndSend(request, next, challenge);
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
    // The official client's words (@azure/keyvault-common), so that code matching them keeps working.
    throw new Error(
      `The challenge resource '${resourceHost}' does not match the requested domain. ` +
        `Set disableChallengeResourceVerification to true in your client options to disable. ` +
        `See https://aka.ms/azsdk/blog/vault-uri for more information.`,
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
