/**
 * Every operation the router serves, as method + path pattern (`{name}`, `{version}`; an empty
 * `{version}` addresses the latest version). Documentation, and the list the auth test walks: the
 * test checks that each pattern reaches a handler and that every handler is listed.
 * @internal
 */

/** One route of the router. @internal */
export interface RoutePattern {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
}

/** The routes, keys first. @internal */
export const routePatterns: readonly RoutePattern[] = [
  { method: "GET", path: "/keys" },
  { method: "POST", path: "/keys/restore" },
  { method: "POST", path: "/keys/{name}/create" },
  { method: "PUT", path: "/keys/{name}" },
  { method: "GET", path: "/keys/{name}" },
  { method: "PATCH", path: "/keys/{name}" },
  { method: "DELETE", path: "/keys/{name}" },
  { method: "GET", path: "/keys/{name}/{version}" },
  { method: "PATCH", path: "/keys/{name}/{version}" },
  { method: "GET", path: "/keys/{name}/versions" },
  { method: "POST", path: "/keys/{name}/backup" },
  { method: "POST", path: "/keys/{name}/rotate" },
  { method: "GET", path: "/keys/{name}/rotationpolicy" },
  { method: "PUT", path: "/keys/{name}/rotationpolicy" },
  ...(["encrypt", "decrypt", "wrapkey", "unwrapkey", "sign", "verify", "release"] as const).flatMap((operation) => [
    { method: "POST" as const, path: `/keys/{name}/${operation}` },
    { method: "POST" as const, path: `/keys/{name}/{version}/${operation}` },
  ]),
  { method: "GET", path: "/keys/{name}/{version}/attestation" },
  { method: "GET", path: "/deletedkeys" },
  { method: "GET", path: "/deletedkeys/{name}" },
  { method: "DELETE", path: "/deletedkeys/{name}" },
  { method: "POST", path: "/deletedkeys/{name}/recover" },
  { method: "POST", path: "/rng" },
];
