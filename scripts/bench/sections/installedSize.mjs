// Installed size: the package (its `npm pack` contents) and its runtime dependencies, ours and the
// official one's (size.mjs).
import { installedSize as sizeOf } from "../size.mjs";
import { ratio } from "../table.mjs";

const kb = (b) => (b / 1024).toFixed(0);

export const installedSize = {
  only: "size",

  async measure({ root }, report) {
    report.size.ours = sizeOf("ours", root);
    report.size.official = sizeOf("official", root);
  },

  rows(report) {
    const s = report.size;
    if (!s.ours) return [];
    return [
      [
        "installed size, package (KB)",
        kb(s.ours.packageBytes),
        kb(s.official.packageBytes),
        "-",
        ratio(s.ours.packageBytes, s.official.packageBytes),
        "-",
      ],
      [
        `installed size, with runtime deps (KB)`,
        kb(s.ours.totalBytes),
        kb(s.official.totalBytes),
        "-",
        ratio(s.ours.totalBytes, s.official.totalBytes),
        "-",
      ],
      ["runtime dependencies (packages)", s.ours.dependencies, s.official.dependencies, "-", "-", "-"],
    ];
  },
};
