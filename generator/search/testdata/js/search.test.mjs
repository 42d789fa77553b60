// Tests of themes/default/static/js/search.js (and search-page.js) against the vectors and the
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
const sp = require(new URL('../../../../themes/default/static/js/search-page.js', here).pathname);
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
        ...(r.related ? { Related: r.related } : {}),
      })), want, `results for ${JSON.stringify(q.q)}`);
      if (want.length === 0) {
        assert.deepEqual(await sp.suggester(s, searcher)(q.q), q.suggest || [], `suggestions for ${JSON.stringify(q.q)}`);
      }
    }
  });
}

test('snippet pieces are plain text, never markup', () => {
  const pieces = s.snippet('<b>海外仓</b> & more', s.parseQuery('海外仓').phrases);
  assert.deepEqual(pieces, [
    { text: '<b>', mark: false }, { text: '海外仓', mark: true }, { text: '</b> & more', mark: false },
  ]);
});

// A DOM just large enough for init(): enough to check the page's wiring
// (location → query, submit → pushState, popstate → query, rendering with
// text nodes, the live status line).
function fakePage(files, search) {
  const listeners = {};
  function node(tag) {
    return {
      tag, children: [], attrs: {}, className: '', parentNode: null, _text: '',
      get textContent() { return this._text + this.children.map((c) => c.textContent).join(''); },
      set textContent(t) { this._text = t; this.children = []; },
      appendChild(c) { c.parentNode = this; this.children.push(c); return c; },
      insertBefore(c) { return this.appendChild(c); },
      get nextSibling() { return null; },
      setAttribute(k, v) { this.attrs[k] = v; },
      getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; },
      addEventListener(type, f) { (this.listeners ||= {})[type] = f; },
      remove() {},
    };
  }
  const main = node('main');
  const els = {
    'search-form': node('form'), 'search-input': node('input'),
    'search-results': node('ol'), 'search-status': node('div'), 'search-help': node('div'),
  };
  main.appendChild(els['search-results']);
  const pushed = [], replaced = [], timers = new Map();
  let timerID = 0;
  const moveTo = (url) => { const i = url.indexOf('?'); win.location.search = i < 0 ? '' : url.slice(i); };
  const doc = {
    getElementById: (id) => els[id] || null,
    createElement: node,
    createTextNode: (t) => ({ textContent: t, tag: '#text' }),
    documentElement: node('html'),
  };
  const win = {
    location: { search, pathname: '/search/' },
    history: {
      pushState: (st, t, url) => { pushed.push(url); moveTo(url); },
      replaceState: (st, t, url) => { replaced.push(url); moveTo(url); },
    },
    setTimeout: (f) => { timers.set(++timerID, f); return timerID; },
    clearTimeout: (id) => { timers.delete(id); },
    addEventListener: (type, f) => { listeners[type] = f; },
    fetch: async (url) => {
      const p = url.replace(/^\//, '');
      return p in files ? { ok: true, json: async () => JSON.parse(files[p]) } : { ok: false, status: 404 };
    },
    console,
  };
  // type sets the box's text and lets the typing pause run out.
  function type(text) {
    els['search-input'].value = text;
    els['search-input'].listeners.input();
    const due = [...timers.values()];
    timers.clear();
    due.forEach((f) => f());
  }
  return { doc, win, els, pushed, replaced, listeners, type };
}

async function settle(status) {
  for (let i = 0; i < 100 && (status.textContent === '正在搜索…'); i++) await new Promise((r) => setImmediate(r));
}

test('the search page runs ?q=, pushes state on submit and restores on popstate', async () => {
  const page = fakePage(golden.indexes.sharded.files, '?q=' + encodeURIComponent('海外仓'));
  sp.init(s, page.doc, page.win);
  const { els } = page;
  await settle(els['search-status']);
  assert.equal(els['search-input'].value, '海外仓');
  assert.equal(els['search-status'].textContent, '找到 2 条结果');
  const items = els['search-results'].children;
  assert.equal(items.length, 2);
  assert.equal(items[1].children[0].attrs.href, '/topics/opening-up/');
  const marks = items[1].children[1].children.filter((c) => c.tag === 'mark');
  assert.deepEqual(marks.map((m) => m.textContent), ['海外仓', '海外仓']);

  els['search-input'].value = '<script>';
  let prevented = false;
  els['search-form'].listeners.submit({ preventDefault() { prevented = true; } });
  await settle(els['search-status']);
  assert.ok(prevented);
  assert.deepEqual(page.pushed, ['/search/?q=%3Cscript%3E']);
  assert.equal(els['search-results'].children.length, 1);
  // The page title "<script>…" is text, never markup.
  assert.equal(els['search-results'].children[0].children[1].textContent, '<script>alert(1)</script>');

  page.win.location.search = '?q=' + encodeURIComponent('不存在的短语');
  page.listeners.popstate();
  await settle(els['search-status']);
  assert.equal(els['search-input'].value, '不存在的短语');
  assert.equal(els['search-status'].textContent, '没有找到与“不存在的短语”相关的结果');
  assert.equal(els['search-results'].children.length, 0);
});

