import type { GetTokenOptions } from "@azure/core-auth";

/**
 * The abort signal shape every Azure SDK accepts (the DOM `AbortSignal` fits it). Taken from
 * `@azure/core-auth` so that no extra dependency is needed for one type.
 */
export type AbortSignalLike = NonNullable<GetTokenOptions["abortSignal"]>;
