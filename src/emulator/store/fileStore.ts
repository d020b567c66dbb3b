/**
 * A store persisted in a data folder, whose cost per change does not grow with the store:
 *
 * - `emulator.lock`: the exclusive lock of the folder (`store/dataDirLock.ts`).
 * - `keys.json`: a snapshot of every key and the generation of the journal that continues it.
 * - `keys-<generation>.journal`: one line per committed change (`store/journal.ts`).
 * - `secrets.json`: the instance secrets (token secret, emulator id, backup key).
 * Other files (a certificate, say) may live beside them; the lock covers the whole folder.
 *
 * A change is computed against the latest state (durable, plus the changes queued before it), queued,
 * written to the journal with the others queued at that moment (group commit: one write and one
 * fdatasync), and applied to memory only once on disk; then its commit resolves and the answer goes
 * out. When the write fails, that batch and every change queued behind it (computed on top of it)
 * are rejected and memory stays as it was. Reads see only durable state.
 *
 * Once the journals hold more than the snapshot (and at least 64 KiB), they are compacted: new
 * changes go to a new journal generation while the snapshot of the state at the switch is written
 * beside it (temp file, fsync, rename), then the older journals are removed. A kill at any moment
 * leaves a snapshot and the journals that continue it; a load replays them and drops a torn tail.
 * @internal
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import {
  changedName,
  nameKey,
  type KeyChange,
  type KeyIndex,
  type KeyStore,
  type StoreSnapshot,
  type StoredKey,
} from "./keyStore.js";
import {
  isSystemError,
  makeDurableDirectory,
  readJsonIfPresent,
  removeStaleTempFiles,
  syncDirectory,
  writeFileAtomic,
} from "./atomicFile.js";
import { DataDirInUseError, DataDirLock, lockFileName } from "./dataDirLock.js";
import { decodeJournal, encodeRecord } from "./journal.js";
import { JournalFile } from "./journalFile.js";
import { applyChange } from "./keyChanges.js";
import { KeyState } from "./keyState.js";
import { readSnapshot, writeSnapshot } from "./snapshotFile.js";

const snapshotFileName = "keys.json";
const secretsFileName = "secrets.json";
const journalPattern = /^keys-(\d+)\.journal$/;
const journalFileName = (generation: number): string => `keys-${generation}.journal`;

/** The persisted secrets of an instance. @internal */
export interface PersistedSecrets {
  authSecret: string;
  emulatorId: string;
  backupKey: string;
}

/** Settings of a {@link FileKeyStore}. @internal */
export interface FileStoreOptions {
  /** Journals are compacted once they hold more than the snapshot and at least this many bytes (64 KiB). */
  minimumCompactionBytes?: number;
}

/** What a store wrote since it was opened. @internal */
export interface FileStoreStats {
  journalBytesWritten: number;
  snapshotBytesWritten: number;
  compactions: number;
  failedWrites: number;
}

interface QueuedCommit {
  name: string;
  change: KeyChange;
  sequence: number;
  line: Buffer;
  resolve(key: StoredKey | undefined): void;
  reject(error: unknown): void;
}

/** A folder the emulator cannot use (read-only, full, not a folder, ...). */
function unusableFolder(dataDir: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(
    `Cannot use the data folder ${dataDir}: it must be a folder the emulator can create and write files in (${message}).`,
    { cause: error },
  );
}

/** The journal generations in `dataDir`, ascending. */
async function journalGenerations(dataDir: string): Promise<number[]> {
  const generations: number[] = [];
  for (const name of await fs.readdir(dataDir)) {
    const match = journalPattern.exec(name);
    if (match?.[1]) generations.push(Number(match[1]));
  }
  return generations.sort((a, b) => a - b);
}

async function removeJournalsBefore(dataDir: string, generation: number): Promise<void> {
  const obsolete = (await journalGenerations(dataDir)).filter((candidate) => candidate < generation);
  await Promise.all(obsolete.map((old) => fs.rm(path.join(dataDir, journalFileName(old)), { force: true })));
  if (obsolete.length > 0) await syncDirectory(dataDir);
}

