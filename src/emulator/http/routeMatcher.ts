/**
 * The matcher the router builds from a route table (`routeTable.ts`). A path may match several
 * patterns, a word at one position in one and a parameter in another (`/keys/{name}/versions` and
 * `/keys/{name}/{version}`): each method is served by the most specific pattern that has it, words
 * before parameters compared from the left, and a method none of them has is a 405 whose `Allow` lists
 * the methods they have. A table with two routes of one method and one shape is refused when built.
 * @internal
 */
import { routeMethods, type Route, type RouteMethod } from "./routeTable.js";
import type { RouteHandler, RouteParams } from "./routes/routeTypes.js";

type Segment = { word: string } | { parameter: keyof RouteParams };

interface CompiledRoute {
  route: Route;
  segments: readonly Segment[];
}

/** What a request path matched. @internal */
export interface RouteMatch {
  /** The handler for the method, from the most specific pattern that has it; undefined: 405. */
  handler: RouteHandler | undefined;
  /** The parameters of that pattern. */
  params: RouteParams;
  /** The methods of every pattern the path matches, for the `Allow` header of a 405. */
  allowed: RouteMethod[];
}

function compile(route: Route): CompiledRoute {
  const segments = route.path
    .slice(1)
    .split("/")
    .map((text): Segment => {
      if (text === "{name}") return { parameter: "name" };
      if (text === "{version}") return { parameter: "version" };
      if (/[{}]/.test(text)) throw new Error(`The route ${route.path} has an unknown parameter ${text}.`);
      return { word: text.toLowerCase() };
    });
  return { route, segments };
}

/** The shape of a pattern: two routes of one method and one shape would be ambiguous. */
function shapeOf(compiled: CompiledRoute): string {
  return compiled.segments.map((segment) => ("word" in segment ? segment.word : "{}")).join("/");
}

/** Sorts words before parameters, compared from the left: `/keys/{name}/versions` before `/keys/{name}/{version}`. */
function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  for (let index = 0; index < a.segments.length; index++) {
    const aWord = "word" in (a.segments[index] as Segment);
    const bWord = "word" in (b.segments[index] as Segment);
    if (aWord !== bWord) return aWord ? -1 : 1;
  }
  return 0;
}

/** The parameters of `path` (and its lower-cased copy) in a pattern, or undefined when it does not match. */
function bind(compiled: CompiledRoute, path: readonly string[], lowerPath: readonly string[]): RouteParams | undefined {
  const params: RouteParams = {};
  for (let index = 0; index < compiled.segments.length; index++) {
    const segment = compiled.segments[index] as Segment;
    if ("word" in segment) {
      if (lowerPath[index] !== segment.word) return undefined;
      continue;
    }
    const value = path[index] as string;
    if (segment.parameter === "name" && value === "") return undefined;
    params[segment.parameter] = value;
  }
  return params;
}

/**
 * Builds the matcher of a route table: given a method (upper case) and a path's segments (decoded),
 * the route's handler and parameters, or undefined when no pattern matches the path.
 * @throws Error for a pattern with an unknown parameter or a route listed twice.
 * @internal
 */
export function createRouteMatcher(
  table: readonly Route[],
): (method: string, path: readonly string[]) => RouteMatch | undefined {
  const byLength = new Map<number, CompiledRoute[]>();
  const shapes = new Set<string>();
  for (const route of table) {
    const compiled = compile(route);
    const shape = `${route.method} ${shapeOf(compiled)}`;
    if (shapes.has(shape)) throw new Error(`The route ${route.method} ${route.path} is listed twice.`);
    shapes.add(shape);
    const sameLength = byLength.get(compiled.segments.length) ?? [];
    sameLength.push(compiled);
    byLength.set(compiled.segments.length, sameLength);
  }
  for (const sameLength of byLength.values()) sameLength.sort(bySpecificity);
  return (method, path) => {
    const lowerPath = path.map((segment) => segment.toLowerCase());
    const allowed = new Set<RouteMethod>();
    let found: { handler: RouteHandler; params: RouteParams } | undefined;
    for (const compiled of byLength.get(path.length) ?? []) {
      const params = bind(compiled, path, lowerPath);
      if (!params) continue;
      allowed.add(compiled.route.method);
      if (!found && compiled.route.method === method) found = { handler: compiled.route.handler, params };
    }
    if (allowed.size === 0) return undefined;
    return {
      handler: found?.handler,
      params: found?.params ?? {},
      allowed: routeMethods.filter((candidate) => allowed.has(candidate)),
    };
  };
}
