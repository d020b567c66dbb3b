/**
 * What `npm pack` would publish (dry run over the built dist/): only dist (.js/.d.ts, the ESM wrappers),
 * README, CHANGELOG, LICENSE and package.json; no source maps, tests, sources or samples. The full check
 * of the packed tarball installed into a fresh project (publint, attw, require/import, the emulator bin)
 * is `npm run check:package`, run by .ci/run.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));

it("npm pack holds only what users need", async () => {
  const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    timeout: 60_000,
  });
  const files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path);
  const allowed = [
    /^(package\.json|README\.md|CHANGELOG\.md|LICENSE)$/,
    /^dist\/cjs\/package\.json$/,
    /^dist\/cjs\/.+\.(js|d\.ts)$/,
    /^dist\/esm\/.+\.(mjs|d\.mts)$/,
  ];
  expect(files.filter((file) => !allowed.some((pattern) => pattern.test(file)))).toEqual([]);
  expect(files).toEqual(
    expect.arrayContaining([
      "package.json",
      "README.md",
      "CHANGELOG.md",
      "LICENSE",
      "dist/cjs/index.js",
      "dist/cjs/index.d.ts",
      "dist/esm/index.mjs",
      "dist/esm/index.d.mts",
      "dist/cjs/emulator/index.js",
      "dist/esm/emulator/index.mjs",
      "dist/cjs/emulator/cli.js",
    ]),
  );
  // The emulator's own sources and generated-code inputs never ship; neither do maps to unshipped src/.
  expect(
    files.some((file) => file.endsWith(".map") || file.startsWith("src/") || /(^|\/)(test|samples)\//.test(file)),
  ).toBe(false);
  const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { sideEffects: unknown; files: string[] };
  expect(pkg.sideEffects).toBe(false);
});
