import type { PipelinePolicy } from "@azure/core-rest-pipeline";

/** The name of {@link privateTlsSettingsPolicy}. */
export const privateTlsSettingsPolicyName = "keyVaultPrivateTlsSettingsPolicy";

/**
 * Keeps a request's TLS settings (which may hold a client certificate's private key) out of what
 * prints it: `RestError`s carry their request, and inspecting or logging an error serializes the
 * request's enumerable fields. Runs right after core-rest-pipeline's `tlsPolicy`, and turns
 * `request.tlsSettings` into a non-enumerable property with the same value, which the HTTP client
 * (and anyone who asks for it by name) still reads.
 * @internal
 */
export function privateTlsSettingsPolicy(): PipelinePolicy {
  return {
    name: privateTlsSettingsPolicyName,
    sendRequest(request, next) {
      const settings = request.tlsSettings;
      if (settings !== undefined && Object.prototype.propertyIsEnumerable.call(request, "tlsSettings")) {
        Object.defineProperty(request, "tlsSettings", {
          value: settings,
          enumerable: false,
          writable: true,
          configurable: true,
        });
      }
      return next(request);
    },
  };
}
