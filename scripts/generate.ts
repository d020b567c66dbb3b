/**
 * Generates the REST layer (`src/generated/`) from the Key Vault keys OpenAPI (swagger 2.0) spec.
 *
 *   npm run generate -- --spec ../shared/conformance/spec/2025-07-01/keys.json [--out src/generated]
 *
 * The output is deterministic: the same spec always gives byte-identical files, which is what the
 * regeneration test relies on. Never edit the output by hand; change this script and regenerate.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

interface Schema {
  type?: string;
  format?: string;
  description?: string;
  $ref?: string;
  enum?: string[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  readOnly?: boolean;
  minimum?: number;
  maximum?: number;
  "x-ms-client-name"?: string;
}

interface Parameter extends Omit<Schema, "required"> {
  name: string;
  required?: boolean;
  in: "path" | "query" | "body" | "header";
  schema?: Schema;
}

interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  parameters?: Array<Parameter | { $ref: string }>;
  responses: Record<string, { description?: string; schema?: Schema }>;
  "x-ms-pageable"?: { nextLinkName?: string | null };
}

interface Spec {
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  definitions: Record<string, Schema>;
  parameters?: Record<string, Parameter>;
}

/**
 * Path segments the service treats as optional although the swagger marks them required: the
 * TypeSpec source of the keys API declares `{/key-version}` for these two operations, and the service's
 * own clients leave the segment out when no version is given (`/keys/{name}/release`). Every other
 * empty version stays in the path as an empty segment (`/keys/{name}//encrypt`), as those clients send it.
 */
const optionalPathSegments: Record<string, readonly string[]> = {
  release: ["key-version"],
  GetKeyAttestation: ["key-version"],
};

export interface GeneratedFiles {
  [fileName: string]: string;
}

/** A non-body parameter's own type description, as a schema. */
const asSchema = ({ required: _required, ...schema }: Parameter): Schema => schema;

const objectLiteral = (members: string[]): string => (members.length ? `{ ${members.join(", ")} }` : "{}");

const refName = (ref: string): string => ref.slice(ref.lastIndexOf("/") + 1);

function camel(name: string): string {
  const parts = name.split(/[-_\s.]+/).filter(Boolean);
  const joined = parts.map((p, i) => (i === 0 ? p : p[0]!.toUpperCase() + p.slice(1))).join("");
  return joined[0]!.toLowerCase() + joined.slice(1);
}

const pascal = (name: string): string => {
  const c = camel(name);
  return c[0]!.toUpperCase() + c.slice(1);
};

