/**
 * Runs every sample, one after the other: `npm run samples`.
 */
import { main as backupAndRestore } from "./backupAndRestore.js";
import { main as helloWorld } from "./helloWorld.js";
import { main as importKey } from "./importKey.js";
import { main as listAndPaging } from "./listAndPaging.js";
import { main as signAndVerify } from "./signAndVerify.js";
import { main as envelopeEncryption } from "./envelopeEncryption.js";
import { main as tracing } from "./tracing.js";

const samples: Array<[string, () => Promise<void>]> = [
  ["helloWorld", helloWorld],
  ["listAndPaging", listAndPaging],
  ["backupAndRestore", backupAndRestore],
  ["importKey", importKey],
  ["signAndVerify", signAndVerify],
  ["envelopeEncryption", envelopeEncryption],
  ["tracing", tracing],
];

for (const [name, main] of samples) {
  console.log(`\n=== ${name} ===`);
  await main();
}
