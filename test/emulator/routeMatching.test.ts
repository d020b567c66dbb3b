/**
 * How the router reads the route table: each method is served by the most specific pattern that has
 * it (a word before a parameter), words ignore case, `{name}` is never empty, an empty `{version}` is
 * the latest version, and a path some pattern matches but not for this method is a 405 listing the
 * methods it has.
 */
import { describe, expect, it } from "vitest";
import * as cryptoRoutes from "../../src/emulator/http/routes/cryptoRoutes.js";
import * as deletedRoutes from "../../src/emulator/http/routes/deletedKeyRoutes.js";
import * as keyRoutes from "../../src/emulator/http/routes/keyRoutes.js";
import type { RouteHandler } from "../../src/emulator/http/routes/routeTypes.js";
import { createRouteMatcher } from "../../src/emulator/http/routeMatcher.js";
import { matchRoute } from "../../src/emulator/http/router.js";

const match = (method: string, path: string) => matchRoute(method, path.replace(/^\/+/, "").split("/"));

describe("route matching", () => {
  it("serves each method from the most specific pattern that has it", () => {
    expect(match("GET", "/keys/k/versions")).toEqual({
      handler: keyRoutes.listKeyVersions,
      params: { name: "k" },
      allowed: ["GET", "PATCH"],
    });
    expect(match("PATCH", "/keys/k/0123")).toMatchObject({
      handler: keyRoutes.updateKey,
      params: { name: "k", version: "0123" },
    });
    expect(match("GET", "/keys/k/create")).toMatchObject({
      handler: keyRoutes.getKey,
      params: { name: "k", version: "create" },
    });
    expect(match("POST", "/keys/restore")).toMatchObject({ handler: keyRoutes.restoreKey, params: {} });
    expect(match("DELETE", "/keys/restore")).toMatchObject({
      handler: keyRoutes.deleteKey,
      params: { name: "restore" },
    });
    expect(match("POST", "/keys/k/0123/attestation")?.handler).toBeUndefined();
    expect(match("GET", "/keys/k/0123/attestation")?.handler).toBe(cryptoRoutes.getKeyAttestation);
  });

  it("matches words without regard to case and keeps parameters as sent", () => {
    expect(match("POST", "/KEYS/Key-1/SIGN")).toMatchObject({ handler: cryptoRoutes.sign, params: { name: "Key-1" } });
    expect(match("POST", "/DeletedKeys/k/Recover")?.handler).toBe(deletedRoutes.recoverDeletedKey);
    expect(match("POST", "/Rng")?.handler).toBe(cryptoRoutes.getRandomBytes);
  });

  it("reads an empty version as the latest, never an empty name", () => {
    expect(match("GET", "/keys/k/")).toMatchObject({ handler: keyRoutes.getKey, params: { name: "k", version: "" } });
    expect(match("POST", "/keys/k//encrypt")).toMatchObject({
      handler: cryptoRoutes.encrypt,
      params: { name: "k", version: "" },
    });
    expect(match("GET", "/keys/")?.handler).toBe(keyRoutes.listKeys);
    expect(match("GET", "/deletedkeys/")?.handler).toBe(deletedRoutes.listDeletedKeys);
    for (const path of [
      "/keys//versions",
      "/deletedkeys//recover",
      "/keys//",
      "/rng/",
      "/",
      "/keys/a/b/c/d",
      "/secrets",
    ])
      expect(match("GET", path), path).toBeUndefined();
  });

  it("lists the methods of every pattern a path matches when none has the method", () => {
    expect(match("DELETE", "/keys/k/create")).toEqual({
      handler: undefined,
      params: {},
      allowed: ["GET", "PATCH", "POST"],
    });
    expect(match("POST", "/keys/k")?.allowed).toEqual(["GET", "PATCH", "PUT", "DELETE"]);
    expect(match("PUT", "/keys/k/rotationpolicy")?.handler).toBe(keyRoutes.updateRotationPolicy);
    expect(match("HEAD", "/deletedkeys/k")?.allowed).toEqual(["GET", "DELETE"]);
    expect(match("GET", "/rng")?.allowed).toEqual(["POST"]);
  });

  it("refuses a table with an ambiguous route or an unknown parameter", () => {
    const handler: RouteHandler = () => ({ status: 204 });
    expect(() =>
      createRouteMatcher([
        { method: "GET", path: "/keys/{name}", handler },
        { method: "GET", path: "/keys/{version}", handler },
      ]),
    ).toThrow(/listed twice/);
    expect(() => createRouteMatcher([{ method: "GET", path: "/keys/{id}", handler }])).toThrow(/unknown parameter/);
  });
});
