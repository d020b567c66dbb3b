/**
 * Durable file operations of the data folder: atomic replacement (temp file, fsync, rename, fsync
 * of the folder), durable folder creation, and the clean-up of temp files a killed process left.
 * @internal
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";

/** A temp file's name beside `file`: hidden, random, and known to {@link removeStaleTempFiles}. @internal */
export function tempFileBeside(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
}

/** True for an error of the operating system (an errno code such as ENOSPC or EROFS). @internal */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code);
}

/**
 * Writes `content` (text, or chunks of text written one after the other, so that a large file does
 * not hold the event loop) to `file` atomically; resolves with the bytes written.
 * @internal
 */
export async function writeFileAtomic(file: string, content: string | Iterable<string>): Promise<number> {
  const dir = path.dirname(file);
  const temp = tempFileBeside(file);
  let bytes = 0;
  try {
    const handle = await fs.open(temp, "w", 0o600);
    try {
      for (const chunk of typeof content === "string" ? [content] : content) {
        const buffer = Buffer.from(chunk, "utf8");
        await handle.write(buffer, 0, buffer.length);
        bytes += buffer.length;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
  return bytes;
}

/** Makes the entries of `dir` (a rename, a new or removed file) durable. @internal */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, "r");
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}

/** Creates a folder (and parents) and fsyncs the parent of the first one created. @internal */
export async function makeDurableDirectory(dir: string): Promise<void> {
  const first = await fs.mkdir(dir, { recursive: true });
  if (first !== undefined) await syncDirectory(path.dirname(first));
}

/**
 * Removes temp files a killed process left behind (they never hold the only copy of a state); not
 * those of `keep` (the lock's, which another starting emulator may be writing right now).
 * @internal
 */
export async function removeStaleTempFiles(dir: string, keep: string): Promise<void> {
  const names = await fs.readdir(dir);
  await Promise.all(
    names
      .filter((name) => /^\..+\.[0-9a-f]{12}\.tmp$/.test(name) && !name.startsWith(`.${keep}.`))
      .map((name) => fs.rm(path.join(dir, name), { force: true })),
  );
}

/** The parsed JSON of a file, or undefined when there is no such file. @internal */
export async function readJsonIfPresent(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`Cannot read emulator data file ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`Cannot read emulator data file ${file}: ${(error as Error).message}`);
  }
}
