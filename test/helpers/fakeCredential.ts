import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";

/** One call a {@link FakeCredential} received. */
export interface TokenRequest {
  scopes: string[];
  tenantId?: string;
  claims?: string;
  enableCae?: boolean;
}

/**
 * A TokenCredential that hands out `token-1`, `token-2`, ... and records every call: the scopes, the
 * tenant, the CAE claims. Tokens are valid for an hour, so the client caches them.
 */
export class FakeCredential implements TokenCredential {
  readonly calls: TokenRequest[] = [];

  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    this.calls.push({
      scopes: Array.isArray(scopes) ? [...scopes] : [scopes],
      ...(options.tenantId !== undefined ? { tenantId: options.tenantId } : {}),
      ...(options.claims !== undefined ? { claims: options.claims } : {}),
      ...(options.enableCae !== undefined ? { enableCae: options.enableCae } : {}),
    });
    return { token: `token-${this.calls.length}`, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
  }
}
