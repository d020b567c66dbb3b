/*
 * The list answers of the differential fake vault: three pages, 2 items, then an empty page with a
 * nextLink (as in java-7.0), then 1 item with `"nextLink": null`. nextLinks keep `api-version` and
 * append `maxresults` only when the first request had it. Items from go-7.5 TestListKeys_KV (a
 * managed key, a key with tags) and cpp-7.3's deleted-key lists.
 */
import type { Json } from "../wire.js";
import type { RecordedRequest } from "./recordedRequest.js";

function keyItems(vault: string): Json[] {
  return [
    {
      kid: `${vault}/keys/2455761926`,
      attributes: {
        enabled: false,
        nbf: 1716920680,
        exp: 1748457280,
        created: 1716921280,
        updated: 1716921280,
        recoveryLevel: "CustomizedRecoverable+Purgeable",
        recoverableDays: 7,
        hsmPlatform: "0",
      },
      managed: true,
    },
    {
      kid: `${vault}/keys/key2582698`,
      attributes: {
        enabled: true,
        created: 1716926595,
        updated: 1716926595,
        recoveryLevel: "CustomizedRecoverable+Purgeable",
        recoverableDays: 7,
        exportable: false,
        hsmPlatform: "0",
      },
      tags: { team: "payments" },
    },
    {
      kid: `${vault}/keys/key3534672839`,
      attributes: {
        enabled: true,
        created: 1716926588,
        updated: 1716926588,
        recoveryLevel: "CustomizedRecoverable+Purgeable",
        recoverableDays: 7,
        exportable: true,
        hsmPlatform: "0",
      },
    },
  ];
}

function versionItems(vault: string, name: string): Json[] {
  return [
    "03e03c00c1bd46fa808c1befaed14a36",
    "043fd11b031c4f38a0c447b11a9ba5d5",
    "0adae59dd92f42b4903abc9071354447",
  ].map((v, i) => ({
    kid: `${vault}/keys/${name}/${v}`,
    attributes: {
      enabled: true,
      created: 1638401921 + i,
      updated: 1638401921 + i,
      recoveryLevel: "Recoverable+Purgeable",
      recoverableDays: 90,
    },
  }));
}

function deletedItems(vault: string): Json[] {
  return [
    ["CreateDeletedKey", 1638401537, 1646177537, 1638401537],
    ["CreateDeletedKeyBeforePollComplete", 1638401598, 1646177598, 1638401597],
    ["DeleteKey", 1638401414, 1646177414, 1638401414],
  ].map(([name, deleted, purge, created], i) => ({
    recoveryId: `${vault}/deletedkeys/${String(name)}`,
    deletedDate: deleted,
    scheduledPurgeDate: purge,
    kid: `${vault}/keys/${String(name)}`,
    attributes: {
      enabled: true,
      created,
      updated: created,
      recoveryLevel: "Recoverable+Purgeable",
      recoverableDays: 90,
    },
    ...(i === 1 ? { tags: { purpose: "differential" } } : {}),
  }));
}

/** The page a list request asks for (`$skiptoken` names it) of `keys`, `deletedkeys` or `keys/{name}/versions`. */
export function listPage(collectionPath: string, r: RecordedRequest, apiVersion: string, keyName = ""): Json {
  const vault = `http://${r.headers["host"] ?? ""}`;
  const items =
    collectionPath === "keys"
      ? keyItems(vault)
      : collectionPath === "deletedkeys"
        ? deletedItems(vault)
        : versionItems(vault, keyName);
  const page = Number(
    r.query["$skiptoken"] ? JSON.parse(Buffer.from(r.query["$skiptoken"], "base64url").toString("utf8")).page : 0,
  );
  const link = (next: number) =>
    `${vault}/${collectionPath}?api-version=${apiVersion}&$skiptoken=${Buffer.from(JSON.stringify({ page: next, NextMarker: `2!88!${next}` })).toString("base64url")}${
      r.query["maxresults"] !== undefined ? `&maxresults=${r.query["maxresults"]}` : ""
    }`;
  if (page === 0) return { value: items.slice(0, 2), nextLink: link(1) };
  if (page === 1) return { value: [], nextLink: link(2) };
  return { value: items.slice(2), nextLink: null };
}
