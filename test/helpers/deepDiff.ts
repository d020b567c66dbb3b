/**
 * The one deep comparison of the differential tests. It sees what a test written for
 * `@azure/keyvault-keys` can see: which own keys exist (an `undefined`-valued key is not an absent
 * one), Buffer versus plain Uint8Array versus Array, Date, the class of an error (and its `name`,
 * `message`, `code`, `statusCode`, `details`, `response.status`), array order and the extra properties
 * of an array (a page's `continuationToken`). The prototype of a plain record is not compared: our
 * models are classes, the official package's plain objects, and both print and compare alike.
 *
 * `expectSame(official, ours, differences)` fails on every difference except those the test names:
 * `differences` maps a dotted path (`properties.exportable`, `[1].keyID`, `headers.user-agent`) to
 * the value ours must hold there (`ABSENT` for a key ours must not have; a function asserts on ours'
 * value, for an error of ours the official package has no counterpart of), and each named difference
 * must really differ from the official value.
 */
import { expect } from "vitest";

/** Marks a key that is absent (as opposed to present with the value `undefined`). */
export const ABSENT: unique symbol = Symbol("absent");

/** One difference: where, and what each side holds there. */
export interface Difference {
  path: string;
  official: string;
  ours: string;
}

/** What kind of value this is, as far as a caller's test can tell. */
function kindOf(value: unknown): string {
  if (value === ABSENT) return "absent";
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  if (value instanceof Date) return "Date";
  if (Buffer.isBuffer(value)) return "Buffer";
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (Array.isArray(value)) return "Array";
  if (value instanceof Error) return `${value.constructor.name} (${value.name})`;
  return "object";
}

/** A short text of a value for a failure message. */
export function describeValue(value: unknown): string {
  const kind = kindOf(value);
  if (kind === "absent" || kind === "undefined" || kind === "null") return kind;
  if (kind === "string") return JSON.stringify(value);
  if (kind === "number" || kind === "boolean" || kind === "bigint") return String(value);
  if (kind === "Date") {
    const time = (value as Date).getTime();
    return `Date(${Number.isNaN(time) ? "Invalid" : (value as Date).toISOString()})`;
  }
  if (ArrayBuffer.isView(value)) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return `${kind}[${bytes.length}](${bytes.toString("hex").slice(0, 40)}${bytes.length > 20 ? "..." : ""})`;
  }
  if (kind === "Array") return `Array[${(value as unknown[]).length}]`;
  if (value instanceof Error) return `${kind}: ${JSON.stringify(value.message)}`;
  if (kind === "object") return `{${Object.keys(value as object).join(", ")}}`;
  return kind;
}

const join = (path: string, key: string | number): string =>
  typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;

/** The parts of an error a caller's code reads, as an own-keyed record. */
function errorView(error: Error): Record<string, unknown> {
  const view: Record<string, unknown> = { name: error.name, message: error.message };
  for (const key of Object.keys(error)) view[key] = (error as unknown as Record<string, unknown>)[key];
  const response = (error as { response?: { status?: unknown; bodyAsText?: unknown } }).response;
  if (response !== undefined) view["response"] = { status: response.status, bodyAsText: response.bodyAsText };
  return view;
}

function own(value: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : ABSENT;
}

/** Every difference between the official value and ours, with its path. */
export function deepDiff(official: unknown, ours: unknown, path = ""): Difference[] {
  const kind = kindOf(official);
  if (kind !== kindOf(ours)) return [{ path, official: describeValue(official), ours: describeValue(ours) }];
  const differ = (): Difference[] => [{ path, official: describeValue(official), ours: describeValue(ours) }];
  if (kind === "Date") return Object.is((official as Date).getTime(), (ours as Date).getTime()) ? [] : differ();
  if (ArrayBuffer.isView(official)) {
    const a = Buffer.from(official.buffer, official.byteOffset, official.byteLength);
    const b = Buffer.from(
      (ours as ArrayBufferView).buffer,
      (ours as ArrayBufferView).byteOffset,
      (ours as ArrayBufferView).byteLength,
    );
    return a.equals(b) ? [] : differ();
  }
  if (typeof official !== "object" || official === null) return Object.is(official, ours) ? [] : differ();
  if (official instanceof Error) {
    if (official.constructor !== (ours as Error).constructor) return differ();
    return deepDiff(errorView(official), errorView(ours as Error), path);
  }
  const out: Difference[] = [];
  const keys = new Set([...Object.keys(official), ...Object.keys(ours as object)]);
  if (Array.isArray(official)) {
    const length = Math.max(official.length, (ours as unknown[]).length);
    for (let i = 0; i < length; i++) {
      out.push(
        ...deepDiff(
          i < official.length ? official[i] : ABSENT,
          i < (ours as unknown[]).length ? (ours as unknown[])[i] : ABSENT,
          join(path, i),
        ),
      );
      keys.delete(String(i));
    }
  }
  for (const key of keys) out.push(...deepDiff(own(official, key), own(ours as object, key), join(path, key)));
  return out;
}

/** The value at a dotted path (`a.b[2].c`), or `ABSENT`. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (current === null || typeof current !== "object") return ABSENT;
    current = own(current instanceof Error ? errorView(current) : current, part);
  }
  return current;
}

const within = (path: string, prefix: string): boolean =>
  prefix === "" || path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

/**
 * Asserts that ours equals the official value everywhere except at the named `differences`, where
 * ours must hold exactly the value given (and the official something else).
 */
export function expectSame(official: unknown, ours: unknown, differences: Record<string, unknown> = {}): void {
  const diffs = deepDiff(official, ours);
  const named = Object.keys(differences);
  const unexplained = diffs.filter((d) => !named.some((p) => within(d.path, p)));
  expect(unexplained, "differences from @azure/keyvault-keys that the test does not name").toEqual([]);
  for (const path of named) {
    expect(
      diffs.some((d) => within(d.path, path)),
      `named difference at "${path}" is not a difference`,
    ).toBe(true);
    const expected = differences[path];
    if (typeof expected === "function") (expected as (value: unknown) => void)(valueAt(ours, path));
    else expect(deepDiff(expected, valueAt(ours, path), path), `ours at "${path}"`).toEqual([]);
  }
}
