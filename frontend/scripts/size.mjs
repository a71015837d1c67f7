// Measures the JavaScript a young person downloads for their first page (home, then "Find a
// session"): the entry chunk, the home and find route chunks and everything they import
// statically, gzipped. Fails when it passes the budget in DESIGN.md §4.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const budget = 100 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;
let manifest;
try {
  manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
} catch {
  console.error('dist/.vite/manifest.json not found: run `npm run build` first.');
  process.exit(2);
}

const firstPage = ['index.html', 'src/routes/home/HomePage.svelte', 'src/routes/sessions/FindPage.svelte'];
const files = new Set();
const css = new Set();
function walk(key) {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`no chunk for ${key} in the manifest`);
  if (files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const c of chunk.css ?? []) css.add(c);
  for (const dep of chunk.imports ?? []) walk(dep);
}
for (const key of firstPage) walk(key);

const gz = (f) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
let total = 0;
for (const f of [...files].sort()) {
  const size = gz(f);
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(7)} KB  ${f}`);
}
const cssTotal = [...css].reduce((n, f) => n + gz(f), 0);
console.log(`First page JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (budget ${budget / 1024} KB); CSS ${(cssTotal / 1024).toFixed(1)} KB gzipped.`);
if (total > budget) {
  console.error(`Over budget by ${((total - budget) / 1024).toFixed(1)} KB.`);
  process.exit(1);
}
