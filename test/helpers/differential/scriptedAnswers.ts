/**
 * Scripted answers of the differential fake vault (`vault.script(...)`): the error paths both clients
 * must handle alike. Bodies are those of the service (the recordings and the REST spec's examples).
 */
import type { ServerResponse } from "node:http";
import type { RecordedRequest } from "./recordedRequest.js";

/** One scripted answer. */
export interface ScriptedAnswer {
  status: number;
  /** A JSON body. */
  body?: unknown;
  /** A raw body, sent as it is (for answers that are not JSON). */
  text?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (an abort signal fires meanwhile). */
  delayInMs?: number;
}

/** Decides the answer to a request; `undefined` lets the fake vault answer as usual. */
export type Script = (request: RecordedRequest) => ScriptedAnswer | undefined;

/** Writes a scripted answer (after its delay, unless the client hung up first). */
export function writeAnswer(res: ServerResponse, record: RecordedRequest, answer: ScriptedAnswer): void {
  record.status = answer.status;
  const text = answer.text ?? (answer.body === undefined ? "" : JSON.stringify(answer.body));
  const write = () => {
    if (res.destroyed) return;
    res.writeHead(answer.status, {
      ...(answer.body !== undefined ? { "content-type": "application/json; charset=utf-8" } : {}),
      "content-length": Buffer.byteLength(text),
      "x-ms-request-id": "00000000-0000-0000-0000-0000000000aa",
      ...answer.headers,
    });
    res.end(text);
  };
  if (answer.delayInMs) setTimeout(write, answer.delayInMs).unref();
  else write();
}

const error = (code: string, message: string, innererror?: unknown) => ({
  error: { code, message, ...(innererror !== undefined ? { innererror } : {}) },
});

/** 409 of a create while the name is deleted but recoverable (python-2025-07-01, with its innererror). */
export const CONFLICT = error(
  "Conflict",
  "Key is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the key can only be recovered or purged.",
  { code: "ObjectIsDeletedButRecoverable" },
);

/** 400 of a create with a bad key size (spec wording), nested innererror two deep. */
export const BAD_PARAMETER = error("BadParameter", "The specified key size 1234 is not supported.", {
  code: "KeySizeNotSupported",
  message: "RSA key sizes are 2048, 3072 and 4096.",
  innererror: { code: "Detail" },
});

/** 403 of an access-policy vault without the permission (the service's long message). */
export const FORBIDDEN = error(
  "Forbidden",
  "The user, group or application 'appid=00000000-0000-0000-0000-000000000001;oid=00000000-0000-0000-0000-000000000002;iss=https://sts.windows.net/00000000-0000-0000-0000-000000000000/' does not have keys get permission on key vault 'differential;location=westus'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287",
  { code: "AccessDenied" },
);

/** The 401 the vault answers to a token it does not accept. */
export const UNAUTHORIZED = error("Unauthorized", "AKV10032: Invalid issuer.");

/** A script for a caller without keys/get: the key's GET is a 403, every other request answered as usual. */
export const forbidKeyRead: Script = (r) =>
  r.authenticated && r.method === "GET" ? { status: 403, body: FORBIDDEN } : undefined;
