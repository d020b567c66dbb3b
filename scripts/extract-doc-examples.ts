/**
 * Examples in the docs are compiled, so that they never rot: every ```ts block of README.md (and of
 * docs/*.md) and every @example block of src/**\/*.ts becomes a virtual module that the TypeScript
 * compiler type-checks against the sources (`keyvault-keys` -> src/index.ts,
 * `keyvault-keys/emulator` -> src/emulator/index.ts), with the repository's compiler options.
 *
 * Each snippet keeps its own imports at the top of its module; the rest runs inside an async function,
 * so `await` works and the snippet's declarations are its own. Identifiers that snippets use without
 * declaring them (`client`, `digest`, `n`, `e`, ...) come from a shared prelude of ambient declarations
 * (PRELUDE below) that their own declarations and imports shadow.
 *
 * A block opts out with `<!-- no-check -->` on the line before it (README) or a first line
 * `// @no-check` (README and TSDoc).
 *
 *   npx tsx scripts/extract-doc-examples.ts          # lists every snippet with its diagnostics
 * The test test/packaging/docExamples.test.ts runs the same check in `npm test`.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("../", import.meta.url));

/**
 * Ambient declarations for the names snippets use without declaring them. `client` is not here: it is
 * the documented client (see clientTypeOf). Every value export of the package is there too (see
 * packageValues), as if imported.
 */
export const PRELUDE = `
declare const createHash: typeof import("node:crypto").createHash;
declare const randomBytes: typeof import("node:crypto").randomBytes;
declare const readFileSync: typeof import("node:fs").readFileSync;
declare const keyClient: import("keyvault-keys").KeyClient;
declare const cryptoClient: import("keyvault-keys").CryptographyClient;
declare const cryptographyClient: import("keyvault-keys").CryptographyClient;
declare const credential: import("@azure/core-auth").TokenCredential;
declare const vaultUrl: string;
declare const keyName: string;
declare const keyId: string;
declare const key: import("keyvault-keys").KeyVaultKey;
declare const jwk: import("keyvault-keys").JsonWebKey;
declare const emulator: import("keyvault-keys/emulator").RunningEmulator;
declare const digest: Uint8Array;
declare const document: Uint8Array;
declare const dataKey: Uint8Array;
declare const wrapped: Uint8Array;
declare const data: Uint8Array;
declare const signature: Uint8Array;
declare const plaintext: Uint8Array;
declare const ciphertext: Uint8Array;
declare const iv: Uint8Array;
declare const authenticationTag: Uint8Array;
declare const additionalAuthenticatedData: Uint8Array;
declare const keyToWrap: Uint8Array;
declare const wrappedKey: Uint8Array;
declare const encryptedKey: Uint8Array;
declare const backup: Uint8Array;
declare const n: Uint8Array, e: Uint8Array, d: Uint8Array, p: Uint8Array, q: Uint8Array;
declare const dp: Uint8Array, dq: Uint8Array, qi: Uint8Array;
declare const x: Uint8Array, y: Uint8Array, k: Uint8Array;
declare const encodedPolicy: Uint8Array;
declare const attestationToken: string;
declare const targetAttestationToken: string;
declare const abortSignal: AbortSignal;
declare const tracingContext: import("@azure/core-tracing").TracingContext;
`;

/** `declare const X: ...` for each value export of src/index.ts and src/emulator/index.ts. */
function packageValues(): string {
  const lines: string[] = [];
  for (const [module, file] of [
    ["keyvault-keys", "src/index.ts"],
    ["keyvault-keys/emulator", "src/emulator/index.ts"],
  ] as const) {
    const source = ts.createSourceFile(file, readFileSync(join(root, file), "utf8"), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      const names: string[] = [];
      if (
        ts.isExportDeclaration(statement) &&
        !statement.isTypeOnly &&
        statement.exportClause &&
        ts.isNamedExports(statement.exportClause)
      ) {
        for (const element of statement.exportClause.elements) if (!element.isTypeOnly) names.push(element.name.text);
      } else if (
        (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
        statement.name &&
        statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
      ) {
        names.push(statement.name.text);
      } else if (
        ts.isVariableStatement(statement) &&
        statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
      ) {
        for (const declaration of statement.declarationList.declarations)
          if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
      }
      for (const name of names) lines.push(`declare const ${name}: typeof import("${module}").${name};`);
    }
  }
  return lines.join("\n");
}

/** The type of `client` in an example: the class it documents (a CryptographyClient in its own file), else a KeyClient. */
function clientTypeOf(source: string): string {
  return /^src\/(cryptographyClient\.ts|cryptography\/)/.test(source)
    ? `import("keyvault-keys").CryptographyClient`
    : `import("keyvault-keys").KeyClient`;
}

export interface DocExample {
  /** Where it comes from, e.g. "README.md:42" or "src/keyClient.ts:187". */
  source: string;
  code: string;
}

export interface CheckedExample extends DocExample {
  diagnostics: string[];
}

/** The ```ts / ```typescript blocks of a Markdown file. */
export function markdownExamples(file: string): DocExample[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const examples: DocExample[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (!/^\s*```(ts|typescript)\s*$/.test(lines[index]!)) continue;
    const start = index + 1;
    let end = start;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
    const skipped = index > 0 && /<!--\s*no-check\s*-->/.test(lines[index - 1]!);
    const code = lines.slice(start, end).join("\n");
    if (!skipped && !/^\s*\/\/ @no-check/.test(code)) {
      examples.push({ source: `${relative(root, file)}:${start + 1}`, code });
    }
    index = end;
  }
  return examples;
}

/** The fenced code of every @example tag in the doc comments of a TypeScript file. */
export function tsdocExamples(file: string): DocExample[] {
  const text = readFileSync(file, "utf8");
  const examples: DocExample[] = [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const seen = new Set<number>();
  const visit = (node: ts.Node): void => {
    for (const range of ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []) {
      if (seen.has(range.pos) || range.kind !== ts.SyntaxKind.MultiLineCommentTrivia) continue;
      seen.add(range.pos);
      const comment = text.slice(range.pos, range.end);
      if (!comment.startsWith("/**")) continue;
      const firstLine = source.getLineAndCharacterOfPosition(range.pos).line;
      const lines = comment.split("\n").map((line) => line.replace(/^\s*\/?\*+\/?\s?/, "").replace(/\s*\*\/\s*$/, ""));
      for (let index = 0; index < lines.length; index++) {
        if (!/^@example\b/.test(lines[index]!)) continue;
        let open = index + 1;
        while (open < lines.length && !/^```/.test(lines[open]!) && !/^@\w/.test(lines[open]!)) open++;
        if (open >= lines.length || !/^```(ts|typescript)?\s*$/.test(lines[open]!)) continue;
        let close = open + 1;
        while (close < lines.length && !/^```\s*$/.test(lines[close]!)) close++;
        const code = lines.slice(open + 1, close).join("\n");
        if (!/^\s*\/\/ @no-check/.test(code)) {
          examples.push({ source: `${relative(root, file)}:${firstLine + open + 2}`, code });
        }
        index = close;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return examples;
}

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "generated") files.push(...sourceFiles(path));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) files.push(path);
  }
  return files.sort();
}

