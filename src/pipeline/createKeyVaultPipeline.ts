import type { TokenCredential } from "@azure/core-auth";
import {
  type Pipeline,
  agentPolicy,
  createEmptyPipeline,
  defaultRetryPolicy,
  logPolicy,
  proxyPolicy,
  redirectPolicy,
  setClientRequestIdPolicy,
  tlsPolicy,
  tracingPolicy,
  userAgentPolicy,
} from "@azure/core-rest-pipeline";
import type { KeyClientOptions } from "../models/operationOptions.js";
import { SDK_VERSION } from "../constants.js";
import { challengeAuthenticationPolicy } from "./challengeAuthenticationPolicy.js";
import { responseSizeLimitPolicy } from "./responseSizeLimitPolicy.js";

/**
 * The pipeline every client of this package sends through, top to bottom: user agent, request id,
 * redirects (same origin only, without the token), retries (exponential, honouring `Retry-After`),
 * then per retry the challenge authentication, the log, the response size limit, and proxy, TLS and
 * agent settings.
 * @internal
 */
export function createKeyVaultPipeline(
  vaultUrl: string,
  credential: TokenCredential,
  options: KeyClientOptions,
): Pipeline {
  const pipeline = createEmptyPipeline();
  const userAgentPrefix = options.userAgentOptions?.userAgentPrefix;
  pipeline.addPolicy(
    userAgentPolicy({
      userAgentPrefix: userAgentPrefix
        ? `${userAgentPrefix} azsdk-js-keyvault-keys-lite/${SDK_VERSION}`
        : `azsdk-js-keyvault-keys-lite/${SDK_VERSION}`,
    }),
  );
  pipeline.addPolicy(setClientRequestIdPolicy(options.telemetryOptions?.clientRequestIdHeaderName));
  if (options.redirectOptions?.handleRedirects !== false) {
    pipeline.addPolicy(redirectPolicy({ maxRetries: options.redirectOptions?.maxRetries ?? 20 }), {
      afterPhase: "Retry",
    });
  }
  pipeline.addPolicy(tracingPolicy({ userAgentPrefix, additionalAllowedQueryParameters: ["api-version"] }), {
    afterPhase: "Retry",
  });
  pipeline.addPolicy(defaultRetryPolicy(options.retryOptions), { phase: "Retry" });
  pipeline.addPolicy(
    challengeAuthenticationPolicy(credential, vaultUrl, {
      disableChallengeResourceVerification: options.disableChallengeResourceVerification ?? false,
    }),
    { phase: "Sign" },
  );
  pipeline.addPolicy(
    logPolicy({
      ...options.loggingOptions,
      additionalAllowedQueryParameters: [
        "api-version",
        "maxresults",
        ...(options.loggingOptions?.additionalAllowedQueryParameters ?? []),
      ],
    }),
    { afterPhase: "Sign" },
  );
  // Refuse a huge answer (a hostile or broken server) with a clear error rather than parse it.
  pipeline.addPolicy(responseSizeLimitPolicy(), { afterPhase: "Sign" });
  // Proxy, TLS and agent settings go on the request only after the log policy has logged it: it
  // serializes the whole request, and an agent's live sockets hold the raw headers of earlier requests
  // (the bearer token), TLS settings may hold a client key, proxy settings a password.
  if (
    options.proxyOptions ||
    process.env["HTTPS_PROXY"] ||
    process.env["HTTP_PROXY"] ||
    process.env["https_proxy"] ||
    process.env["http_proxy"]
  ) {
    pipeline.addPolicy(proxyPolicy(options.proxyOptions), { afterPhase: "Sign" });
  }
  if (options.tlsOptions) pipeline.addPolicy(tlsPolicy(options.tlsOptions), { afterPhase: "Sign" });
  // A caller's agent (for instance one trusting the emulator's certificate: `new https.Agent({ ca })`).
  if (options.agent) pipeline.addPolicy(agentPolicy(options.agent), { afterPhase: "Sign" });
  for (const { policy, position } of options.additionalPolicies ?? []) {
    pipeline.addPolicy(policy, position === "perRetry" ? { afterPhase: "Sign" } : {});
  }
  return pipeline;
}