/** Keys in memory, every change journaled in `dataDir` before it is applied. @internal */
export class FileKeyStore implements KeyStore {
  /** The latest state of names with queued changes: the key once they land, and how many there are. */
  private readonly pending = new Map<string, { key: StoredKey | undefined; count: number }>();
  private queue: QueuedCommit[] = [];
  private draining: Promise<void> | undefined;
  private compacting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private sequence: number;
  /** Compaction is not tried again before the journals hold this many bytes (after a failed one). */
  private retryCompactionAt = 0;
  private readonly counters: FileStoreStats = {
    journalBytesWritten: 0,
    snapshotBytesWritten: 0,
    compactions: 0,
    failedWrites: 0,
  };

  private constructor(
    private readonly dataDir: string,
    private readonly lock: DataDirLock,
    private readonly state: KeyState,
    private journal: JournalFile,
    private generation: number,
    /** Bytes in the journals that continue the snapshot. */
    private journalBytes: number,
    private snapshotBytes: number,
    private readonly minimumCompactionBytes: number,
  ) {
    this.sequence = state.sequence;
  }

  /**
   * Opens (creating when needed) the store in `dataDir`, taking its lock.
   * @throws DataDirInUseError when another running emulator holds the folder; Error when the folder
   * cannot be written or its files are damaged.
   */
  static async open(dataDir: string, options: FileStoreOptions = {}): Promise<FileKeyStore> {
    let lock: DataDirLock;
    try {
      await makeDurableDirectory(dataDir);
      lock = await DataDirLock.acquire(dataDir);
    } catch (error) {
      throw error instanceof DataDirInUseError ? error : unusableFolder(dataDir, error);
    }
    try {
      return await FileKeyStore.load(dataDir, lock, options.minimumCompactionBytes ?? 64 * 1024);
    } catch (error) {
      await lock.release().catch(() => undefined);
      throw isSystemError(error) ? unusableFolder(dataDir, error) : error;
    }
  }

  private static async load(dataDir: string, lock: DataDirLock, minimumCompactionBytes: number): Promise<FileKeyStore> {
    await removeStaleTempFiles(dataDir, lockFileName);
    const snapshotFile = path.join(dataDir, snapshotFileName);
    const snapshot = await readSnapshot(snapshotFile);
    const base = snapshot?.generation ?? 0;
    await removeJournalsBefore(dataDir, base);
    const state = new KeyState(snapshot);
    const generations = await journalGenerations(dataDir);
    let journalBytes = 0;
    let validBytes = 0;
    for (const generation of generations) {
      const file = path.join(dataDir, journalFileName(generation));
      const decoded = decodeJournal(await fs.readFile(file), file);
      for (const record of decoded.records) state.apply(record.c, record.s);
      journalBytes += decoded.validBytes;
      validBytes = decoded.validBytes;
    }
    const snapshotBytes = snapshot ? (await fs.stat(snapshotFile)).size : 0;
    const last = generations[generations.length - 1];
    const threshold = Math.max(minimumCompactionBytes, snapshotBytes);
    if (snapshot?.format === "keyvault-keys-emulator/1" || generations.length > 1 || journalBytes >= threshold) {
      // Migrate a format-1 file (which older versions would read without the journal), and start from
      // one snapshot and one empty journal after a kill during a compaction or when the journal is long.
      const generation = (last ?? base) + 1;
      const journal = await JournalFile.create(path.join(dataDir, journalFileName(generation)));
      const written = await writeSnapshot(snapshotFile, {
        generation,
        sequence: state.sequence,
        keys: state.allKeys(),
      });
      await removeJournalsBefore(dataDir, generation);
      return new FileKeyStore(dataDir, lock, state, journal, generation, 0, written, minimumCompactionBytes);
    }
    const journal =
      last === undefined
        ? await JournalFile.create(path.join(dataDir, journalFileName(base)))
        : await JournalFile.open(path.join(dataDir, journalFileName(last)), validBytes);
    return new FileKeyStore(
      dataDir,
      lock,
      state,
      journal,
      last ?? base,
      journalBytes,
      snapshotBytes,
      minimumCompactionBytes,
    );
  }

  /**
   * Loads the secrets of `dataDir`, creating and persisting them on first use. Call it once the
   * store is open (the store holds the folder's lock).
   */
  static async loadOrCreateSecrets(dataDir: string, create: () => PersistedSecrets): Promise<PersistedSecrets> {
    await makeDurableDirectory(dataDir);
    const file = path.join(dataDir, secretsFileName);
    const raw = (await readJsonIfPresent(file)) as Partial<PersistedSecrets> | undefined;
    if (
      raw &&
      typeof raw.authSecret === "string" &&
      typeof raw.emulatorId === "string" &&
      typeof raw.backupKey === "string"
    ) {
      return raw as PersistedSecrets;
    }
    const secrets = create();
    await writeFileAtomic(file, JSON.stringify(secrets));
    return secrets;
  }

