// Prints the per-query comparison of pagefind.mjs's output as Markdown.
//   node table.mjs <both.json>
import { readFileSync } from 'node:fs';

const d = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) * p)]; };
const kib = (b) => (b / 1024).toFixed(0) + ' KiB';
const rows = [];
for (const [label, sel] of [['2 characters', (q) => [...q.q].length === 2], ['3–5 characters', (q) => [...q.q].length > 2]]) {
  const qs = d.queries.filter(sel);
  for (const [name, k] of [['plansite', 'plansite'], ['Pagefind', 'pagefind']]) {
    const b = qs.map((q) => q[k].gzipBytes), r = qs.map((q) => q[k].requests);
    const truth = qs.reduce((a, q) => a + q.pages.length, 0), found = qs.reduce((a, q) => a + q[k].pages, 0);
    const extra = qs.reduce((a, q) => a + (k === 'plansite' ? q[k].falseResults : q[k].otherResults), 0);
    rows.push(`| ${label} (${qs.length}) | ${name} | ${kib(pct(b, 0.5))} / ${kib(pct(b, 0.9))} / ${kib(Math.max(...b))} | ${pct(r, 0.5)}–${Math.max(...r)} | ${(100 * found / truth).toFixed(1)} % | ${extra} |`);
  }
}
console.log('| queries | engine | gzip per query p50 / p90 / max | requests | page recall | results without the phrase |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
console.log(rows.join('\n'));
console.log(`\nplansite index: ${d.files} files, ${(d.bytes / 1048576).toFixed(1)} MiB; pagefind.js ${kib(d.pagefindJS)} gzip (not in the per-query bytes)`);
