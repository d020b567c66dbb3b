/**
 * samples/tracing.ts against the built-in emulator: the client's spans (KeyClient.*, CryptographyClient.*)
 * nest under the caller's span, and each HTTP request's span nests under the client span that sent it.
 */
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { main } from "../../samples/tracing.js";

let lines: string[] = [];
let savedUri: string | undefined;
beforeEach(() => {
  savedUri = process.env["KEYVAULT_URI"];
  delete process.env["KEYVAULT_URI"];
  lines = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
});
afterEach(() => {
  vi.restoreAllMocks();
  if (savedUri !== undefined) process.env["KEYVAULT_URI"] = savedUri;
});

it("prints nested client and HTTP spans", async () => {
  await main();
  const output = lines.join("\n");
  expect(output).toMatch(/^sample\.signSomething \[success, [\d.]+ ms\] span [0-9a-f]{16}$/m);
  expect(output).toMatch(/^ {2}KeyClient\.createRsaKey \[success, [\d.]+ ms\] span [0-9a-f]{16} <- [0-9a-f]{16}$/m);
  expect(output).toMatch(/^ {4}HTTP POST 200 \/keys\/traced-[\w-]+\/create \[/m);
  expect(output).toMatch(/^ {2}CryptographyClient\.sign \[success/m);
  expect(output).toMatch(/^ {4}HTTP POST 200 \/keys\/traced-[\w-]+\/[0-9a-f]{32}\/sign \[/m);
  expect(output).toMatch(/^KeyClient\.purgeDeletedKey \[success/m);
  const parent = /^sample\.signSomething .* span ([0-9a-f]{16})$/m.exec(output)![1]!;
  const create = new RegExp(`^ {2}KeyClient\\.createRsaKey .* span ([0-9a-f]{16}) <- ${parent}$`, "m").exec(
    output,
  )![1]!;
  expect(output).toMatch(new RegExp(`^ {4}HTTP POST 200 /keys/traced-[\\w-]+/create .* <- ${create}$`, "m"));
});
