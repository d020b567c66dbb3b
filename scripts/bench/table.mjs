// The Markdown tables `npm run bench` prints: figures with a fixed number of decimals, ratios as
// `0.42x`, "-" where a figure is missing.

/** A figure with `d` decimals; a non-number as it is ("-" when absent). */
export const fmt = (v, d = 1) => (typeof v === "number" ? v.toFixed(d) : (v ?? "-"));

/** `a / b` as `1.23x`, or "-" when either is not a number. */
export const ratio = (a, b) =>
  typeof a === "number" && typeof b === "number" && b > 0 ? `${(a / b).toFixed(2)}x` : "-";

/** Prints a titled table: the first column left-aligned, the others right-aligned. */
export function printTable(title, headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    "| " +
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(" | ") +
    " |";
  console.log(`\n${title}\n`);
  console.log(line(headers));
  console.log("| " + widths.map((w, i) => (i === 0 ? "-".repeat(w) : "-".repeat(w - 1) + ":")).join(" | ") + " |");
  for (const r of rows) console.log(line(r));
}
