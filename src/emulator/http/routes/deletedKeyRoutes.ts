/**
 * Handlers of /deletedkeys: get, list, recover, purge.
 * @internal
 */
import { buildPage } from "../paging.js";
import { latestVersion, nameKey } from "../../store/keyStore.js";
import { renderDeletedKeyBundle, renderDeletedKeyItem, renderKeyBundle } from "../render.js";
import { nameOf, type RouteHandler } from "./routeTypes.js";

/** GET /deletedkeys/{name}. @internal */
export const getDeletedKey: RouteHandler = (request) => ({
  status: 200,
  body: renderDeletedKeyBundle(request.render, request.services.vault.getDeletedKey(nameOf(request))),
});

/** GET /deletedkeys. @internal */
export const listDeletedKeys: RouteHandler = (request) => ({
  status: 200,
  body: buildPage(
    (after) => request.services.vault.deletedKeysAfter(after),
    (key) => nameKey(key.name),
    (key) => renderDeletedKeyItem(request.render, key),
    { listUrl: `${request.render.vaultUrl}/deletedkeys`, apiVersion: request.apiVersion, query: request.query },
  ),
});

/** POST /deletedkeys/{name}/recover: answers the latest version's KeyBundle. @internal */
export const recoverDeletedKey: RouteHandler = async (request) => {
  const key = await request.services.vault.recoverDeletedKey(nameOf(request));
  return { status: 200, body: renderKeyBundle(request.render, key, latestVersion(key)) };
};

/** DELETE /deletedkeys/{name}: 204, no body. @internal */
export const purgeDeletedKey: RouteHandler = async (request) => {
  await request.services.vault.purgeDeletedKey(nameOf(request));
  return { status: 204 };
};
