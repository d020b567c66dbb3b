import type { HttpHeaders, RawHttpHeaders } from "@azure/core-rest-pipeline";

/**
 * The headers of an answer, as core-rest-pipeline's `HttpHeaders`: the first value of a repeated
 * header, empty values left out, names lower-cased (as Node gives them). Read from the answer's own
 * header object, and copied only when something changes or iterates them: the pipeline and the
 * client ask an answer for one or two headers.
 * @internal
 */
export class ResponseHeaders implements HttpHeaders {
  private copy?: Map<string, string>;

  constructor(private readonly raw: Readonly<Record<string, string | string[] | undefined>>) {}

  get(name: string): string | undefined {
    const key = name.toLowerCase();
    if (this.copy) return this.copy.get(key);
    return firstValue(this.raw[key]);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  set(name: string, value: string | number | boolean): void {
    this.entries().set(name.toLowerCase(), String(value));
  }

  delete(name: string): void {
    this.entries().delete(name.toLowerCase());
  }

  toJSON(): RawHttpHeaders {
    return Object.fromEntries(this.entries());
  }

  toString(): string {
    return JSON.stringify(this.toJSON());
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.entries()[Symbol.iterator]();
  }

  private entries(): Map<string, string> {
    if (this.copy === undefined) {
      const copy = new Map<string, string>();
      for (const name of Object.keys(this.raw)) {
        const value = firstValue(this.raw[name]);
        if (value !== undefined) copy.set(name, value);
      }
      this.copy = copy;
    }
    return this.copy;
  }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first ? first : undefined;
}
