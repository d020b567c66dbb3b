import type { TracingClient } from "@azure/core-tracing";
import { SDK_VERSION } from "./constants.js";
import type { OperationOptions } from "./models/operationOptions.js";
import { toRestError } from "./rest/pendingRestError.js";

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
      const result = await tracing.withContext(updatedOptions.tracingOptions!.tracingContext!, () =>
        run(updatedOptions, recording),
      );
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
