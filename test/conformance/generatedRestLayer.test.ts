/*
 * The REST layer in src/generated/ must be exactly what scripts/generate.ts makes from the spec: this
 * test regenerates into a temporary folder and fails on any difference. It skips (saying so) when the
 * spec in ../shared is absent.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../scripts/generate.js";
import { operationCatalogue } from "../../src/generated/operations.js";
import { specApiVersion } from "../../src/generated/index.js";

const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const specPath = resolve(repoRoot, "../shared/conformance/spec/2025-07-01/keys.json");
const generatedDir = resolve(repoRoot, "src/generated");
const specPresent = existsSync(specPath);

if (!specPresent) {
  console.warn(`[regenerate] skipped: the spec ${specPath} is absent, so src/generated/ cannot be checked against it.`);
}

describe.skipIf(!specPresent)("the generated REST layer", () => {
  const tmp = mkdtempSync(join(tmpdir(), "kv-generate-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("regenerates byte-identical into a temporary folder", () => {
    const files = generate(readFileSync(specPath, "utf8"), "keys.json");
    for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp, name), text);
    const committed = readdirSync(generatedDir).sort();
    expect(readdirSync(tmp).sort()).toEqual(committed);
    for (const name of committed) {
      const expected = readFileSync(join(generatedDir, name), "utf8");
      const actual = readFileSync(join(tmp, name), "utf8");
      expect(
        actual,
        `src/generated/${name} differs from the generator's output: run npm run generate -- --spec ${specPath}`,
      ).toBe(expected);
    }
  });

  it("is deterministic", () => {
    const text = readFileSync(specPath, "utf8");
    expect(generate(text, "keys.json")).toEqual(generate(text, "keys.json"));
  });

  it("the catalogue has every operationId of the spec, with its method, path and statuses", () => {
    const spec = JSON.parse(readFileSync(specPath, "utf8")) as {
      info: { version: string };
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    };
    expect(specApiVersion).toBe(spec.info.version);
    const fromSpec = new Map<string, { method: string; path: string; statuses: number[] }>();
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (method === "parameters") continue;
        fromSpec.set(op.operationId, {
          method: method.toUpperCase(),
          path,
          statuses: Object.keys(op.responses)
            .filter((s) => /^\d+$/.test(s))
            .map(Number),
        });
      }
    }
    const catalogue = Object.values(operationCatalogue) as Array<{
      operationId: string;
      method: string;
      pathTemplate: string;
      expectedStatuses: readonly number[];
    }>;
    expect(catalogue.map((e) => e.operationId).sort()).toEqual([...fromSpec.keys()].sort());
    for (const entry of catalogue) {
      const expected = fromSpec.get(entry.operationId)!;
      expect({ method: entry.method, path: entry.pathTemplate, statuses: [...entry.expectedStatuses] }).toEqual(
        expected,
      );
    }
    expect(fromSpec.size).toBeGreaterThanOrEqual(25);
  });
});
