/**
 * Fills a path template such as `/keys/{key-name}/{key-version}` with values, percent-encoding each
 * one as a single segment. A value of `.` or `..` (or their encoded forms) would change which
 * resource the path names, so it is refused rather than sent.
 * @internal
 */
export function buildPath(template: string, values: Record<string, string>, optional: readonly string[] = []): string {
  // An optional segment with an empty value (no version: the latest) is left out, as the service's own
  // clients do (`/keys/{name}/release`); any other empty value stays an empty segment (`/keys/{name}/`,
  // `/keys/{name}//encrypt`), which the service also reads as the latest version.
  const collapsed =
    optional.length === 0
      ? template
      : template.replace(/\/\{([^}]+)\}/g, (segment, name: string) =>
          optional.includes(name) && values[name] === "" ? "" : segment,
        );
  return collapsed.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new TypeError(`Missing value for path parameter "${name}".`);
    if (typeof value !== "string") throw new TypeError(`Path parameter "${name}" must be a string.`);
    const decoded = safeDecode(value);
    if (decoded === "." || decoded === ".." || value === "." || value === "..") {
      throw new TypeError(`Path parameter "${name}" must not be "${value}".`);
    }
    return encodeURIComponent(value);
  });
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
