import type { TokenCredential } from "@azure/core-auth";
import {
  type Pipeline,
  agentPolicy,
  createEmptyPipeline,
  decompressResponsePolicy,
  getDefaultProxySettings,
  logPolicy,
  proxyPolicy,
  redirectPolicy,
  setClientRequestIdPolicy,
  tlsPolicy,
  userAgentPolicy,
} from "@azure/core-rest-pipeline";
import type { KeyClientOptions } from "../models/operationOptions.js";
import { SDK_VERSION } from "../util/sdkVersion.js";
import { challengeAuthenticationPolicy } from "./challengeAuthenticationPolicy.js";
import { httpSpanPolicy } from "./httpSpanPolicy.js";
import { privateTlsSettingsPolicy } from "./privateTlsSettingsPolicy.js";
import { responseSizeLimitPolicy } from "./responseSizeLimitPolicy.js";
import { keyVaultRetryPolicy } from "./retryPolicy.js";

/** What this package puts in the user agent, before what core-rest-pipeline adds (its version, Node's, the OS). @internal */
export const userAgentPackage = `azsdk-js-keyvault-keys/${SDK_VERSION}`;

/**
 * The one pipeline of a client, built once, top to bottom: user agent, request id, `Accept-Encoding`
 * (the HTTP client decodes), the caller's per-call policies; then retries (exponential, honouring
 * `Retry-After` up to `maxRetryDelayInMs`), the HTTP span, redirects (same origin only, without the
 * token); then on every attempt the challenge authentication, the log, the response size limit (for
 * a caller's own HTTP client), the caller's agent, the proxy (from `proxyOptions`, else from `HTTPS_PROXY`, `ALL_PROXY` or `HTTP_PROXY`
 * with `NO_PROXY`, as core-rest-pipeline reads them), TLS settings (kept out of what prints an error),
 * and the caller's per-retry policies.
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
    userAgentPolicy({ userAgentPrefix: userAgentPrefix ? `${userAgentPrefix} ${userAgentPackage}` : userAgentPackage }),
  );
  pipeline.addPolicy(setClientRequestIdPolicy(options.telemetryOptions?.clientRequestIdHeaderName));
  pipeline.addPolicy(decompressResponsePolicy());
  pipeline.addPolicy(keyVaultRetryPolicy(options.retryOptions), { phase: "Retry" });
  pipeline.addPolicy(httpSpanPolicy({ userAgentPrefix, additionalAllowedQueryParameters: ["api-version"] }), {
    afterPhase: "Retry",
  });
  if (options.redirectOptions?.handleRedirects !== false) {
    pipeline.addPolicy(redirectPolicy({ maxRetries: options.redirectOptions?.maxRetries ?? 20 }), {
      afterPhase: "Retry",
    });
  }
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
  // For a caller's own HTTP client, which reads the whole answer; ours refuses an oversized one while it arrives.
  if (options.httpClient) pipeline.addPolicy(responseSizeLimitPolicy(), { afterPhase: "Sign" });
  // Agent, TLS and proxy settings go on the request only after the log policy has logged it: it
  // serializes the whole request, and an agent's live sockets hold the raw headers of earlier requests
  // (the bearer token), TLS settings may hold a client key, proxy settings a password. The caller's
  // agent comes first, so that it wins over a proxy from the environment, as in core's own pipeline.
  // The TLS settings come after the proxy, which would otherwise warn that it ignores them: our HTTP
  // client hands them to the proxy's agent.
  if (options.agent) pipeline.addPolicy(agentPolicy(options.agent), { afterPhase: "Sign" });
  // The proxy policy reads the environment when it is made, as core's own pipeline does; with no proxy
  // there (by core's own reading) and none in the options it would do nothing, and is left out. (The
  // function is deprecated as a way to fill proxyOptions, which it is not used for here.)
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  if (options.proxyOptions || getDefaultProxySettings()) {
    pipeline.addPolicy(proxyPolicy(options.proxyOptions), { afterPhase: "Sign" });
  }
  if (options.tlsOptions) {
    pipeline.addPolicy(tlsPolicy(options.tlsOptions), { afterPhase: "Sign" });
    pipeline.addPolicy(privateTlsSettingsPolicy(), { afterPhase: "Sign" });
  }
  for (const { policy, position } of options.additionalPolicies ?? []) {
    pipeline.addPolicy(policy, position === "perRetry" ? { afterPhase: "Sign" } : {});
  }
  return pipeline;
}
