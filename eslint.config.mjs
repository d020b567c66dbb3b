// ESLint: typescript-eslint's strict, type-aware rules (strictTypeChecked) for the
// TypeScript of src/, test/, samples/ and scripts/, with the type information of tsconfig.json through
// the project service; the JavaScript (.mjs/.js/.cjs) gets the recommended rules without type information.
// Formatting is prettier's job (`npm run format:check`), so no stylistic-formatting rules here.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

// Node's globals, for the JavaScript files (TypeScript knows them from @types/node).
const nodeGlobals = [
  "AbortController",
  "AbortSignal",
  "Buffer",
  "TextDecoder",
  "TextEncoder",
  "URL",
  "URLSearchParams",
  "clearInterval",
  "clearTimeout",
  "console",
  "fetch",
  "performance",
  "process",
  "queueMicrotask",
  "setImmediate",
  "setInterval",
  "setTimeout",
  "structuredClone",
  "__dirname",
  "__filename",
  "module",
  "require",
  "exports",
];

export default defineConfig(
  {
    ignores: [
      "dist/**",
      "docs-site/**",
      "coverage/**",
      "node_modules/**",
      "**/node_modules/**",
      "src/generated/**", // generated from the service's OpenAPI spec; never edited by hand
      "review/**",
    ],
  },
  js.configs.recommended,
  {
    files: ["**/*.ts", "**/*.mts", "**/*.cts"],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Numbers and booleans in messages are fine; objects (which print "[object Object]") are not.
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true, allowBoolean: true, allowNullish: true },
      ],
      // Unused values named with a leading underscore are intentional.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // `void promise` marks a deliberately unawaited promise.
      "@typescript-eslint/no-floating-promises": ["error", { ignoreVoid: true }],
      // `() => void x` and `(x) => set.add(x)` callbacks are fine.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
      // Options bags are interfaces that extend one base with nothing added (as in @azure/keyvault-keys).
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
    },
  },
  {
    // Tests and samples may assert what they just checked, and use `any`-typed test doubles.
    files: ["test/**/*.ts", "samples/**/*.ts", "scripts/**/*.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-empty-function": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    // What tests and fuzzers do on purpose: exercise the deprecated overloads the official API still
    // has, spread and stringify models to check what users see, and delete fields of fixtures to break them.
    files: ["test/**/*.ts", "scripts/emulator-*.ts"],
    rules: {
      "@typescript-eslint/no-deprecated": "off",
      "@typescript-eslint/no-misused-spread": "off",
      "@typescript-eslint/no-base-to-string": "off",
      "@typescript-eslint/no-dynamic-delete": "off",
      // Teardown closes what setup may not have made (`await emulator?.close()` after a failed beforeAll).
      "@typescript-eslint/no-unnecessary-condition": "off",
    },
  },
  {
    files: ["**/*.mjs", "**/*.js", "**/*.cjs"],
    languageOptions: {
      globals: Object.fromEntries(nodeGlobals.map((name) => [name, "readonly"])),
    },
  },
  {
    // The package is "type": "module"; these are CommonJS.
    files: ["**/*.cjs", "samples/azure-functions/cjs/**/*.js"],
    languageOptions: { sourceType: "commonjs" },
  },
);
