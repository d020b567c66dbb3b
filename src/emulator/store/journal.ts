/**
 * The journal's format: one record a line, `<checksum> <json>\n`, where the checksum is the first 16
 * hex digits of the SHA-256 of the JSON text and the JSON is `{"s":<sequence>,"c":<change>}`. A record
 * is one committed change; a group commit writes several lines at once.
 *
 * Reading: a kill or a power loss can only tear what was written after the last completed fsync,
 * which is the end of the file, so everything after the last good line is dropped (a torn tail), and
 * the file is cut back to its good length before new lines are appended. A bad line followed by good
 * ones is not a torn tail but damage, and the load fails naming the file and the line rather than
 * drop acknowledged changes silently.
 * @internal
 */
import { createHash } from "node:crypto";
import type { KeyChange } from "./keyStore.js";
import { changeProblem } from "./keyChanges.js";

/** One line of a journal. @internal */
export interface JournalRecord {
  /** The emulator-wide sequence when the change was committed. */
  s: number;
  c: KeyChange;
}

/** What a journal file holds. @internal */
export interface DecodedJournal {
  records: JournalRecord[];
  /** Bytes of the good lines; anything after is a torn tail. */
  validBytes: number;
  /** Bytes dropped after the good lines. */
  tornBytes: number;
}

const newline = 0x0a;

function checksum(json: string): string {
  return createHash("sha256").update(json).digest("hex").slice(0, 16);
}

/** The line of a record, newline included. @internal */
export function encodeRecord(record: JournalRecord): string {
  const json = JSON.stringify(record);
  return `${checksum(json)} ${json}\n`;
}

/** The record of a line without its newline, or undefined when the line is not a good record. */
function decodeLine(line: string): JournalRecord | undefined {
  const space = line.indexOf(" ");
  if (space !== 16) return undefined;
  const json = line.slice(17);
  if (checksum(json) !== line.slice(0, 16)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  const record = parsed as Partial<JournalRecord> | null;
  if (typeof record?.s !== "number" || changeProblem(record.c) !== undefined) return undefined;
  return record as JournalRecord;
}

/**
 * Reads the lines of a journal file's content.
 * @throws Error naming `file` and the line when a bad line is followed by good ones.
 * @internal
 */
export function decodeJournal(content: Buffer, file: string): DecodedJournal {
  const records: JournalRecord[] = [];
  let offset = 0;
  let lineNumber = 0;
  while (offset < content.length) {
    const end = content.indexOf(newline, offset);
    const record = end < 0 ? undefined : decodeLine(content.toString("utf8", offset, end));
    lineNumber++;
    if (!record) {
      if (end >= 0 && hasGoodLineAfter(content, end + 1)) {
        throw new Error(
          `The emulator journal ${file} is damaged at line ${lineNumber} (good records follow it); ` +
            "it was not written by an emulator that crashed. Restore the data folder from a copy, or remove it.",
        );
      }
      break;
    }
    records.push(record);
    offset = end + 1;
  }
  return { records, validBytes: offset, tornBytes: content.length - offset };
}

function hasGoodLineAfter(content: Buffer, from: number): boolean {
  let offset = from;
  while (offset < content.length) {
    const end = content.indexOf(newline, offset);
    if (end < 0) return false;
    if (decodeLine(content.toString("utf8", offset, end))) return true;
    offset = end + 1;
  }
  return false;
}
