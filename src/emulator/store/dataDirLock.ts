/**
 * The exclusive lock of a data folder: `emulator.lock`, holding the pid, host and start time of the
 * emulator that uses the folder. It appears whole (written to a temp file, then hard-linked to its
 * name, which fails when a lock exists), so a reader never sees half a lock.
 *
 * A second emulator on the folder refuses to start and names the holder. A lock whose pid is not a
 * running process (the holder was killed) is taken over: the taker first creates a marker named
 * after that stale lock (exclusive create, so one taker wins), checks the lock did not change, then
 * renames its own lock over it, so the folder is never without a lock while it is taken over.
 * The pid of this very process counts as stale unless the lock was written by this process (a
 * container restarted by its runtime often gets the same pid again).
 * @internal
 */
import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { syncDirectory, tempFileBeside, writeFileAtomic } from "./atomicFile.js";

/** The lock's file name in the data folder. @internal */
export const lockFileName = "emulator.lock";

interface LockContent {
  pid: number;
  hostname: string;
  started: string;
  /** `performance.timeOrigin` of the holder: tells this process from an earlier one with its pid. */
  processStart: number;
  nonce: string;
}

/** The data folder is held by a running emulator. @internal */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    lockFile: string,
    holderHost: string,
  ) {
    super(
      `The data folder ${dataDir} is in use by another emulator (pid ${holderPid}` +
        `${holderHost === os.hostname() ? "" : ` on host ${holderHost}`}). Stop that emulator or use another ` +
        `--data-dir; if no such process runs, delete ${lockFile}.`,
    );
    this.name = "DataDirInUseError";
  }
}

function parseLock(text: string): LockContent | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<LockContent> | null;
    if (Number.isInteger(parsed?.pid) && typeof parsed?.nonce === "string") return parsed as LockContent;
  } catch {
    // not a lock: stale
  }
  return undefined;
}

function isAlive(lock: LockContent): boolean {
  if (lock.pid === process.pid) return lock.processStart === performance.timeOrigin;
  try {
    process.kill(lock.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, owned by another user
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function writeNew(file: string, text: string): Promise<void> {
  const handle = await fs.open(file, "wx", 0o600);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Creates `file` holding `text`, whole, failing with EEXIST when it exists. On a file system without
 * hard links (FAT, some network shares) it is created in place: a reader may then see it empty for
 * a moment, and an empty lock is taken as stale.
 */
async function createWhole(file: string, text: string): Promise<void> {
  const temp = tempFileBeside(file);
  await writeNew(temp, text);
  try {
    await fs.link(temp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw error;
    await writeNew(file, text);
  } finally {
    await fs.rm(temp, { force: true });
  }
  await syncDirectory(path.dirname(file));
}

const isExists = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === "EEXIST";

/** A held data folder lock. @internal */
export class DataDirLock {
  /** @internal */
  constructor(
    readonly file: string,
    private readonly nonce: string,
  ) {}

  /**
   * Takes the lock of `dataDir` (an existing folder).
   * @throws DataDirInUseError when a running emulator holds it; errno errors when the folder is not writable.
   */
  static async acquire(dataDir: string): Promise<DataDirLock> {
    const file = path.join(dataDir, lockFileName);
    const mine: LockContent = {
      pid: process.pid,
      hostname: os.hostname(),
      started: new Date().toISOString(),
      processStart: performance.timeOrigin,
      nonce: randomBytes(12).toString("hex"),
    };
    const text = JSON.stringify(mine);
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await createWhole(file, text);
        return await held(file, mine.nonce);
      } catch (error) {
        if (!isExists(error)) throw error;
      }
      const current = await readText(file);
      if (current === undefined) continue; // released meanwhile
      const holder = parseLock(current);
      if (holder && isAlive(holder)) throw new DataDirInUseError(dataDir, holder.pid, file, holder.hostname);
      if (await takeOver(file, current, text)) return await held(file, mine.nonce);
      await new Promise((resolve) => setTimeout(resolve, 10 * (attempt + 1)));
    }
    throw new Error(`Could not take the lock ${file}: other emulators keep starting on ${dataDir}.`);
  }

  /** Removes the lock, if it is still this one. */
  async release(): Promise<void> {
    const current = await readText(this.file);
    if (current === undefined || parseLock(current)?.nonce !== this.nonce) return;
    await fs.rm(this.file, { force: true });
    await syncDirectory(path.dirname(this.file));
  }
}

/** The lock just taken, after removing the markers of takers that died (they block nothing, but clutter). */
async function held(file: string, nonce: string): Promise<DataDirLock> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.takeover-`;
  for (const name of await fs.readdir(dir)) {
    if (!name.startsWith(prefix)) continue;
    const taker = parseLock((await readText(path.join(dir, name))) ?? "");
    if (!taker || !isAlive(taker)) await fs.rm(path.join(dir, name), { force: true });
  }
  return new DataDirLock(file, nonce);
}

/** Replaces the stale lock whose content is `stale` with `text`; false when another taker was first. */
async function takeOver(file: string, stale: string, text: string): Promise<boolean> {
  const marker = `${file}.takeover-${createHash("sha256").update(stale).digest("hex").slice(0, 16)}`;
  try {
    await createWhole(marker, text);
  } catch (error) {
    if (!isExists(error)) throw error;
    const taker = parseLock((await readText(marker)) ?? "");
    if (!taker || !isAlive(taker)) await fs.rm(marker, { force: true }); // a taker that died midway
    return false;
  }
  try {
    if ((await readText(file)) !== stale) return false; // taken over (or released) meanwhile
    await writeFileAtomic(file, text);
    return true;
  } finally {
    await fs.rm(marker, { force: true });
  }
}
