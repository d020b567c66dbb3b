/** A path template split once: the literal text around each `{name}`, and the names in order. */
interface CompiledTemplate {
  /** `literals[i]` comes before `names[i]`; the last one ends the path. */
  literals: string[];
  names: string[];
}

/** Split templates, kept by the client that owns them (no module-level state). @internal */
export type PathTemplateCache = Map<string, CompiledTemplate>;

function compile(template: string, compiledTemplates: PathTemplateCache): CompiledTemplate {
  let compiled = compiledTemplates.get(template);
  if (compiled === undefined) {
    const literals: string[] = [];
    const names: string[] = [];
    let last = 0;
    for (const match of template.matchAll(/\{([^}]+)\}/g)) {
      literals.push(template.slice(last, match.index));
      names.push(match[1] ?? "");
      last = match.index + match[0].length;
    }
    literals.push(template.slice(last));
    compiled = { literals, names };
    compiledTemplates.set(template, compiled);
  }
  return compiled;
}

/**
 * Fills a path template such as `/keys/{key-name}/{key-version}` with values, percent-encoding each
 * one as a single segment. A value of `.` or `..` (or their encoded forms) would change which
 * resource the path names, so it is refused rather than sent. With a `cache` (each REST client keeps
 * one), each template is split once (the generated operations use a few dozen), so a request only joins
 * and encodes.
 * @internal
 */
export function buildPath(
  template: string,
  values: Record<string, string>,
  optional: readonly string[] = [],
  cache: PathTemplateCache = new Map(),
): string {
  const { literals, names } = compile(template, cache);
  let path = literals[0] ?? "";
  for (let i = 0; i < names.length; i++) {
    const name = names[i] ?? "";
    const value = values[name];
    const after = literals[i + 1] ?? "";
    // An optional segment with an empty value (no version: the latest) is left out with its "/", as the
    // service's own clients do (`/keys/{name}/release`); any other empty value stays an empty segment
    // (`/keys/{name}/`, `/keys/{name}//encrypt`), which the service also reads as the latest version.
    if (value === "" && (literals[i] ?? "").endsWith("/") && optional.includes(name)) {
      path = path.slice(0, -1) + after;
      continue;
    }
    path += encodeSegment(name, value) + after;
  }
  return path;
}

function encodeSegment(name: string, value: unknown): string {
  if (value === undefined) throw new TypeError(`Missing value for path parameter "${name}".`);
  if (typeof value !== "string") throw new TypeError(`Path parameter "${name}" must be a string.`);
  const decoded = value.includes("%") ? safeDecode(value) : value;
  if (decoded === "." || decoded === ".." || value === "." || value === "..") {
    throw new TypeError(`Path parameter "${name}" must not be "${value}".`);
  }
  return encodeURIComponent(value);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
