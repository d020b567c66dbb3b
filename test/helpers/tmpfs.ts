/**
 * Test helper: a small tmpfs mounted on a fresh folder, to give the emulator a real full disk
 * (ENOSPC) or a real read-only file system (EROFS). It needs root (CI runs as root); elsewhere
 * `mountTmpfs` says why it cannot, and the tests fall back to what a non-root user can do.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A mounted tmpfs. */
export interface Tmpfs {
  dir: string;
  /** Remounts it read-only (nothing may be open for writing). */
  readOnly(): void;
  /** Remounts it read-write. */
  writable(): void;
  /** Unmounts it and removes the folder. */
  unmount(): void;
}

function run(args: string[]): void {
  execFileSync(args[0] ?? "", args.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
}

/** Mounts a tmpfs of `size` (mount's syntax: "1m"), or returns why it cannot. */
export function mountTmpfs(size: string): Tmpfs | string {
  if (process.getuid?.() !== 0) return "not running as root";
  const dir = mkdtempSync(path.join(os.tmpdir(), "kv-tmpfs-"));
  try {
    run(["mount", "-t", "tmpfs", "-o", `size=${size},mode=0700`, "tmpfs", dir]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return `mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  }
  return {
    dir,
    readOnly: () => run(["mount", "-o", "remount,ro", dir]),
    writable: () => run(["mount", "-o", "remount,rw", dir]),
    unmount: () => {
      run(["umount", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