/** Every example: README.md, docs/*.md, then the TSDoc of src/ (src/generated excluded). */
export function allExamples(): DocExample[] {
  const markdown = [join(root, "README.md")];
  if (existsSync(join(root, "docs"))) {
    for (const name of readdirSync(join(root, "docs")).sort())
      if (name.endsWith(".md")) markdown.push(join(root, "docs", name));
  }
  return [...markdown.flatMap(markdownExamples), ...sourceFiles(join(root, "src")).flatMap(tsdocExamples)];
}

/** Splits a snippet into its leading import declarations and the rest. */
function splitImports(code: string): { imports: string; body: string } {
  const source = ts.createSourceFile("snippet.ts", code, ts.ScriptTarget.Latest, true);
  let importsEnd = 0;
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) importsEnd = statement.getEnd();
    else break;
  }
  return { imports: code.slice(0, importsEnd), body: code.slice(importsEnd) };
}

/** Type-checks every example; each comes back with its diagnostics (empty when it compiles). */
export function checkExamples(examples: DocExample[] = allExamples()): CheckedExample[] {
  const folder = join(root, "__doc_examples__");
  const virtual = new Map<string, string>();
  const preludeFile = join(folder, "prelude.d.ts");
  virtual.set(preludeFile, `${PRELUDE}\n${packageValues()}\n`);
  const files = examples.map((example, index) => {
    const { imports, body } = splitImports(example.code);
    const file = join(folder, `example${index}.ts`);
    // The header goes on the line of the last import (or the first line), so the lines of the module are
    // those of the snippet. `client` is a parameter of the outer function; the snippet runs in an inner
    // one, so that its own declarations (of `client` too) are its own.
    const header = `export async function example${index}(client: ${clientTypeOf(example.source)}): Promise<void> { await (async () => {`;
    virtual.set(file, `${imports}${imports ? " " : ""}${header}${body}\n})(); }\n`);
    return { file };
  });
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts"],
    types: ["node"],
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    baseUrl: root,
    paths: {
      "keyvault-keys": ["src/index.ts"],
      "keyvault-keys/emulator": ["src/emulator/index.ts"],
    },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(name);
    return text !== undefined
      ? ts.createSourceFile(name, text, languageVersion, true)
      : getSourceFile.call(host, name, languageVersion, onError, shouldCreate);
  };
  const program = ts.createProgram([preludeFile, ...files.map((f) => f.file)], options, host);
  const preludeDiagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(preludeFile));
  if (preludeDiagnostics.length) {
    throw new Error(
      `the doc-example prelude does not compile: ${preludeDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, " ")).join("; ")}`,
    );
  }
  return examples.map((example, index) => {
    const { file } = files[index]!;
    const sourceFile = program.getSourceFile(file)!;
    const diagnostics = [
      ...program.getSemanticDiagnostics(sourceFile),
      ...program.getSyntacticDiagnostics(sourceFile),
    ].map((diagnostic) => {
      const line = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line;
      const code = example.code.split("\n")[line]?.trim() ?? "";
      return `line ${line + 1} (${code}): ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
    });
    return { ...example, diagnostics };
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const checked = checkExamples();
  let failed = 0;
  for (const example of checked) {
    console.log(`${example.diagnostics.length ? "FAIL" : "ok  "} ${example.source}`);
    for (const diagnostic of example.diagnostics) console.log(`       ${diagnostic}`);
    if (example.diagnostics.length) failed++;
  }
  console.log(`\n${checked.length} examples, ${failed} with errors`);
  if (failed) process.exitCode = 1;
}
