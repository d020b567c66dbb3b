/**
 * Applying a {@link KeyChange}: one pure function, used for memory at commit time and for the journal
 * at load time, so that what a restart rebuilds is what was answered. Objects are never mutated;
 * the result shares unchanged versions with the input.
 * @internal
 */
import { isJsonObject } from "../vault/encoding.js";
import type { KeyChange, KeyFields, StoredKey } from "./keyStore.js";

/** The key after `change`, given the key before it (undefined: none). @internal */
export function applyChange(current: StoredKey | undefined, change: KeyChange): StoredKey | undefined {
  switch (change.op) {
    case "put":
      return change.key;
    case "remove":
      return undefined;
    case "version": {
      if (!current) return { name: change.name, versions: [change.version] };
      const id = change.version.version;
      const index = current.versions.findIndex((candidate) => candidate.version === id);
      const versions =
        index < 0
          ? [...current.versions, change.version]
          : current.versions.map((candidate, at) => (at === index ? change.version : candidate));
      return { ...current, versions };
    }
    case "set":
      return current ? withFields(current, change.fields) : undefined;
  }
}

function withFields(key: StoredKey, fields: KeyFields): StoredKey {
  const next: StoredKey = { ...key };
  for (const field of ["deletedDate", "scheduledPurgeDate", "rotationPolicy"] as const) {
    const value = fields[field];
    if (value === null) Reflect.deleteProperty(next, field);
    else if (value !== undefined) Object.assign(next, { [field]: value });
  }
  return next;
}

/**
 * Checks the shape of a change read from disk (its checksum matched, so this guards against a file
 * written by something else); returns a reason, or undefined when it is one.
 * @internal
 */
export function changeProblem(value: unknown): string | undefined {
  if (!isJsonObject(value)) return "not an object";
  const op = value["op"];
  const hasName = typeof value["name"] === "string";
  if (op === "put") {
    const key = value["key"];
    return isJsonObject(key) && typeof key["name"] === "string" && Array.isArray(key["versions"])
      ? undefined
      : "a put without a key";
  }
  if (op === "version")
    return hasName && isJsonObject(value["version"]) ? undefined : "a version change without a version";
  if (op === "set") return hasName && isJsonObject(value["fields"]) ? undefined : "a set change without fields";
  if (op === "remove") return hasName ? undefined : "a remove without a name";
  return `unknown change ${JSON.stringify(op)}`;
}
