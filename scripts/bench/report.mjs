// The report of `npm run bench`: its sections in the order they run (one file each in sections/),
// the empty report they fill, and how it prints: one table comparing ours with the official client
// and the floor (network, cold start, first answer, size, memory), then the cryptography tables.
import { coldStart } from "./sections/coldStart.mjs";
import { ecdsaCurves } from "./sections/ecdsaCurves.mjs";
import { emulatorCrypto } from "./sections/emulatorCrypto.mjs";
import { firstAnswer } from "./sections/firstAnswer.mjs";
import { installedSize } from "./sections/installedSize.mjs";
import { localCrypto } from "./sections/localCrypto.mjs";
import { memory } from "./sections/memory.mjs";
import { network } from "./sections/network.mjs";
import { printTable } from "./table.mjs";

/** Every section, in the order it runs; `only` is its name for `--only`. */
export const sections = [
  network,
  memory,
  coldStart,
  firstAnswer,
  installedSize,
  localCrypto,
  emulatorCrypto,
  ecdsaCurves,
];

/** The report before any section ran (the JSON output keeps this order of keys). */
export function emptyReport({ rounds, coldRuns, settings }) {
  return {
    settings: { rounds, coldRuns, ...settings },
    node: process.version,
    network: {},
    memory: {},
    coldStart: {},
    firstAnswer: {},
    size: {},
    crypto: {},
  };
}

const compared = [network, coldStart, firstAnswer, installedSize, memory];
const comparedColumns = ["figure", "ours", "official", "floor", "ours/official", "ours/floor"];

export function printReport(report, context) {
  const { rounds, coldRuns } = context;
  const rows = compared.flatMap((section) => section.rows(report, context));
  const extraHeaders = network.extraColumns(report, context);
  if (rows.length) {
    printTable(
      `keyvault-keys vs @azure/keyvault-keys 4.10.2 vs bare node:https (medians of ${rounds} interleaved rounds; cold start: ${coldRuns} runs each; Node ${process.version})`,
      [...comparedColumns, ...extraHeaders],
      rows.map((r) => [...r, ...Array(extraHeaders.length + comparedColumns.length - r.length).fill("-")]),
    );
  }
  for (const section of [localCrypto, emulatorCrypto, ecdsaCurves]) section.print(report);
}