function docComment(text: string | undefined, indent: string, extra: string[] = []): string {
  const lines = [...(text ? text.split(/\r?\n/) : []), ...extra].map((l) => l.replace(/\*\//g, "*\\/"));
  if (lines.length === 0) return "";
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join("\n")}\n${indent} */\n`;
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const propertyKey = (name: string): string => (identifier.test(name) ? name : JSON.stringify(name));

function typeOf(schema: Schema): string {
  if (schema.$ref) return refName(schema.$ref);
  if (schema.enum) return [...schema.enum.map((v) => JSON.stringify(v)), "(string & {})"].join(" | ");
  switch (schema.type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      return `Array<${typeOf(schema.items ?? {})}>`;
    case "object":
    case undefined:
      if (schema.properties) return inlineObject(schema);
      if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
        return `Record<string, ${typeOf(schema.additionalProperties)}>`;
      }
      return "Record<string, unknown>";
    default:
      return "unknown";
  }
}

function inlineObject(schema: Schema): string {
  const required = new Set(schema.required ?? []);
  const members = Object.entries(schema.properties ?? {}).map(
    ([name, prop]) => `${propertyKey(name)}${required.has(name) ? "" : "?"}: ${typeOf(prop)}`,
  );
  return `{ ${members.join("; ")} }`;
}

function formatNote(schema: Schema): string[] {
  const notes: string[] = [];
  if (schema.format === "unixtime") notes.push("Wire format: integer seconds since the Unix epoch.");
  if (schema.format === "base64url") notes.push("Wire format: base64url string.");
  if (schema.format === "byte") notes.push("Wire format: base64 string.");
  if (schema.readOnly) notes.push("Set by the service; ignored in requests.");
  if (schema.minimum !== undefined || schema.maximum !== undefined) {
    notes.push(`Range: ${schema.minimum ?? "-"} to ${schema.maximum ?? "-"}.`);
  }
  return notes;
}

function generateModels(spec: Spec, header: string): string {
  let out = header;
  for (const name of Object.keys(spec.definitions).sort()) {
    const def = spec.definitions[name]!;
    if (def.enum) {
      out += docComment(def.description, "");
      out += `export type ${name} = ${typeOf({ enum: def.enum })};\n\n`;
      out += `/** Every value of {@link ${name}} the spec lists. */\n`;
      out += `export const ${name}Values = ${JSON.stringify(def.enum)} as const;\n\n`;
      continue;
    }
    out += docComment(def.description, "");
    out += `export interface ${name} {\n`;
    const required = new Set(def.required ?? []);
    for (const [prop, schema] of Object.entries(def.properties ?? {})) {
      out += docComment(schema.description, "  ", formatNote(schema));
      out += `  ${propertyKey(prop)}${required.has(prop) ? "" : "?"}: ${typeOf(schema)};\n`;
    }
    out += `}\n\n`;
  }
  return out.trimEnd() + "\n";
}

function generateOperations(spec: Spec, header: string): string {
  const parameters = spec.parameters ?? {};
  let out = header;
  out += `import type { OperationSender, SendOptions } from "../http/operationSpec.js";\n`;
  out += `import type * as Wire from "./models.js";\n\n`;
  const catalogue: string[] = [];
  const entries: Array<[string, string, Operation]> = [];
  for (const path of Object.keys(spec.paths)) {
    for (const method of Object.keys(spec.paths[path]!)) {
      if (method === "parameters") continue;
      entries.push([path, method, spec.paths[path]![method]!]);
    }
  }
  entries.sort((a, b) => a[2].operationId.localeCompare(b[2].operationId));
  for (const [path, method, op] of entries) {
    const fn = camel(op.operationId);
    const params = (op.parameters ?? []).map((p) =>
      "$ref" in p && p.$ref ? parameters[refName(p.$ref)]! : (p as Parameter),
    );
    const pathParams = params.filter((p) => p.in === "path");
    const queryParams = params.filter((p) => p.in === "query" && p.name !== "api-version");
    const body = params.find((p) => p.in === "body");
    const ok = Object.keys(op.responses)
      .filter((s) => /^\d+$/.test(s))
      .map(Number);
    const okSchema = ok.map((s) => op.responses[String(s)]!.schema).find(Boolean);
    const resultType = okSchema ? `Wire.${typeOf(okSchema)}` : "void";
    const paramsType = `${pascal(op.operationId)}Parameters`;

    out += docComment(`${op.operationId}: ${method.toUpperCase()} ${path}`, "", [
      ...(op.summary ? [op.summary] : []),
      `Expected status: ${ok.join(", ")}.`,
    ]);
    out += `export interface ${paramsType} {\n`;
    for (const p of pathParams) {
      out += docComment(p.description, "  ", [`Path segment \`{${p.name}}\`.`]);
      out += `  ${camel(p.name)}: string;\n`;
    }
    for (const p of queryParams) {
      out += docComment(p.description, "  ", [`Query parameter \`${p.name}\`.`, ...formatNote(asSchema(p))]);
      out += `  ${camel(p.name)}${p.required ? "" : "?"}: ${typeOf(asSchema(p))};\n`;
    }
    if (body) {
      out += docComment(body.description, "  ", ["JSON request body."]);
      out += `  body${body.required === false ? "?" : ""}: Wire.${typeOf(body.schema ?? {})};\n`;
    }
    out += `}\n\n`;

    const spec = [
      `operationId: ${JSON.stringify(op.operationId)}`,
      `method: ${JSON.stringify(method.toUpperCase())}`,
      `pathTemplate: ${JSON.stringify(path)}`,
      `pathParameters: ${objectLiteral(pathParams.map((p) => `${JSON.stringify(p.name)}: parameters.${camel(p.name)}`))}`,
      `queryParameters: ${objectLiteral(queryParams.map((p) => `${JSON.stringify(p.name)}: parameters.${camel(p.name)}`))}`,
      ...(body ? ["body: parameters.body"] : []),
      ...(optionalPathSegments[op.operationId]
        ? [`optionalPathParameters: ${JSON.stringify(optionalPathSegments[op.operationId])}`]
        : []),
      `expectedStatuses: [${ok.join(", ")}]`,
    ];
    const argName = pathParams.length + queryParams.length + (body ? 1 : 0) === 0 ? "_parameters" : "parameters";
    out += docComment(op.description ?? op.summary, "");
    out += `export function ${fn}(\n  sender: OperationSender,\n  ${argName}: ${paramsType},\n  options?: SendOptions,\n): Promise<${resultType}> {\n`;
    const specText = spec.join(",\n      ").replace(/parameters\./g, `${argName}.`);
    out += `  return sender.sendOperation<${resultType}>(\n    {\n      ${specText},\n    },\n    options,\n  );\n}\n\n`;
    catalogue.push(
      `  ${fn}: { operationId: ${JSON.stringify(op.operationId)}, method: ${JSON.stringify(method.toUpperCase())}, pathTemplate: ${JSON.stringify(path)}, expectedStatuses: [${ok.join(", ")}], pageable: ${op["x-ms-pageable"] ? "true" : "false"} },`,
    );
  }
  out += `/** Every operation of the spec: method, path template and expected statuses. */\n`;
  out += `export const operationCatalogue = {\n${catalogue.join("\n")}\n} as const;\n`;
  return out;
}

/** Generates every file of `src/generated/` from the spec text. */
export function generate(specText: string, specLabel: string): GeneratedFiles {
  const spec = JSON.parse(specText) as Spec;
  const header =
    `// Generated by scripts/generate.ts from ${specLabel}.\n` +
    `// Spec: ${spec.info.title}, api-version ${spec.info.version}. Do not edit by hand: regenerate.\n\n`;
  const index =
    header +
    `/** The api-version of the spec this REST layer was generated from. */\n` +
    `export const specApiVersion = ${JSON.stringify(spec.info.version)};\n\n` +
    `export * from "./models.js";\nexport * from "./operations.js";\n`;
  return {
    "models.ts": generateModels(spec, header),
    "operations.ts": generateOperations(spec, header),
    "index.ts": index,
  };
}

function main(argv: string[]): void {
  const specIndex = argv.indexOf("--spec");
  const outIndex = argv.indexOf("--out");
  const specPath = specIndex >= 0 ? argv[specIndex + 1] : undefined;
  if (!specPath) {
    console.error("usage: npm run generate -- --spec <path to keys.json> [--out <folder>]");
    process.exit(2);
  }
  const outDir = resolve(outIndex >= 0 && argv[outIndex + 1] ? argv[outIndex + 1]! : "src/generated");
  const files = generate(readFileSync(specPath, "utf8"), "keys.json");
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(outDir, name), text);
  console.log(`wrote ${Object.keys(files).length} files to ${outDir}`);
}

if (
  process.argv[1] &&
  resolve(process.argv[1]).replace(/\.ts$/, "") === resolve(new URL(import.meta.url).pathname).replace(/\.ts$/, "")
) {
  main(process.argv.slice(2));
}
