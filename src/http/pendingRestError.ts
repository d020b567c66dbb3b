import type { PipelineRequest, PipelineResponse, RestError } from "@azure/core-rest-pipeline";

/** What a {@link PendingRestError} becomes: the options of a `RestError`, and its `details`. @internal */
export interface PendingRestErrorOptions {
  code?: string;
  statusCode?: number;
  request?: PipelineRequest;
  response?: PipelineResponse;
  details?: unknown;
}

/**
 * A `RestError` that is not made yet. Code that runs before `@azure/core-rest-pipeline` is loaded (the
 * mappers, the pager, the direct transport) throws this instead, so that `import "keyvault-keys"` and
 * a request that succeeds never load that package; the async boundary a caller awaits turns it into
 * the real `RestError` with {@link toRestError}. Callers never see this class.
 * @internal
 */
export class PendingRestError extends Error {
  constructor(
    message: string,
    readonly options: PendingRestErrorOptions = {},
  ) {
    super(message);
    this.name = "PendingRestError";
  }

  /** The `RestError` this stands for, made with the given class. */
  toRestError(restError: typeof RestError): RestError {
    const { details, ...options } = this.options;
    const error = new restError(this.message, options);
    if (details !== undefined) error.details = details;
    return error;
  }

  /** The `code` of the `RestError` this stands for (retry decisions look at it). */
  get code(): string | undefined {
    return this.options.code;
  }
}

/**
 * Turns a {@link PendingRestError} into its `RestError`, loading `@azure/core-rest-pipeline` (the same
 * module the caller imports: `require` in the CommonJS build, the ESM module under an ESM loader) on
 * this error path only; any other error is returned as it is.
 * @internal
 */
export async function toRestError(error: unknown): Promise<unknown> {
  if (!(error instanceof PendingRestError)) return error;
  return restErrorOf(error);
}

/** The `RestError` a {@link PendingRestError} stands for, loading `@azure/core-rest-pipeline` as {@link toRestError} does. @internal */
export async function restErrorOf(error: PendingRestError): Promise<RestError> {
  const { RestError } = await import("@azure/core-rest-pipeline");
  return error.toRestError(RestError);
}

/** Whether an error is, or will be, a `RestError` (as core-rest-pipeline's `isRestError`, by name). @internal */
export function isRestErrorLike(error: unknown): error is Error & { code?: string; statusCode?: number } {
  return error instanceof PendingRestError || (error instanceof Error && error.name === "RestError");
}
