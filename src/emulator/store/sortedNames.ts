/**
 * A sorted set of strings in an array, found by binary search: the name indexes of a store, so that
 * a page of a listing starts where the previous one stopped instead of sorting the whole store. A
 * plain array rather than a tree: insertion and removal shift its tail, which stays small next to a
 * request at the sizes a local vault holds, and the code stays short.
 * @internal
 */

/**
 * The index of the first item whose key sorts after `after` (all of them when `after` is undefined),
 * in `items` sorted ascending by `keyOf`.
 * @internal
 */
export function firstIndexAfter<T>(items: readonly T[], keyOf: (item: T) => string, after: string | undefined): number {
  if (after === undefined) return 0;
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keyOf(items[middle] as T) <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}

const identity = (name: string): string => name;

/** Names in ascending code-unit order, each once. @internal */
export class SortedNames {
  private readonly names: string[] = [];

  get size(): number {
    return this.names.length;
  }

  /** Adds the name (nothing when present). */
  add(name: string): void {
    const index = this.lowerBound(name);
    if (this.names[index] !== name) this.names.splice(index, 0, name);
  }

  /** Removes the name (nothing when absent). */
  delete(name: string): void {
    const index = this.lowerBound(name);
    if (this.names[index] === name) this.names.splice(index, 1);
  }

  /** The names after `after` (every name when undefined), in order, read lazily. */
  *after(after: string | undefined): Generator<string> {
    for (let index = firstIndexAfter(this.names, identity, after); index < this.names.length; index++) {
      yield this.names[index] as string;
    }
  }

  /** The index of the first name not below `name`. */
  private lowerBound(name: string): number {
    let low = 0;
    let high = this.names.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.names[middle] as string) < name) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
