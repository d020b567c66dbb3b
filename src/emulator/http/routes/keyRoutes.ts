/**
 * Handlers of /keys: create, import, get, update, delete, list, versions, backup, restore, rotate and
 * the rotation policy.
 * @internal
 */
import { buildPage, sortedItemsAfter } from "../paging.js";
import { keyId, renderDeletedKeyBundle, renderKeyBundle, renderKeyItem, renderRotationPolicy } from "../render.js";
import { latestVersion, nameKey, type StoredKeyVersion } from "../../store/keyStore.js";
import { nameOf, type RouteHandler } from "./routeTypes.js";

/** POST /keys/{name}/create. @internal */
export const createKey: RouteHandler = async (request) => {
  const { key, version } = await request.services.vault.createKey(nameOf(request), request.body);
  return { status: 200, body: renderKeyBundle(request.render, key, version) };
};

/** PUT /keys/{name}. @internal */
export const importKey: RouteHandler = async (request) => {
  const { key, version } = await request.services.vault.importKey(nameOf(request), request.body);
  return { status: 200, body: renderKeyBundle(request.render, key, version) };
};

/** GET /keys/{name}/{version?}. @internal */
export const getKey: RouteHandler = (request) => {
  const { key, version } = request.services.vault.getVersion(nameOf(request), request.params.version);
  return { status: 200, body: renderKeyBundle(request.render, key, version) };
};

/** PATCH /keys/{name}/{version?}. @internal */
export const updateKey: RouteHandler = async (request) => {
  const { key, version } = await request.services.vault.updateKey(
    nameOf(request),
    request.params.version,
    request.body,
  );
  return { status: 200, body: renderKeyBundle(request.render, key, version) };
};

/** DELETE /keys/{name}. @internal */
export const deleteKey: RouteHandler = async (request) => {
  const key = await request.services.vault.deleteKey(nameOf(request));
  if (request.services.recoverableDays === undefined) {
    // No soft delete: no recoveryId (the clients' delete pollers then finish at once).
    return { status: 200, body: renderKeyBundle(request.render, key, latestVersion(key)) };
  }
  return { status: 200, body: renderDeletedKeyBundle(request.render, key) };
};

/** GET /keys. @internal */
export const listKeys: RouteHandler = (request) => {
  return {
    status: 200,
    body: buildPage(
      (after) => request.services.vault.liveKeysAfter(after),
      (key) => nameKey(key.name),
      (key) => renderKeyItem(request.render, key, latestVersion(key), false),
      { listUrl: `${request.render.vaultUrl}/keys`, apiVersion: request.apiVersion, query: request.query },
    ),
  };
};

/** Versions page in creation order (the store keeps them in sequence order). */
const versionSortKey = (version: StoredKeyVersion): string => String(version.sequence).padStart(16, "0");

/** GET /keys/{name}/versions: as on the service, a name with no key lists no versions (200, not 404). @internal */
export const listKeyVersions: RouteHandler = (request) => {
  const name = nameOf(request);
  const key = request.services.vault.findLiveKey(name) ?? { name, versions: [] };
  return {
    status: 200,
    body: buildPage(
      (after) => sortedItemsAfter(key.versions, versionSortKey, after),
      versionSortKey,
      (version) => renderKeyItem(request.render, key, version, true),
      {
        listUrl: `${keyId(request.render, key.name)}/versions`,
        apiVersion: request.apiVersion,
        query: request.query,
      },
    ),
  };
};

/** POST /keys/{name}/backup. @internal */
export const backupKey: RouteHandler = (request) => ({
  status: 200,
  body: { value: request.services.vault.backupKey(nameOf(request)) },
});

/** POST /keys/restore. @internal */
export const restoreKey: RouteHandler = async (request) => {
  const key = await request.services.vault.restoreKey(request.body, (name) => keyId(request.render, name));
  return { status: 200, body: renderKeyBundle(request.render, key, latestVersion(key)) };
};

/** POST /keys/{name}/rotate. @internal */
export const rotateKey: RouteHandler = async (request) => {
  const { key, version } = await request.services.vault.rotateKey(nameOf(request));
  return { status: 200, body: renderKeyBundle(request.render, key, version) };
};

/** GET /keys/{name}/rotationpolicy. @internal */
export const getRotationPolicy: RouteHandler = (request) => {
  const key = request.services.vault.getLiveKey(nameOf(request));
  return { status: 200, body: renderRotationPolicy(request.render, key) };
};

/** PUT /keys/{name}/rotationpolicy. @internal */
export const updateRotationPolicy: RouteHandler = async (request) => {
  const key = await request.services.vault.updateRotationPolicy(nameOf(request), request.body);
  return { status: 200, body: renderRotationPolicy(request.render, key) };
};
