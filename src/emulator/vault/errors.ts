/**
 * Errors the emulator answers with, in the service's `{"error":{...}}` shape.
 * @internal
 */

/** The inner error code the service adds to some 409 answers. @internal */
export interface InnerErrorBody {
  code: string;
}

/**
 * An error that maps to one HTTP answer. Handlers throw it; the router turns it into the
 * recorded wire shape. Anything else thrown by a handler becomes a 400, or a 500 when it is a failed
 * write of the data folder (see `http/router.ts`).
 * @internal
 */
export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "EmulatorError";
  }

  /** The JSON body, exactly as the service writes it. */
  toBody(): { error: { code: string; message: string; innererror?: InnerErrorBody } } {
    const error: { code: string; message: string; innererror?: InnerErrorBody } = {
      code: this.code,
      message: this.message,
    };
    if (this.innerCode !== undefined) error.innererror = { code: this.innerCode };
    return { error };
  }
}

const notFoundHelp =
  "If you recently deleted this key you may be able to recover it using the correct recovery command. " +
  "For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182";

/** 400 BadParameter. @internal */
export function badParameter(message: string): EmulatorError {
  return new EmulatorError(400, "BadParameter", message);
}

/** 404 KeyNotFound for a live key (name, or name/version). @internal */
export function keyNotFound(name: string, version?: string): EmulatorError {
  const id = version ? `${name}/${version}` : name;
  return new EmulatorError(
    404,
    "KeyNotFound",
    `A key with (name/id) ${id} was not found in this key vault. ${notFoundHelp}`,
  );
}

/** 404 KeyNotFound for a deleted key. @internal */
export function deletedKeyNotFound(name: string): EmulatorError {
  return new EmulatorError(404, "KeyNotFound", `Deleted Key not found: ${name}`);
}

/** 409 Conflict, with the inner error code that says which (when the service sends one). */
function conflict(message: string, innerCode?: string): EmulatorError {
  return new EmulatorError(409, "Conflict", message, innerCode);
}

/** 409 Conflict: the name is held by a soft-deleted key. @internal */
export function deletedButRecoverable(name: string): EmulatorError {
  return conflict(
    `Key ${name} is currently in a deleted but recoverable state, and its name cannot be reused; ` +
      "in this state, the key can only be recovered or purged.",
    "ObjectIsDeletedButRecoverable",
  );
}

/** 409 Conflict: restoring a backup over a name in use. @internal */
export function restoreConflict(kid: string): EmulatorError {
  return conflict(
    `There was a conflict restoring the key '${kid}'. This can happen if either: a second key with the same ` +
      "name was created after the first key was deleted; thus trying to restore a key whose name is already in " +
      "use. To fix this, rename the second key to something else so that the restore works. The second probable " +
      "cause of this exception is when multiple operations are performed in parallel against the key. To avoid " +
      "this error, perform operations against a key in a sequential manner.",
  );
}

/** 403 Forbidden. @internal */
export function forbidden(message: string): EmulatorError {
  return new EmulatorError(403, "Forbidden", message);
}

/** 409 Conflict: a create, import or restore while the name's deletion (or purge) is in progress. @internal */
export function beingDeleted(name: string): EmulatorError {
  return conflict(
    `Key ${name} is currently being deleted and cannot be re-created; retry later.`,
    "ObjectIsBeingDeleted",
  );
}

/** 409 Conflict: a recover or purge while the name's deletion (or purge) is still in progress. @internal */
export function deletionInProgress(name: string): EmulatorError {
  return conflict(`Key ${name} is currently being deleted; retry the operation later.`, "ObjectIsBeingDeleted");
}

/** 409 Conflict: a create or import while the key's recovery is in progress (an emulator choice). @internal */
export function beingRecovered(name: string): EmulatorError {
  return conflict(
    `Key ${name} is currently being recovered and cannot be re-created; retry later.`,
    "ObjectIsBeingRecovered",
  );
}
