/**
 * The vault URL of one request. The service names keys after the vault the client addressed, so the
 * ids, `recoveryId`s and `nextLink`s of an answer are built from the request's `Host` header: a client
 * that came through `localhost`, a Docker port mapping or a wildcard listen address gets links that
 * lead back the way it came.
 * @internal
 */

/** `name`, `name:port`, `1.2.3.4:port` or `[v6]:port`; nothing that could add a path, query or user. */
const hostHeaderPattern = /^(?:\[[0-9a-f:.]+\]|[0-9a-z](?:[0-9a-z.-]*[0-9a-z])?)(?::\d{1,5})?$/i;

/**
 * The vault URL for a request: `scheme://` + its `Host` header, or `fallback` (the listen URL) when the
 * header is absent or is not a plain host and port.
 * @internal
 */
export function requestVaultUrl(scheme: "http" | "https", host: string | undefined, fallback: string): string {
  if (host === undefined || host.length > 300 || !hostHeaderPattern.test(host)) return fallback;
  const port = /:(\d+)$/.exec(host.replace(/^\[[^\]]*\]/, ""))?.[1];
  if (port !== undefined && Number(port) > 65535) return fallback;
  return `${scheme}://${host.toLowerCase()}`;
}
