// The command line of the bench scripts (run.mjs, store.mjs): `--name` flags and `--name value`
// options, and the build of dist/ that each does first unless told `--no-build`.
import { execFileSync } from "node:child_process";

/** Reads `argv` (the arguments after the script). */
export function commandLine(argv) {
  return {
    flag: (name) => argv.includes(`--${name}`),
    option: (name, fallback) => {
      const i = argv.indexOf(`--${name}`);
      return i >= 0 ? argv[i + 1] : fallback;
    },
  };
}

/** A logger that keeps stdout for the JSON report when there is one. */
export function progressLog(json) {
  return (...a) => (json ? process.stderr.write(a.join(" ") + "\n") : console.log(...a));
}

/** `npm run build` in `root`, unless `--no-build`: the bench measures the built package. */
export function buildUnlessTold(root, { flag }, log) {
  if (flag("no-build")) return;
  log("building dist/ (npm run build) ...");
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
}
