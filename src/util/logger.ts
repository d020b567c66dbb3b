import { createClientLogger } from "@azure/logger";

/** The package's logger: `AZURE_LOG_LEVEL=info` or `setLogLevel("info")` from `@azure/logger` shows it. */
export const logger = createClientLogger("keyvault-keys");
