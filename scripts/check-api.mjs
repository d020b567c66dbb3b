// `npm run check:api`: fails when the public API (dist/cjs/index.d.ts, as built by `npm run build`)
// differs from the reviewed report review/keyvault-keys.api.md. That is API Extractor without --local:
// it never rewrites the report, it only compares. After an intended API change, run `npm run api:update`
// and commit the updated report with the change, so that every API change shows up in review.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const { Extractor, ExtractorConfig } = require("@microsoft/api-extractor");
const root = fileURLToPath(new URL("../", import.meta.url));

if (!existsSync(`${root}dist/cjs/index.d.ts`)) {
  console.error("check:api: dist/cjs/index.d.ts is missing; run `npm run build` first.");
  process.exit(1);
}
const config = ExtractorConfig.loadFileAndPrepare(`${root}api-extractor.json`);
const result = Extractor.invoke(config, { localBuild: false, showVerboseMessages: false });
if (result.succeeded) {
  console.log(`check:api: the public API matches ${config.reportFilePath.slice(root.length)}`);
} else {
  if (result.apiReportChanged) {
    const reviewed = readFileSync(config.reportFilePath, "utf8").split("\n");
    const current = existsSync(config.reportTempFilePath)
      ? readFileSync(config.reportTempFilePath, "utf8").split("\n")
      : [];
    const removed = reviewed.filter((line) => !current.includes(line));
    const added = current.filter((line) => !reviewed.includes(line));
    console.error("\ncheck:api: the public API changed, but review/keyvault-keys.api.md did not. Changed lines:");
    for (const line of removed.slice(0, 80)) console.error(`- ${line}`);
    for (const line of added.slice(0, 80)) console.error(`+ ${line}`);
    console.error(
      "\nIf the change is intended, run `npm run api:update` and commit review/keyvault-keys.api.md with it.",
    );
  } else {
    console.error(
      `check:api: API Extractor reported ${result.errorCount} error(s) and ${result.warningCount} warning(s).`,
    );
  }
  process.exitCode = 1;
}
