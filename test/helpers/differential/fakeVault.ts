/**
 * A tiny fake Key Vault for the differential tests: node:http on 127.0.0.1 (port 0) that records every
 * request and answers deterministic canned responses per route. The shapes are copied from the
 * recordings in ../shared/conformance/recordings (python 2025-07-01, go 7.5, cpp 7.3 for release and
 * deleted-key lists), with the vault host replaced by this server's URL.
 *
 * Behaviour worth knowing:
 * - A request without `Authorization` gets the vault's 401 challenge (2026 body).
 * - `DELETE /keys/{name}` marks the name as "being deleted": the next `GET /deletedkeys/{name}` is a
 *   404 `KeyNotFound`, the one after it 200 (as in the python/go recordings).
 * - Names in `initiallyDeleted` (default `["recover-me"]`) are soft-deleted: `GET /keys/{name}/...` is a
 *   404 until `POST /deletedkeys/{name}/recover`; after the recover the next GET is still a 404 (as in
 *   go-7.5), the one after it 200.
 * - `GET /keys/missing-key/...` is a 404 `KeyNotFound` (long 2024+ message); `GET /keys/ec-.../...` an EC
 *   P-256 key, any other name an RSA-2048 key.
 * - `POST /keys/{name}/{version}/{encrypt|decrypt|wrapkey|unwrapkey|sign|verify}`: see cryptoAnswers.ts.
 * - `script(...)` answers instead of all this (scriptedAnswers.ts): errors, malformed answers, delays.
 * - List routes answer three pages (listPages.ts).
 * - Request-driven routes (create, import, update, rotation policy PUT) echo what was sent (keyBundles.ts).
 *
 * `reset()` clears the request log and the state; the tests call it before each client's run.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { challengeHeader, UNAUTHORIZED_BODY, ZERO_TENANT } from "../wire.js";
import { recordOf, sendJson, type RecordedRequest } from "./recordedRequest.js";
import { initialState, route, type VaultState } from "./routes.js";
import { writeAnswer, type Script } from "./scriptedAnswers.js";

/** The fake vault's `WWW-Authenticate`. */
export const CHALLENGE = challengeHeader(undefined, ZERO_TENANT);

export interface FakeVault {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request since the last `reset()`. */
  readonly requests: RecordedRequest[];
  /** Clears the request log and the soft-delete state (not the script). */
  reset(): void;
  /** Answers each request the script answers instead of the usual routes; `undefined` ends the script. */
  script(script: Script | undefined): void;
  close(): Promise<void>;
}

export interface FakeVaultOptions {
  /** Names that start out soft-deleted (for the recover poller). */
  initiallyDeleted?: string[];
}

export async function startFakeVault(options: FakeVaultOptions = {}): Promise<FakeVault> {
  const initiallyDeleted = options.initiallyDeleted ?? ["recover-me"];
  let requests: RecordedRequest[] = [];
  let state: VaultState = initialState("", initiallyDeleted);
  let script: Script | undefined;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const record = recordOf(req, Buffer.concat(chunks).toString("utf8"));
      requests.push(record);
      const scripted = script?.(record);
      if (scripted) writeAnswer(res, record, scripted);
      else if (!record.authenticated) sendJson(res, record, 401, UNAUTHORIZED_BODY, { "www-authenticate": CHALLENGE });
      else sendJson(res, record, ...route(record, state));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state = initialState(url, initiallyDeleted);
  return {
    url,
    get requests() {
      return requests;
    },
    reset() {
      requests = [];
      state = initialState(url, initiallyDeleted);
    },
    script(next) {
      script = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
