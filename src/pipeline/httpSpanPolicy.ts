import { type PipelinePolicy, type TracingPolicyOptions, tracingPolicy } from "@azure/core-rest-pipeline";

/**
 * core-rest-pipeline's `tracingPolicy` (the `HTTP <method>` span and its `traceparent` header), for the
 * requests the REST client gives `tracingOptions`: those of an operation whose span records. The
 * others would get a span that records nothing either (a child of a span that is not sampled is not
 * sampled), so they go on without one, which spares every request of a client without tracing the
 * cost of making and ending an empty span.
 * @internal
 */
export function httpSpanPolicy(options: TracingPolicyOptions): PipelinePolicy {
  const tracing = tracingPolicy(options);
  return {
    name: tracing.name,
    sendRequest: (request, next) =>
      request.tracingOptions === undefined ? next(request) : tracing.sendRequest(request, next),
  };
}
