/**
 * Every ```ts block of README.md (and docs/*.md) and every @example of src/ type-checks against the
 * sources, so the examples never rot. See scripts/extract-doc-examples.ts for how snippets are wrapped
 * and which undeclared names (`client`, `digest`, `n`, `e`, ...) they may use.
 */
import { describe, expect, it } from "vitest";
import { allExamples, checkExamples, type CheckedExample } from "../../scripts/extract-doc-examples.js";

const examples = allExamples();
let checked: Map<string, CheckedExample> | undefined;
function resultOf(source: string): CheckedExample {
  checked ??= new Map(checkExamples(examples).map((example) => [example.source, example]));
  return checked.get(source)!;
}

describe("doc examples compile", () => {
  it("finds the README's and the TSDoc's examples", () => {
    expect(examples.filter((example) => example.source.startsWith("README.md:")).length).toBeGreaterThanOrEqual(4);
    expect(examples.filter((example) => example.source.startsWith("src/keyClient.ts:")).length).toBeGreaterThanOrEqual(
      20,
    );
  });

  it.each(examples.map((example) => [example.source]))("%s", (source) => {
    expect(resultOf(source).diagnostics).toEqual([]);
  });
});
