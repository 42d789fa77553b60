// Pagefind's side of the search comparison (see compare.sh): runs every
// query of the plansite result file through Pagefind's own JS API in node,
// with a fetch that reads the index from disk and counts requests and
// bytes, and adds the figures to the file.
//
//   node pagefind.mjs <site with pagefind/> <plansite.json> <out.json>
//
// Bytes are what a server sends: Pagefind's .pf_* files are gzip already
// and are counted as stored; JSON and JavaScript are counted gzip -6.
// "First page" is what a first visit costs: Pagefind's init, the search,
// then the fragments of the first ten results (pagefind.js itself, like
// plansite's search.js, is counted apart).
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { gzipSync, gunzipSync } from 'node:zlib';
import { pathToFileURL, fileURLToPath } from 'node:url';
import path from 'node:path';

const [site, inFile, outFile] = process.argv.slice(2);
const data = JSON.parse(readFileSync(inFile, 'utf8'));
const root = path.resolve(site);

let requests = 0, bytes = 0;
globalThis.fetch = async (input) => {
  const u = new URL(String(input), pathToFileURL(root + '/pagefind/'));
  const file = fileURLToPath(u.protocol === 'file:' ? u : new URL('file://' + root + u.pathname));
  const b = readFileSync(file);
  requests++;
  bytes += /\.(json|js|mjs|css)$/.test(file) ? gzipSync(b, { level: 6 }).length : b.length;
  return new Response(b, { status: 200 });
};

// Each query gets a fresh module instance (a new page load in a browser):
// its cost includes Pagefind's entry file, metadata and WebAssembly, as
// plansite's includes its manifest.
const js = pathToFileURL(path.join(root, 'pagefind', 'pagefind.js')).href;
let instances = 0;

// id → page URL, read straight from the fragments (not counted: only
// needed to score recall over all results).
const urlOf = new Map();
function pageURL(id) {
  if (!urlOf.has(id)) {
    const f = JSON.parse(gunzipSync(readFileSync(path.join(root, 'pagefind', 'fragment', id + '.pf_fragment'))).subarray(12).toString('utf8').replace(/^[^{]*/, ''));
    urlOf.set(id, f.url);
  }
  return urlOf.get(id);
}

for (const q of data.queries) {
  requests = 0; bytes = 0;
  const pf = await import(js + '?fresh=' + instances++);
  await pf.init();
  const r = await pf.search(q.q);
  await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
  const firstRequests = requests, firstBytes = bytes;
  const truth = new Set(q.pages);
  let found = 0, other = 0;
  for (const x of r.results) {
    if (truth.has(pageURL(x.id))) found++; else other++;
  }
  q.pagefind = { requests: firstRequests, gzipBytes: firstBytes, pages: found, otherResults: other, results: r.results.length };
  console.log(q.q, JSON.stringify(q.pagefind), 'truth pages', q.pages.length);
}
data.pagefindJS = gzipSync(readFileSync(path.join(root, 'pagefind', 'pagefind.js')), { level: 6 }).length;
writeFileSync(outFile, JSON.stringify(data, null, 1));
