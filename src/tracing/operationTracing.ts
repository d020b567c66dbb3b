import type { TracingClient, TracingContext } from "@azure/core-tracing";
import { SDK_VERSION } from "../util/sdkVersion.js";
import type { OperationOptions } from "../models/operationOptions.js";
import { toRestError } from "../http/pendingRestError.js";

/**
 * The operation span of each public method (`KeyClient.getKey`, `CryptographyClient.sign`, ...), made
 * with core-tracing's `withSpan`. The tracing client is made on the first operation, so that
 * `import "keyvault-keys"` does not load @azure/core-tracing, and `run` learns whether the span
 * records: the requests of an operation whose span records nothing (no instrumenter registered, or
 * the trace sampled out) get no HTTP span (see httpSpanPolicy.ts). Errors leave as `RestError`s (see
 * pendingRestError.ts), and the span's status carries that same error.
 * @internal
 */
export class OperationTracing {
  private client?: TracingClient;
  private loading?: Promise<TracingClient>;
  /** Whether the latest operation span recorded: what the later pages of a list go by (they have no span of their own). */
  recording = false;

  constructor(private readonly prefix: string) {}

  async withSpan<T>(
    method: string,
    options: OperationOptions,
    run: (updated: OperationOptions, recording: boolean) => Promise<T>,
  ): Promise<T> {
    const tracing = this.client ?? (await this.load());
    return tracing.withSpan(`${this.prefix}.${method}`, options, async (updated, span) => {
      const recording = span.isRecording();
      this.recording = recording;
      try {
        return await run(updated, recording);
      } catch (caught) {
        throw await toRestError(caught);
      }
    });
  }

  /** Whether @azure/core-tracing is loaded, so that {@link OperationTracing.withSpanSync} can run. */
  get loaded(): boolean {
    return this.client !== undefined;
  }

  /**
   * {@link OperationTracing.withSpan} for an operation that finishes synchronously (local cryptography
   * with key material and engine at hand): the same span, context, status and end, for a caller that
   * does not await (core-tracing's `withSpan` always returns a promise). `run` must throw no
   * PendingRestError (nothing synchronous here makes one); only valid once {@link OperationTracing.loaded}.
   */
  withSpanSync<T>(method: string, options: OperationOptions, run: (updated: OperationOptions) => T): T {
    const tracing = this.client;
    if (tracing === undefined) throw new Error("The tracing client is not loaded.");
    const { span, updatedOptions } = tracing.startSpan(`${this.prefix}.${method}`, options);
    this.recording = span.isRecording();
    try {
      const result = tracing.withContext(contextOf(updatedOptions), run, updatedOptions);
      span.setStatus({ status: "success" });
      return result;
    } catch (error) {
      span.setStatus({ status: "error", error: error as Error });
      throw error;
    } finally {
      span.end();
    }
  }

  private load(): Promise<TracingClient> {
    this.loading ??= import("@azure/core-tracing").then(({ createTracingClient }) => {
      this.client = createTracingClient({
        namespace: "Microsoft.KeyVault",
        packageName: "keyvault-keys",
        packageVersion: SDK_VERSION,
      });
      return this.client;
    });
    return this.loading;
  }
}

/** The context core-tracing's `startSpan` put into the options it returned (it always sets one). */
function contextOf(updated: OperationOptions): TracingContext {
  const context = updated.tracingOptions?.tracingContext;
  if (context === undefined) throw new Error("core-tracing returned no tracing context.");
  return context;
}
