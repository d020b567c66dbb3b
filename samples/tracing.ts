/**
 * Tracing: every client method runs in a span named after it (`KeyClient.createRsaKey`,
 * `CryptographyClient.sign`, ...), and every HTTP request in a child span (`HTTP POST`, `HTTP GET`) whose
 * `traceparent` header carries the trace to the service. Spans go to whatever `Instrumenter` is
 * registered with `@azure/core-tracing`: in production, `@azure/opentelemetry-instrumentation-azure-sdk`
 * (OpenTelemetry); here a tiny console instrumenter of our own, which prints each span as it ends.
 * Runs against the built-in emulator unless KEYVAULT_URI is set.
 *
 *   npx tsx samples/tracing.ts
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import {
  useInstrumenter,
  type Instrumenter,
  type InstrumenterSpanOptions,
  type SpanStatus,
  type TracingContext,
  type TracingSpan,
} from "@azure/core-tracing";
import { KeyClient } from "../src/index.js";
import { connect, runIfMain, uniqueName } from "./common/connect.js";

/** One finished span, as the console instrumenter saw it. */
export interface RecordedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  depth: number;
  durationMs: number;
  status: SpanStatus | undefined;
  attributes: Record<string, unknown>;
}

const spanKey = Symbol("console-instrumenter span");

/** An immutable key/value context, as `TracingContext` asks (the clients carry it from span to request). */
class MapTracingContext implements TracingContext {
  constructor(private readonly values: ReadonlyMap<symbol, unknown> = new Map()) {}
  setValue(key: symbol, value: unknown): TracingContext {
    return new MapTracingContext(new Map(this.values).set(key, value));
  }
  getValue(key: symbol): unknown {
    return this.values.get(key);
  }
  deleteValue(key: symbol): TracingContext {
    const values = new Map(this.values);
    values.delete(key);
    return new MapTracingContext(values);
  }
}

class ConsoleSpan implements TracingSpan {
  readonly attributes: Record<string, unknown> = {};
  status: SpanStatus | undefined;
  private readonly start = performance.now();
  private ended = false;

  constructor(
    readonly name: string,
    readonly traceId: string,
    readonly spanId: string,
    readonly parent: ConsoleSpan | undefined,
    private readonly onEnd: (span: RecordedSpan) => void,
  ) {}

  get depth(): number {
    return this.parent ? this.parent.depth + 1 : 0;
  }
  setStatus(status: SpanStatus): void {
    this.status = status;
  }
  setAttribute(name: string, value: unknown): void {
    if (value !== undefined) this.attributes[name] = value;
  }
  recordException(exception: Error | string): void {
    this.attributes["exception"] =
      typeof exception === "string" ? exception : `${exception.name}: ${exception.message}`;
  }
  isRecording(): boolean {
    return !this.ended;
  }
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd({
      name: this.name,
      traceId: this.traceId,
      spanId: this.spanId,
      parentSpanId: this.parent?.spanId,
      depth: this.depth,
      durationMs: performance.now() - this.start,
      status: this.status,
      attributes: this.attributes,
    });
  }
}

/**
 * A minimal `Instrumenter`: spans know their parent through the tracing context (passed explicitly by
 * the clients, or the "active" one kept in an AsyncLocalStorage by `withContext`), and each request gets
 * a W3C `traceparent` header.
 */
export function createConsoleInstrumenter(onEnd: (span: RecordedSpan) => void): Instrumenter & { stop(): void } {
  let stopped = false;
  const active = new AsyncLocalStorage<TracingContext>();
  return {
    /** From now on, record and print nothing (@azure/core-tracing has no way to unregister an instrumenter). */
    stop() {
      stopped = true;
    },
    startSpan(name: string, options: InstrumenterSpanOptions) {
      const parentContext = options.tracingContext ?? active.getStore();
      const parent = parentContext?.getValue(spanKey) as ConsoleSpan | undefined;
      const traceId = parent?.traceId ?? randomBytes(16).toString("hex");
      const span = new ConsoleSpan(
        name,
        traceId,
        randomBytes(8).toString("hex"),
        parent,
        (ended) => stopped || onEnd(ended),
      );
      for (const [key, value] of Object.entries(options.spanAttributes ?? {})) span.setAttribute(key, value);
      const tracingContext = (parentContext ?? new MapTracingContext()).setValue(spanKey, span);
      return { span, tracingContext };
    },
    withContext(context, callback, ...callbackArgs) {
      return active.run(context, () => callback(...callbackArgs));
    },
    parseTraceparentHeader() {
      return undefined;
    },
    createRequestHeaders(tracingContext?: TracingContext): Record<string, string> {
      const span = (tracingContext ?? active.getStore())?.getValue(spanKey) as ConsoleSpan | undefined;
      return span ? { traceparent: `00-${span.traceId}-${span.spanId}-01` } : {};
    },
  };
}

/** One line per span, indented under its parent; HTTP spans show method, status code and URL path. */
export function formatSpan(span: RecordedSpan): string {
  const { status } = span;
  const outcome =
    status?.status === "error"
      ? `error (${status.error instanceof Error ? status.error.message : String(status.error)})`
      : (status?.status ?? "unset");
  const statusCode = span.attributes["http.status_code"];
  const url = span.attributes["http.url"];
  const http =
    typeof statusCode === "number" && typeof url === "string" ? ` ${statusCode} ${new URL(url).pathname}` : "";
  const parent = span.parentSpanId ? ` <- ${span.parentSpanId}` : "";
  return `${"  ".repeat(span.depth)}${span.name}${http} [${outcome}, ${span.durationMs.toFixed(1)} ms] span ${span.spanId}${parent}`;
}

export async function main(): Promise<void> {
  const spans: RecordedSpan[] = [];
  const instrumenter = createConsoleInstrumenter((span) => {
    spans.push(span);
    console.log(formatSpan(span));
  });
  useInstrumenter(instrumenter); // once, at startup, before the clients are used
  const vault = await connect();
  try {
    const client = new KeyClient(vault.vaultUrl, vault.credential, vault.clientOptions);
    console.log(`Vault: ${client.vaultUrl}${vault.emulated ? " (built-in emulator)" : ""}; spans print as they end:`);
    const name = uniqueName("traced");

    // A span of your own, as the parent of the client's spans: pass its context in tracingOptions.
    const { span: parent, tracingContext } = instrumenter.startSpan("sample.signSomething", {
      packageName: "tracing-sample",
    });
    try {
      const tracingOptions = { tracingContext };
      const key = await client.createRsaKey(name, { keySize: 2048, tracingOptions });
      const crypto = client.getCryptographyClient(name, { keyVersion: key.properties.version! });
      const digest = new Uint8Array(32).fill(7);
      const signed = await crypto.sign("RS256", digest, { tracingOptions });
      const verified = await crypto.verify("RS256", digest, signed.result, { tracingOptions });
      parent.setStatus({ status: verified.result ? "success" : "error" });
    } finally {
      parent.end();
    }

    // Without tracingOptions a client span starts its own trace.
    await (await client.beginDeleteKey(name, { intervalInMs: vault.emulated ? 100 : 2000 })).pollUntilDone();
    await client.purgeDeletedKey(name);

    const names = [...new Set(spans.map((span) => span.name))];
    console.log(
      `${spans.length} spans, ${new Set(spans.map((span) => span.traceId)).size} traces: ${names.join(", ")}`,
    );
  } finally {
    await vault.close();
    instrumenter.stop();
  }
}

runIfMain(import.meta.url, main);
