import { RestError } from "@azure/core-rest-pipeline";
import { PendingRestError } from "./http/pendingRestError.js";
import * as mapping from "./wireMapping.js";

/*
 * The wire <-> public mappers of wireMapping.ts, for code that has @azure/core-rest-pipeline loaded
 * already (the pollers, tests): the same functions, throwing the RestError itself where wireMapping.ts
 * throws a PendingRestError (the client turns those into the RestError at its async boundary, so that
 * a request that succeeds never loads core-rest-pipeline).
 */

function throwingRestError<A extends unknown[], R>(map: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return map(...args);
    } catch (error) {
      throw error instanceof PendingRestError ? error.toRestError(RestError) : error;
    }
  };
}

/** @internal */
export function malformed(what: string, expected: string): RestError {
  return mapping.malformed(what, expected).toRestError(RestError);
}

/** @internal */
export const jsonWebKeyFromWire = throwingRestError(mapping.jsonWebKeyFromWire);
/** @internal */
export const releasePolicyFromWire = throwingRestError(mapping.releasePolicyFromWire);
/** @internal */
export const keyVaultKeyFromWire = throwingRestError(mapping.keyVaultKeyFromWire);
/** @internal */
export const deletedKeyFromWire = throwingRestError(mapping.deletedKeyFromWire);
/** @internal */
export const keyPropertiesFromItem = throwingRestError(mapping.keyPropertiesFromItem);
/** @internal */
export const deletedKeyFromItem = throwingRestError(mapping.deletedKeyFromItem);
/** @internal */
export const rotationPolicyFromWire = throwingRestError(mapping.rotationPolicyFromWire);

export { jsonWebKeyToWire, keyAttributesToWire, releasePolicyToWire, rotationPolicyToWire } from "./wireMapping.js";
