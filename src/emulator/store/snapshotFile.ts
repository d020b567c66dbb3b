/**
 * The snapshot of a data folder, `keys.json`: every key at the moment of a compaction and the
 * generation of the journal that continues it. Format 2 (with journals); format 1 (the whole store,
 * rewritten on each change by versions before the journal) is read too and is generation 0.
 * @internal
 */
import type { StoredKey } from "./keyStore.js";
import { readJsonIfPresent, writeFileAtomic } from "./atomicFile.js";

/** A snapshot as read. @internal */
export interface SnapshotContent {
  format: "keyvault-keys-emulator/1" | "keyvault-keys-emulator/2";
  /** Journals of this generation and later continue the snapshot; older ones are obsolete. */
  generation: number;
  sequence: number;
  keys: StoredKey[];
}

/** Keys serialised per chunk of a snapshot write (the event loop runs between chunks). */
const keysPerChunk = 250;

/** The snapshot in `file`, or undefined when there is none. @internal */
export async function readSnapshot(file: string): Promise<SnapshotContent | undefined> {
  const raw = (await readJsonIfPresent(file)) as Partial<SnapshotContent> | undefined;
  if (raw === undefined) return undefined;
  const { format } = raw;
  const known = format === "keyvault-keys-emulator/1" || format === "keyvault-keys-emulator/2";
  if (!known || !Array.isArray(raw.keys) || typeof raw.sequence !== "number") {
    throw new Error(`${file} is not a keyvault-keys emulator data file`);
  }
  const generation = format === "keyvault-keys-emulator/1" ? 0 : raw.generation;
  if (typeof generation !== "number" || !Number.isInteger(generation) || generation < 0) {
    throw new Error(`${file} has no valid journal generation`);
  }
  return { format, generation, sequence: raw.sequence, keys: raw.keys };
}

/** Writes a format-2 snapshot atomically, a chunk of keys at a time; resolves with its size in bytes. @internal */
export function writeSnapshot(
  file: string,
  content: { generation: number; sequence: number; keys: readonly StoredKey[] },
): Promise<number> {
  return writeFileAtomic(file, snapshotChunks(content));
}

function* snapshotChunks(content: {
  generation: number;
  sequence: number;
  keys: readonly StoredKey[];
}): Generator<string> {
  const { generation, sequence, keys } = content;
  yield `{"format":"keyvault-keys-emulator/2","generation":${generation},"sequence":${sequence},"keys":[`;
  for (let start = 0; start < keys.length; start += keysPerChunk) {
    const chunk = keys.slice(start, start + keysPerChunk).map((key) => JSON.stringify(key));
    yield (start === 0 ? "" : ",") + chunk.join(",");
  }
  yield "]}";
}
