/**
 * The names the emulator's TLS certificate must carry: the loopback names every client may use, the
 * listen address, and the extra names the user gives (`hostnames`, `--hostname`), so that a client
 * reaching it by any of them passes hostname verification.
 * @internal
 */
import { hostname as machineName } from "node:os";
import { isIP } from "node:net";

/** Always in the certificate. @internal */
export const loopbackNames = ["localhost", "127.0.0.1", "::1"] as const;

const dnsNamePattern = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** True for a listen address that accepts connections on every interface. @internal */
export function isWildcardAddress(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "[::]";
}

/** Checks one extra name (a DNS name, `*.` allowed, or an IP address) and returns its canonical form. */
function checkName(name: unknown, field: string): string {
  if (typeof name !== "string" || name.length === 0 || name.length > 253) {
    throw new RangeError(`${field} must be a DNS name or an IP address; got ${JSON.stringify(name)}`);
  }
  const bare = name.startsWith("[") && name.endsWith("]") ? name.slice(1, -1) : name;
  if (isIP(bare) !== 0) return bare.toLowerCase();
  if (!dnsNamePattern.test(name)) {
    throw new RangeError(`${field} must be a DNS name or an IP address; got ${JSON.stringify(name)}`);
  }
  return name.toLowerCase();
}

/**
 * Every name of the certificate, without duplicates: the loopback names, the listen `host` (or, for a
 * wildcard address, this machine's name when it is a valid DNS name), then `hostnames`.
 * @throws RangeError naming a host name that a certificate cannot hold.
 * @internal
 */
export function certificateNames(host: string, hostnames: readonly string[] = []): string[] {
  if (!Array.isArray(hostnames)) throw new RangeError("hostnames must be an array of DNS names or IP addresses");
  const names: string[] = [...loopbackNames];
  if (isWildcardAddress(host)) {
    const machine = machineName().toLowerCase();
    if (dnsNamePattern.test(machine)) names.push(machine);
  } else {
    names.push(checkName(host, "host"));
  }
  hostnames.forEach((name, index) => names.push(checkName(name, `hostnames[${index}]`)));
  return [...new Set(names)];
}
