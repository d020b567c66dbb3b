/*
 * Issue 10: each request of an operation whose span records gets core-rest-pipeline's HTTP span
 * (a child of the operation span, with a traceparent header); a request whose operation span records
 * nothing (no instrumenter, or sampled out) gets none, rather than an empty span of its own.
 */
import type { Instrumenter, TracingContext, TracingSpan } from "@azure/core-tracing";
import { useInstrumenter } from "@azure/core-tracing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiVersion, createTestClient, mockVault, resetNock, restoreNock } from "../helpers/mockVault.js";
import { keyBundle } from "../helpers/wire.js";

beforeEach(resetNock);
afterEach(restoreNock);

class Context implements TracingContext {
  constructor(private readonly values = new Map<symbol, unknown>()) {}
  getValue(key: symbol): unknown {
    return this.values.get(key);
  }
  setValue(key: symbol, value: unknown): TracingContext {
    return new Context(new Map(this.values).set(key, value));
  }
  deleteValue(key: symbol): TracingContext {
    const values = new Map(this.values);
    values.delete(key);
    return new Context(values);
  }
}

const spanKey = Symbol("span");

/** Records the name and parent of every span it starts; `recording` decides whether they record. */
function recordingInstrumenter(
  recording: boolean,
): Instrumenter & { started: Array<{ name: string; parent?: string }> } {
  const started: Array<{ name: string; parent?: string }> = [];
  return {
    started,
    startSpan(name, options) {
      const parent = options.tracingContext?.getValue(spanKey) as string | undefined;
      started.push({ name, ...(parent !== undefined ? { parent } : {}) });
      const span: TracingSpan = {
        setStatus: () => undefined,
        setAttribute: () => undefined,
        end: () => undefined,
        recordException: () => undefined,
        isRecording: () => recording,
      };
      return { span, tracingContext: (options.tracingContext ?? new Context()).setValue(spanKey, name) };
    },
    withContext: (_context, callback, ...args) => callback(...args),
    parseTraceparentHeader: () => undefined,
    createRequestHeaders: (context) => ({
      traceparent: `00-${"1".repeat(32)}-${String(context?.getValue(spanKey))}-01`,
    }),
  };
}

describe("HTTP spans", () => {
  it("come with every request of a recording operation span, as its children, with a traceparent", async () => {
    const instrumenter = recordingInstrumenter(true);
    useInstrumenter(instrumenter);
    const vault = mockVault();
    vault.scope.get("/keys/k/").query(apiVersion()).reply(200, keyBundle("k"));
    const { client } = createTestClient();
    await client.getKey("k");
    expect(instrumenter.started).toEqual([
      { name: "KeyClient.getKey" },
      { name: "HTTP GET", parent: "KeyClient.getKey" },
    ]);
    const authorized = vault.authorized();
    expect(authorized[0]?.headers["traceparent"]).toBe(`00-${"1".repeat(32)}-HTTP GET-01`);
  });

  it("are not made for the requests of an operation span that records nothing", async () => {
    const instrumenter = recordingInstrumenter(false);
    useInstrumenter(instrumenter);
    const vault = mockVault();
    vault.scope.get("/keys/k/").query(apiVersion()).reply(200, keyBundle("k"));
    const { client } = createTestClient();
    await client.getKey("k");
    expect(instrumenter.started).toEqual([{ name: "KeyClient.getKey" }]);
    expect(vault.requests.every((r) => r.headers["traceparent"] === undefined)).toBe(true);
  });
});
