/**
 * Bearer tokens of the emulator: HMAC-SHA256 signed, JWT-shaped (`header.payload.signature`, each
 * base64url). Each emulator instance has its own secret and id; with a `dataDir` both are persisted so
 * tokens survive a restart.
 * @internal
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { nowInSeconds } from "../vault/durations.js";
import { EmulatorError } from "../vault/errors.js";
import { compactJws, fromBase64UrlJson, isJsonObject, toBase64Url } from "../vault/encoding.js";

/** The resource the recorded challenges name; tokens must be issued for it. @internal */
export const defaultResource = "https://vault.azure.net";

/** The authority the recorded 2026 challenge names (tenant sanitised to zeros). @internal */
export const challengeAuthority = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000";

/**
 * True when a scope or resource names the resource `served`: `/.default` and trailing slashes aside
 * (`https://vault.azure.net/.default`, `https://vault.azure.net/`, `https://vault.azure.net`).
 * @internal
 */
export function sameResource(requested: string, served: string): boolean {
  const trim = (value: string): string => value.replace(/\/\.default$/, "").replace(/\/+$/, "");
  return trim(requested) === trim(served);
}

/** True when `sent` is `expected`, compared in constant time so that the answer's timing tells nothing. @internal */
export function sameSecret(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Secret material of one emulator instance. @internal */
export interface AuthSecrets {
  /** HMAC key, 32 random bytes. */
  secret: Buffer;
  /** Random id of the instance, part of the token issuer. */
  emulatorId: string;
}

interface TokenPayload {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
}

/** Issues and checks the emulator's tokens. @internal */
export class TokenAuthority {
  readonly issuer: string;

  constructor(
    private readonly secrets: AuthSecrets,
    readonly resource: string = defaultResource,
  ) {
    this.issuer = `https://keyvault-emulator.local/${secrets.emulatorId}/`;
  }

  /** A token for `resource`, valid for `lifetimeSeconds` (default one hour). */
  createToken(lifetimeSeconds = 3600): { token: string; expiresOnTimestamp: number } {
    if (!Number.isFinite(lifetimeSeconds) || lifetimeSeconds <= 0) {
      throw new RangeError("lifetimeSeconds must be a positive number");
    }
    const now = nowInSeconds();
    const exp = now + Math.floor(lifetimeSeconds);
    const payload: TokenPayload = { aud: this.resource, iss: this.issuer, iat: now, nbf: now - 300, exp };
    const token = compactJws({ alg: "HS256", typ: "JWT" }, payload, (input) => this.mac(input));
    return { token, expiresOnTimestamp: exp * 1000 };
  }

  /** A token for the vault scope, as the credential hands it out; throws for any other scope. */
  private issueToken(scopes: string | string[]): AccessToken {
    const list = Array.isArray(scopes) ? scopes : [scopes];
    if (!list.every((scope) => sameResource(scope, this.resource))) {
      throw new Error(
        `The emulator credential only issues tokens for ${this.resource}/.default; asked for: ${list.join(", ")}`,
      );
    }
    const { token, expiresOnTimestamp } = this.createToken(3600);
    return {
      token,
      expiresOnTimestamp,
      refreshAfterTimestamp: expiresOnTimestamp - 30 * 60 * 1000,
      tokenType: "Bearer",
    };
  }

  /** A TokenCredential that hands out this emulator's tokens for the vault scope. */
  createCredential(): TokenCredential {
    return {
      // A promise either way, as every TokenCredential: a refused scope is a rejection, not a throw.
      getToken: (scopes: string | string[]): Promise<AccessToken | null> =>
        new Promise((resolve) => {
          resolve(this.issueToken(scopes));
        }),
    };
  }

  /**
   * A value derived from the instance secret for `label` (base64url, 32 bytes): stable across restarts
   * with a `dataDir`, unguessable without the secret, and different for every label.
   */
  deriveSecret(label: string): string {
    return createHmac("sha256", this.secrets.secret).update(`keyvault-keys-emulator ${label}`).digest("base64url");
  }

  /** Throws a 401 {@link EmulatorError} carrying the challenge unless the Authorization header is good. */
  check(authorization: string | undefined): void {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!match?.[1]) {
      throw this.unauthorized("AKV10000: Request is missing a Bearer, PoP, or MTLS_POP token.");
    }
    const problem = this.verify(match[1]);
    if (problem) throw this.unauthorized(problem);
  }

  /** The `WWW-Authenticate` value of a challenge, in the recorded format. */
  challengeHeader(): string {
    return `Bearer authorization="${challengeAuthority}", resource="${this.resource}"`;
  }

  /** Returns undefined when the token is good, else the reason. */
  private verify(token: string): string | undefined {
    const parts = token.split(".");
    const [header, body, signature] = parts;
    if (parts.length !== 3 || !header || !body || !signature) {
      return "AKV10022: Invalid audience or malformed token: the token is not a JWT signed by this emulator.";
    }
    if (!sameSecret(signature, toBase64Url(this.mac(Buffer.from(`${header}.${body}`))))) {
      return "AKV10032: Invalid issuer or signature. The token was not issued by this emulator instance.";
    }
    let payload: unknown;
    try {
      payload = fromBase64UrlJson(body);
    } catch {
      return "AKV10022: Malformed token payload.";
    }
    if (!isJsonObject(payload)) return "AKV10022: Malformed token payload.";
    if (payload["iss"] !== this.issuer) {
      return `AKV10032: Invalid issuer. Expected ${this.issuer}.`;
    }
    const audience = typeof payload["aud"] === "string" ? payload["aud"].replace(/\/+$/, "") : undefined;
    if (audience !== this.resource.replace(/\/+$/, "")) {
      return `AKV10022: Invalid audience. Expected ${this.resource}.`;
    }
    const now = nowInSeconds();
    const exp = payload["exp"];
    if (typeof exp !== "number" || exp <= now) return "AKV10013: Token expired.";
    const nbf = payload["nbf"];
    if (typeof nbf === "number" && nbf > now) return "AKV10014: Token is not yet valid.";
    return undefined;
  }

  private mac(input: Buffer): Buffer {
    return createHmac("sha256", this.secrets.secret).update(input).digest();
  }

  private unauthorized(message: string): EmulatorError {
    return new EmulatorError(401, "Unauthorized", message, undefined, {
      "www-authenticate": this.challengeHeader(),
    });
  }
}