  get(name: string): StoredKey | undefined {
    return this.state.get(name);
  }

  latest(name: string): StoredKey | undefined {
    const pending = this.pending.get(nameKey(name));
    return pending ? pending.key : this.state.get(name);
  }

  keysAfter(index: KeyIndex, after: string | undefined): Iterable<StoredKey> {
    return this.state.keysAfter(index, after);
  }

  nextSequence(): number {
    this.sequence += 1;
    return this.sequence;
  }

  commit(change: KeyChange): Promise<StoredKey | undefined> {
    if (this.closing) return Promise.reject(new Error("The emulator's store is closed."));
    const name = nameKey(changedName(change));
    const pending = this.pending.get(name);
    const key = applyChange(pending ? pending.key : this.state.get(name), change);
    this.pending.set(name, { key, count: (pending?.count ?? 0) + 1 });
    const sequence = this.sequence;
    const line = Buffer.from(encodeRecord({ s: sequence, c: change }), "utf8");
    return new Promise((resolve, reject) => {
      this.queue.push({ name, change, sequence, line, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  flush(): Promise<void> {
    return this.draining ?? Promise.resolve();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flush();
      await this.compacting;
      await this.journal.close();
      await this.lock.release();
    })();
    return this.closing;
  }

  snapshot(): StoreSnapshot {
    return { format: "keyvault-keys-emulator/2", sequence: this.state.sequence, keys: this.state.allKeys() };
  }

  /** What the store wrote since it was opened. */
  stats(): FileStoreStats {
    return { ...this.counters };
  }

  /** Writes the queued changes, a batch at a time, until none is left. Never rejects. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0);
        const data = Buffer.concat(batch.map((entry) => entry.line));
        try {
          await this.journal.append(data);
        } catch (error) {
          this.fail(batch, error);
          continue;
        }
        this.journalBytes += data.length;
        this.counters.journalBytesWritten += data.length;
        for (const entry of batch) {
          const key = this.state.apply(entry.change, entry.sequence);
          this.settled(entry.name);
          entry.resolve(key);
        }
        if (this.shouldCompact()) await this.startCompaction();
      }
    } finally {
      this.draining = undefined;
    }
  }

  /** Rejects a failed batch and everything queued behind it, and forgets their latest state. */
  private fail(batch: QueuedCommit[], error: unknown): void {
    this.counters.failedWrites++;
    const failed = [...batch, ...this.queue.splice(0)];
    this.pending.clear();
    for (const entry of failed) entry.reject(error);
  }

  private settled(name: string): void {
    const pending = this.pending.get(name);
    if (pending && --pending.count === 0) this.pending.delete(name);
  }

  private shouldCompact(): boolean {
    return (
      !this.compacting &&
      !this.closing &&
      this.journalBytes >= Math.max(this.minimumCompactionBytes, this.snapshotBytes, this.retryCompactionAt)
    );
  }

  /**
   * Switches to a new journal generation (between two batches, so nothing is in flight), then writes
   * the snapshot of the state at the switch in the background while new changes go to the new journal.
   */
  private async startCompaction(): Promise<void> {
    const generation = this.generation + 1;
    let next: JournalFile;
    try {
      next = await JournalFile.create(path.join(this.dataDir, journalFileName(generation)));
    } catch {
      this.retryCompactionAt = this.journalBytes * 2;
      return;
    }
    const previous = this.journal;
    this.journal = next;
    this.generation = generation;
    await previous.close().catch(() => undefined);
    const covered = this.journalBytes;
    const content = { generation, sequence: this.state.sequence, keys: this.state.allKeys() };
    this.compacting = (async () => {
      try {
        const written = await writeSnapshot(path.join(this.dataDir, snapshotFileName), content);
        this.journalBytes -= covered;
        this.snapshotBytes = written;
        this.retryCompactionAt = 0;
        this.counters.snapshotBytesWritten += written;
        this.counters.compactions++;
        await removeJournalsBefore(this.dataDir, generation);
      } catch {
        this.retryCompactionAt = this.journalBytes * 2; // the journals stay; the next try covers them too
      } finally {
        this.compacting = undefined;
      }
    })();
  }
}
