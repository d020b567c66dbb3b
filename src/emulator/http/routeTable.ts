/**
 * Every operation the emulator serves: its method, path pattern and handler, in the one list the
 * router is built from (`routeMatcher.ts`, `router.ts`). A pattern's segments are words, matched
 * without regard to case, or the parameters `{name}` (a key name; never an empty segment) and
 * `{version}` (a key version; an empty segment addresses the latest version, as `GET /keys/{name}/`
 * does).
 *
 * The REST spec's operations come first. The routes after them are the same operations in the other
 * spellings clients send: without the `{version}` segment (the latest version) and, for the two lists,
 * with a trailing slash. `test/emulator/routeAuth.test.ts` checks the table against the spec.
 * @internal
 */
import * as crypto from "./routes/cryptoRoutes.js";
import * as deleted from "./routes/deletedKeyRoutes.js";
import * as keys from "./routes/keyRoutes.js";
import type { RouteHandler } from "./routes/routeTypes.js";

/** The methods of the table, in the order an `Allow` header lists them. @internal */
export const routeMethods = ["GET", "PATCH", "PUT", "POST", "DELETE"] as const;

/** A method of the table. @internal */
export type RouteMethod = (typeof routeMethods)[number];

/** One operation: a method on a path pattern, and its handler. @internal */
export interface Route {
  method: RouteMethod;
  path: string;
  handler: RouteHandler;
}

/** The routes: the spec's operations, then their other spellings. @internal */
export const routes: readonly Route[] = [
  { method: "POST", path: "/keys/{name}/create", handler: keys.createKey },
  { method: "PUT", path: "/keys/{name}", handler: keys.importKey },
  { method: "DELETE", path: "/keys/{name}", handler: keys.deleteKey },
  { method: "GET", path: "/keys/{name}/{version}", handler: keys.getKey },
  { method: "PATCH", path: "/keys/{name}/{version}", handler: keys.updateKey },
  { method: "GET", path: "/keys", handler: keys.listKeys },
  { method: "GET", path: "/keys/{name}/versions", handler: keys.listKeyVersions },
  { method: "POST", path: "/keys/{name}/backup", handler: keys.backupKey },
  { method: "POST", path: "/keys/restore", handler: keys.restoreKey },
  { method: "POST", path: "/keys/{name}/rotate", handler: keys.rotateKey },
  { method: "GET", path: "/keys/{name}/rotationpolicy", handler: keys.getRotationPolicy },
  { method: "PUT", path: "/keys/{name}/rotationpolicy", handler: keys.updateRotationPolicy },
  { method: "POST", path: "/keys/{name}/{version}/encrypt", handler: crypto.encrypt },
  { method: "POST", path: "/keys/{name}/{version}/decrypt", handler: crypto.decrypt },
  { method: "POST", path: "/keys/{name}/{version}/wrapkey", handler: crypto.wrapKey },
  { method: "POST", path: "/keys/{name}/{version}/unwrapkey", handler: crypto.unwrapKey },
  { method: "POST", path: "/keys/{name}/{version}/sign", handler: crypto.sign },
  { method: "POST", path: "/keys/{name}/{version}/verify", handler: crypto.verify },
  { method: "POST", path: "/keys/{name}/{version}/release", handler: crypto.release },
  { method: "GET", path: "/keys/{name}/{version}/attestation", handler: crypto.getKeyAttestation },
  { method: "POST", path: "/rng", handler: crypto.getRandomBytes },
  { method: "GET", path: "/deletedkeys", handler: deleted.listDeletedKeys },
  { method: "GET", path: "/deletedkeys/{name}", handler: deleted.getDeletedKey },
  { method: "DELETE", path: "/deletedkeys/{name}", handler: deleted.purgeDeletedKey },
  { method: "POST", path: "/deletedkeys/{name}/recover", handler: deleted.recoverDeletedKey },

  // The same operations on the latest version, without the `{version}` segment.
  { method: "GET", path: "/keys/{name}", handler: keys.getKey },
  { method: "PATCH", path: "/keys/{name}", handler: keys.updateKey },
  { method: "POST", path: "/keys/{name}/encrypt", handler: crypto.encrypt },
  { method: "POST", path: "/keys/{name}/decrypt", handler: crypto.decrypt },
  { method: "POST", path: "/keys/{name}/wrapkey", handler: crypto.wrapKey },
  { method: "POST", path: "/keys/{name}/unwrapkey", handler: crypto.unwrapKey },
  { method: "POST", path: "/keys/{name}/sign", handler: crypto.sign },
  { method: "POST", path: "/keys/{name}/verify", handler: crypto.verify },
  { method: "POST", path: "/keys/{name}/release", handler: crypto.release },
  { method: "GET", path: "/keys/{name}/attestation", handler: crypto.getKeyAttestation },
  // The lists with a trailing slash.
  { method: "GET", path: "/keys/", handler: keys.listKeys },
  { method: "GET", path: "/deletedkeys/", handler: deleted.listDeletedKeys },
];
