/**
 * The Azure App Service managed-identity token endpoint (api-version 2019-08-01), so that
 * `DefaultAzureCredential` and `ManagedIdentityCredential` of the Azure identity libraries get the
 * emulator's tokens from two environment variables alone: `IDENTITY_ENDPOINT` (this endpoint's URL)
 * and `IDENTITY_HEADER` (a secret of the instance, sent back as `X-IDENTITY-HEADER`).
 *
 * The request: `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https://vault.azure.net` with
 * `X-IDENTITY-HEADER` (optional `client_id`, `mi_res_id`, `object_id` or `principal_id` name a
 * user-assigned identity; the emulator has one identity and accepts any). The answer:
 * `{"access_token", "expires_on" (epoch seconds, a string), "resource", "token_type": "Bearer", "client_id"}`.
 * Errors are `{"error", "error_description"}`, which both MSAL and azure-identity report.
 * Tokens are the vault's own: the vault still checks each one.
 * @internal
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { sameResource, sameSecret, type TokenAuthority } from "./auth.js";

/** Path of the endpoint on the emulator's own listener (App Service also serves `/msi/token`). @internal */
export const identityPath = "/msi/token";

/** The protocol version the identity libraries send for App Service. @internal */
export const identityApiVersion = "2019-08-01";

/** How long the tokens of this endpoint live (App Service tokens last about a day). */
const tokenLifetimeSeconds = 24 * 60 * 60;

/** The endpoint of one emulator. @internal */
export interface IdentityEndpoint {
  /** The `IDENTITY_HEADER` value. */
  readonly header: string;
  /** True for a request to this endpoint (any method), which {@link answer} then handles. */
  handles(request: IncomingMessage): boolean;
  answer(request: IncomingMessage, response: ServerResponse): void;
}

function reply(response: ServerResponse, status: number, body: Record<string, string>): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    "cache-control": "no-store",
  });
  response.end(text);
}

function refuse(response: ServerResponse, status: number, error: string, description: string): void {
  reply(response, status, { error, error_description: description });
}

/** The endpoint for `auth`'s tokens; its header and client id derive from the instance secret. @internal */
export function createIdentityEndpoint(auth: TokenAuthority): IdentityEndpoint {
  const header = auth.deriveSecret("managed-identity header");
  const hex = Buffer.from(auth.deriveSecret("managed-identity client id"), "base64url").toString("hex");
  const clientId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return {
    header,
    handles: (request) => (request.url ?? "").split("?")[0] === identityPath,
    answer(request, response) {
      // A GET has no body; whatever came is drained so that the connection stays usable.
      request.resume();
      if (request.method !== "GET") {
        response.setHeader("allow", "GET");
        refuse(response, 405, "invalid_request", `Only GET is allowed on ${identityPath}.`);
        return;
      }
      const sent = request.headers["x-identity-header"];
      if (typeof sent !== "string" || !sameSecret(sent, header)) {
        refuse(response, 401, "unauthorized_client", "The X-IDENTITY-HEADER header is missing or wrong.");
        return;
      }
      const query = new URLSearchParams((request.url ?? "").split("?")[1] ?? "");
      const apiVersion = query.get("api-version");
      if (apiVersion !== identityApiVersion) {
        const got = apiVersion === null ? "none" : JSON.stringify(apiVersion);
        refuse(response, 400, "invalid_request", `api-version must be ${identityApiVersion}; got ${got}.`);
        return;
      }
      const resource = query.get("resource");
      if (!resource || !sameResource(resource, auth.resource)) {
        const got = resource ? JSON.stringify(resource) : "none";
        refuse(response, 400, "invalid_resource", `This emulator issues tokens for ${auth.resource} only; got ${got}.`);
        return;
      }
      const { token, expiresOnTimestamp } = auth.createToken(tokenLifetimeSeconds);
      reply(response, 200, {
        access_token: token,
        expires_on: String(Math.floor(expiresOnTimestamp / 1000)),
        resource,
        token_type: "Bearer",
        client_id: clientId,
      });
    },
  };
}

/** A listener that serves `endpoint` and hands every other request to `next`. @internal */
export function withIdentityEndpoint(endpoint: IdentityEndpoint, next: RequestListener): RequestListener {
  return (request, response) => {
    if (endpoint.handles(request)) endpoint.answer(request, response);
    else next(request, response);
  };
}
