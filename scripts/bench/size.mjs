// Installed size of a package and of its runtime dependencies (transitive, deduplicated), resolved
// from node_modules the way Node would find them. For this package itself the files are those
// `npm pack` would publish (package.json "files"); for an installed package, its whole folder.
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { execFileSync } from "node:child_process";

function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "node_modules") continue;
      total += folderBytes(p);
    } else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

function findPackage(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) throw new Error(`cannot find ${name} from ${fromDir}`);
  }
}

function dependencyClosure(rootDir) {
  const seen = new Map();
  const visit = (dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      let depDir;
      try {
        depDir = findPackage(name, dir);
      } catch {
        continue; // an optional dependency that is not installed
      }
      if (seen.has(depDir)) continue;
      seen.set(depDir, name);
      visit(depDir);
    }
  };
  visit(rootDir);
  return [...seen.keys()];
}

/** @returns {{ packageBytes: number, dependencyBytes: number, dependencies: number, totalBytes: number }} */
export function installedSize(kind, repoRoot) {
  let packageBytes;
  let rootDir;
  if (kind === "ours") {
    rootDir = repoRoot;
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: repoRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    packageBytes = JSON.parse(out)[0].unpackedSize;
  } else {
    rootDir = findPackage("@azure/keyvault-keys", repoRoot);
    packageBytes = folderBytes(rootDir);
  }
  const deps = dependencyClosure(rootDir);
  const dependencyBytes = deps.reduce((sum, dir) => sum + folderBytes(dir), 0);
  return { packageBytes, dependencyBytes, dependencies: deps.length, totalBytes: packageBytes + dependencyBytes };
}
