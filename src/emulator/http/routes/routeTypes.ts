/**
 * Types shared by the route handlers.
 * @internal
 */
import type { RenderContext } from "../render.js";
import type { SelfSignedCertificate } from "../../tls/selfSignedCertificate.js";
import type { Vault } from "../../vault/vault.js";

/** What handlers reach of the running emulator. @internal */
export interface EmulatorServices {
  vault: Vault;
  /** The vault URL for a request with this `Host` header (the listen URL without one), no trailing slash. */
  vaultUrl(host: string | undefined): string;
  recoverableDays: number | undefined;
  /** The RSA certificate that signs release and attestation tokens (made on first use). */
  releaseSigner(): SelfSignedCertificate;
}

/** The parameters of a route's path: `{name}` and `{version}` ("" for the latest version). @internal */
export interface RouteParams {
  name?: string;
  version?: string;
}

/** One parsed request. @internal */
export interface RouteRequest {
  services: EmulatorServices;
  params: RouteParams;
  query: URLSearchParams;
  /** Parsed JSON body, undefined when empty. */
  body: unknown;
  apiVersion: string;
  render: RenderContext;
}

/** One answer: JSON body, or none (204). @internal */
export interface RouteResponse {
  status: number;
  body?: unknown;
}

/** A route handler. @internal */
export type RouteHandler = (request: RouteRequest) => Promise<RouteResponse> | RouteResponse;

/** The name parameter (routes always have one when they declare it). @internal */
export function nameOf(request: RouteRequest): string {
  return request.params.name ?? "";
}
