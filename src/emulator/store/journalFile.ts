/**
 * An open journal file that lines are appended to. Each append is a positional write at the end of
 * the good content, then an fdatasync; it resolves only once the lines are on disk. When an append
 * fails (ENOSPC, EIO, ...) the file is cut back to its good length, so the lines of a failed commit
 * never come back after a restart; if even that fails, the next append cuts it first.
 * @internal
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { syncDirectory } from "./atomicFile.js";

/** A journal opened for appending. @internal */
export class JournalFile {
  /** True when bytes past `size` may be on disk (a failed append that could not be cut back). */
  private dirty = false;

  private constructor(
    readonly file: string,
    private readonly handle: fs.FileHandle,
    /** Length of the good content. */
    private length: number,
  ) {}

  /** Opens `file`, cutting it to `validBytes` (dropping a torn tail) when it is longer. */
  static async open(file: string, validBytes: number): Promise<JournalFile> {
    const handle = await fs.open(file, "r+");
    try {
      const { size } = await handle.stat();
      if (size > validBytes) {
        await handle.truncate(validBytes);
        await handle.datasync();
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new JournalFile(file, handle, validBytes);
  }

  /** Creates an empty journal `file` (it must not exist) and makes its folder entry durable. */
  static async create(file: string): Promise<JournalFile> {
    const handle = await fs.open(file, "wx", 0o600);
    try {
      await syncDirectory(path.dirname(file));
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new JournalFile(file, handle, 0);
  }

  /** Bytes of good content. */
  get size(): number {
    return this.length;
  }

  /** Appends `data` durably. */
  async append(data: Buffer): Promise<void> {
    if (this.dirty) {
      await this.handle.truncate(this.length);
      this.dirty = false;
    }
    try {
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await this.handle.write(data, written, data.length - written, this.length + written);
        written += bytesWritten;
      }
      await this.handle.datasync();
    } catch (error) {
      this.dirty = true;
      try {
        await this.handle.truncate(this.length);
        this.dirty = false;
      } catch {
        // cut before the next append
      }
      throw error;
    }
    this.length += data.length;
  }

  /** Closes the file. */
  async close(): Promise<void> {
    await this.handle.close();
  }
}
