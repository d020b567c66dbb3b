// Summarizes a .cpuprofile (from `node --cpu-prof`): self time by function and by file, and
// inclusive ("total") time by file, so that the cost of each layer of a client shows at a glance.
// Usage: node profile-summary.mjs file.cpuprofile [top=40]
import { readFileSync } from "node:fs";

const [file, topText = "40"] = process.argv.slice(2);
const top = Number(topText);
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++)
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const short = (url) =>
  url
    .replace(/^.*node_modules\//, "nm/")
    .replace(/^file:\/\/.*\/dist\//, "dist/")
    .replace(/^node:/, "node:");
const fnSelf = new Map();
const fileSelf = new Map();
const fileTotal = new Map();
for (const [id, t] of self) {
  const n = byId.get(id);
  const cf = n.callFrame;
  const key = `${cf.functionName || "(anon)"} ${short(cf.url)}:${cf.lineNumber + 1}`;
  fnSelf.set(key, (fnSelf.get(key) ?? 0) + t);
  const f = short(cf.url) || `(${cf.functionName})`;
  fileSelf.set(f, (fileSelf.get(f) ?? 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const u = short(byId.get(cur).callFrame.url) || `(${byId.get(cur).callFrame.functionName})`;
    if (!seen.has(u)) {
      seen.add(u);
      fileTotal.set(u, (fileTotal.get(u) ?? 0) + t);
    }
  }
}
const show = (title, map) => {
  console.log(`\n== ${title} (of ${(total / 1000).toFixed(0)} ms)`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
};
show("self by function", fnSelf);
show("self by file", fileSelf);
show("total by file", fileTotal);
