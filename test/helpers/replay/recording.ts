/*
 * The recorded sessions of ../shared/conformance/recordings (format kv-recording/1): their shape, how
 * they are found on disk, and the small readings of an entry that the planner, the server and the
 * driver of the replay all make.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One recorded exchange. */
export interface RecordedEntry {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: unknown;
  /** The REST operation's name in the spec (`CreateKey`, `GetDeletedKeys`, ...). */
  operation: string;
}

/** One recorded session. */
export interface Recording {
  format: string;
  name: string;
  apiVersions: string[];
  /** Whether the recorder kept request bodies (the C++ and Java ones did not). */
  requestBodiesRecorded: boolean;
  entries: RecordedEntry[];
}

export interface LoadedRecording {
  /** `<folder>/<session>.json`, relative to the recordings folder. */
  file: string;
  recording: Recording;
}

/** Every recording under `dir` (`<folder>/<session>.json`), sorted by file. */
export function loadRecordings(dir: string): LoadedRecording[] {
  if (!existsSync(dir)) return [];
  const out: LoadedRecording[] = [];
  for (const folder of readdirSync(dir, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(dir, folder.name))) {
      if (!file.endsWith(".json")) continue;
      const recording = JSON.parse(readFileSync(join(dir, folder.name, file), "utf8")) as Recording;
      if (recording.format === "kv-recording/1") out.push({ file: `${folder.name}/${file}`, recording });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** Operations of the CryptographyClient: its own replay makes them, the KeyClient's skips them. */
export const cryptoOperations = new Set(["Encrypt", "Decrypt", "Sign", "Verify", "WrapKey", "UnwrapKey"]);

/** Whether an entry is the vault's 401 challenge. */
export const isChallenge = (entry: RecordedEntry): boolean =>
  entry.status === 401 && Boolean(entry.responseHeaders["www-authenticate"]);

/** Name and version segments of a recorded URL: `/keys/{name}[/{version}]`, `/deletedkeys/{name}`. */
export function urlSegments(url: string): { collection: string; name: string; version: string } {
  const parts = new URL(url).pathname.split("/").slice(1);
  return {
    collection: parts[0] ?? "",
    name: decodeURIComponent(parts[1] ?? ""),
    version: decodeURIComponent(parts[2] ?? ""),
  };
}