// help waits for the suggestions under a query without results.
async function suggestions(help) {
  const links = () => help.children[0].children.filter((c) => c.tag === 'a');
  for (let i = 0; i < 200 && links().length === 0; i++) await new Promise((r) => setImmediate(r));
  return links();
}

test('typing searches at a pause, keeps one history entry, labels synonyms and suggests on no result', async () => {
  const page = fakePage(golden.indexes['paged-sharded'].files, '?q=' + encodeURIComponent('海外仓'));
  sp.init(s, page.doc, page.win);
  const { els } = page;
  await settle(els['search-status']);
  assert.deepEqual(page.pushed, []);

  page.type('環境');
  await settle(els['search-status']);
  assert.deepEqual(page.pushed, ['/search/?q=' + encodeURIComponent('環境')]);
  assert.equal(els['search-status'].textContent, '找到 1 条结果');
  page.type('看病');
  await settle(els['search-status']);
  assert.equal(page.pushed.length, 1, 'typing on replaces the entry typing made');
  assert.deepEqual(page.replaced, ['/search/?q=' + encodeURIComponent('看病')]);
  assert.equal(els['search-status'].textContent, '找到 2 条结果');
  const first = els['search-results'].children[0];
  assert.equal(first.children.find((c) => c.className === 'search-result-related').textContent, '相关词：医疗');

  page.type('湿地公园建设');
  await settle(els['search-status']);
  assert.equal(els['search-status'].textContent, '没有找到与“湿地公园建设”相关的结果');
  const help = els['search-help'];
  assert.equal(help.hidden, false);
  const links = await suggestions(help);
  assert.deepEqual(links.map((a) => a.textContent), ['湿地公园 建设', '湿地公园', '建设']);
  assert.equal(links[1].attrs.href, '/search/?q=' + encodeURIComponent('湿地公园'));
  assert.ok(help.children[1].children.some((c) => c.tag === 'a' && c.attrs.href === '#browse-title'));
  assert.ok(!help.children[1].children.some((c) => c.tag === 'a' && c.attrs.href === '/targets/'), 'no targets, no link');

  // A suggestion takes the typed query's entry; a submit then gets one of
  // its own.
  links[1].listeners.click({ preventDefault() {} });
  await settle(els['search-status']);
  assert.equal(els['search-input'].value, '湿地公园');
  assert.equal(els['search-status'].textContent, '找到 1 条结果');
  assert.equal(help.hidden, true);
  assert.equal(page.pushed.length, 1);
  assert.equal(page.replaced.at(-1), '/search/?q=' + encodeURIComponent('湿地公园'));
  els['search-input'].value = '医疗';
  els['search-form'].listeners.submit({ preventDefault() {} });
  await settle(els['search-status']);
  assert.deepEqual(page.pushed.at(-1), '/search/?q=' + encodeURIComponent('医疗'));

  // A site with targets says so on the help (data-targets): linked too.
  help.setAttribute('data-targets', '/targets/');
  page.type('蓝天保卫站');
  await settle(els['search-status']);
  assert.ok(help.children[1].children.some((c) => c.tag === 'a' && c.attrs.href === '/targets/'));
});

test('a manifest of another format is refused, not misread', async () => {
  const files = golden.indexes.sharded.files;
  const old = JSON.stringify({ ...JSON.parse(files['search/manifest.json']), v: 2 });
  const searcher = s.createSearcher(async (p) => JSON.parse(p === 'search/manifest.json' ? old : files[p]));
  await assert.rejects(searcher.run('海外仓'), /format 2, not 3/);
});

test('traditional and simplified fold alike; phrase pairs give variants (shared vectors)', () => {
  const fv = JSON.parse(readFileSync(new URL('../fold_vectors.json', here), 'utf8'));
  const str = (cps) => String.fromCodePoint(...cps);
  for (const v of fv.chars) assert.equal(str(s.fold(v.in).cps), v.fold, `fold(${JSON.stringify(v.in)})`);
  for (const v of fv.phrases) {
    assert.deepEqual(s.variants(s.fold(v.in).cps).map(str), v.variants, `variants(${JSON.stringify(v.in)})`);
  }
});
