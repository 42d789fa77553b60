// Tests of themes/default/static/js/search.js against the vectors and the
// query golden file that the Go tests of generator/search also check.
// Run: node --test generator/search/testdata/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const here = new URL('.', import.meta.url);
const s = require(new URL('../../../../themes/default/static/js/search.js', here).pathname);
const vectors = JSON.parse(readFileSync(new URL('../tokenizer_vectors.json', here), 'utf8'));
const golden = JSON.parse(readFileSync(new URL('../query_golden.json', here), 'utf8'));

test('tokens match the shared vectors', () => {
  for (const v of vectors.tokens) {
    const got = s.tokens(v.in).map((t) => [t.text, t.pos]);
    assert.deepEqual(got, v.want, `tokens(${JSON.stringify(v.in)})`);
  }
});

test('hashes match the shared vectors', () => {
  for (const [k, want] of Object.entries(vectors.hashes)) {
    assert.equal(s.fnv32(k), want, `fnv32(${JSON.stringify(k)})`);
  }
});

test('fold and classify agree with Go over the digest ranges', () => {
  const h = createHash('sha256');
  for (const [lo, hi] of vectors.foldRanges) {
    for (let r = lo; r <= hi; r++) {
      if (r >= 0xd800 && r < 0xe000) continue;
      const f = s.fold(String.fromCodePoint(r)).cps;
      h.update(r.toString(16) + ' ' + s.classify(r) + f.map((c) => ' ' + c.toString(16)).join('') + '\n');
    }
  }
  assert.equal(h.digest('hex'), vectors.foldDigest);
});

function escapeHTML(t) {
  // Go's html.EscapeString.
  return t.replace(/[&'<>"]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;' })[c]);
}

for (const [name, index] of Object.entries(golden.indexes)) {
  test(`queries on the ${name} index match Go`, async () => {
    const fetched = [];
    const searcher = s.createSearcher(async (p) => {
      fetched.push(p);
      if (!(p in index.files)) throw new Error('no file ' + p);
      return JSON.parse(index.files[p]);
    });
    for (const q of golden.queries) {
      const want = q.results[name];
      const got = await searcher.run(q.q);
      const all = [...got.results];
      for (let more = await got.more(); more.length; more = await got.more()) all.push(...more);
      assert.equal(got.total, want.length, `total for ${JSON.stringify(q.q)}`);
      assert.deepEqual(all.map((r) => ({
        URL: r.url, PageTitle: r.pageTitle, Title: r.title,
        Snippet: r.snippet.map((x) => (x.mark ? '<mark>' + escapeHTML(x.text) + '</mark>' : escapeHTML(x.text))).join(''),
      })), want, `results for ${JSON.stringify(q.q)}`);
    }
  });
}

test('snippet pieces are plain text, never markup', () => {
  const pieces = s.snippet('<b>海外仓</b> & more', s.parseQuery('海外仓').phrases);
  assert.deepEqual(pieces, [
    { text: '<b>', mark: false }, { text: '海外仓', mark: true }, { text: '</b> & more', mark: false },
  ]);
});
