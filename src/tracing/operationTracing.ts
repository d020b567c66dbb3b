import type { TracingClient, TracingContext } from "@azure/core-tracing";
import { SDK_VERSION } from "../util/sdkVersion.js";
import type { OperationOptions } from "../models/operationOptions.js";
import { toRestError } from "../http/pendingRestError.js";

/**
 * The operation span of each public method, as core-tracing's `withSpan` makes it (the span's
 * context in the options the operation gets, `withContext` around it, status and end), with two
 * differences that keep the common case cheap: @azure/core-tracing loads on the first operation (and
 * is kept by the client that asked), and `run` learns whether the span records. A request under a span
 * that records nothing (no instrumenter registered, or a trace sampled out) then skips the HTTP span,
 * which core-rest-pipeline's tracingPolicy would also drop (it sends no trace headers for a span that
 * does not record). Errors leave as `RestError`s (see pendingRestError.ts).
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
    const { span, updatedOptions } = tracing.startSpan(`${this.prefix}.${method}`, options);
    const recording = span.isRecording();
    this.recording = recording;
    try {
      const result = await tracing.withContext(contextOf(updatedOptions), () => run(updatedOptions, recording));
      span.setStatus({ status: "success" });
      return result;
    } catch (caught) {
      const error = await toRestError(caught);
      span.setStatus({ status: "error", error: error as Error });
      throw error;
    } finally {
      span.end();
    }
  }

  /** Whether @azure/core-tracing is loaded, so that {@link OperationTracing.withSpanSync} can run. */
  get loaded(): boolean {
    return this.client !== undefined;
  }

  /**
   * {@link OperationTracing.withSpan} for an operation that finishes synchronously (local cryptography
   * with key material and engine at hand): the same span, context, status and end, without the
   * promise layers. `run` must throw no PendingRestError (nothing synchronous here makes one); only
   * valid once {@link OperationTracing.loaded}.
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
