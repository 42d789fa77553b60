// plansite search: the browser half of generator/search.
//
// The tokenizer, ranking and snippets below are a line-for-line copy of
// the Go package (fold.go, tsfold.go, tokenize.go, query.go, expand.go,
// snippet.go; search-page.js has suggest.go); the shared vectors in
// generator/search/testdata keep the two from drifting. The index format
// is described in generator/search/doc.go.
//
// Loaded as a classic script (<script src="/js/search.js" defer>) after
// search-fold.js, it sets window.plansiteSearch, which search-page.js
// wires to the search page; under node, require() returns the functions.
(function () {
  'use strict';

  var RE_MARK = /\p{M}/u;
  var RE_HAN = /\p{Script=Han}/u;
  var RE_DIGIT = /\p{Nd}/u;
  var RE_WORD = /[\p{L}\p{N}\p{M}]/u;

  var OTHER = 0, HAN = 1, WORD = 2, DIGIT = 3;

  // The traditional-to-simplified table (search-fold.js, generated from
  // OpenCC's dictionaries as tsfold.go's is): TS[cp - 0x3400] is the
  // folded form of cp, less 0x3400, plus one; 0 where cp folds to itself.
  // PAIRS lists the phrase pairs a query looks for either way.
  var FOLD = typeof module !== 'undefined' && module.exports ? require('./search-fold.js') :
    (typeof window !== 'undefined' && window.plansiteFold) || { chars: '', phrases: '' };
  var TS = new Uint16Array(0x9fff - 0x3400 + 1);
  for (var ti = 0; ti + 1 < FOLD.chars.length; ti += 2) {
    TS[FOLD.chars.charCodeAt(ti) - 0x3400] = FOLD.chars.charCodeAt(ti + 1) - 0x3400 + 1;
  }
  // PAIR_STARTS holds the first code point of every phrase of PAIRS: a
  // query holding none has no variants.
  var PAIRS = [], PAIR_STARTS = new Set();
  (function () {
    var f = FOLD.phrases ? FOLD.phrases.split(' ') : [];
    function cps(x) { return Array.from(x).map(function (c) { return c.codePointAt(0); }); }
    for (var i = 0; i + 1 < f.length; i += 2) {
      var p = [cps(f[i]), cps(f[i + 1])];
      PAIRS.push(p);
      PAIR_STARTS.add(p[0][0]);
      PAIR_STARTS.add(p[1][0]);
    }
  })();

  function simplify(cp) {
    var v = TS[cp - 0x3400];
    return v ? v + 0x3400 - 1 : cp;
  }

  function isMark(cp) {
    if (cp < 0x300 || (cp >= 0x3400 && cp <= 0x9fff) || (cp >= 0xff00 && cp <= 0xff9d)) return false;
    return RE_MARK.test(String.fromCodePoint(cp));
  }

  function lower(cp) {
    if (cp < 0x80) return cp >= 65 && cp <= 90 ? cp + 32 : cp;
    if (cp >= 0x3400 && cp <= 0x9fff) return simplify(cp);
    if (cp === 0x130) return 0x69; // JS gives "i̇"; Go's simple mapping gives "i"
    return String.fromCodePoint(cp).toLowerCase().codePointAt(0);
  }

  // fold returns the folded code points of s (NFKC per chunk, then lower
  // case per code point) and, for each, the UTF-16 range of its chunk in s.
  function fold(s) {
    var cps = [], starts = [], ends = [];
    var i = 0, n = s.length;
    while (i < n) {
      var cp = s.codePointAt(i);
      var j = i + (cp > 0xffff ? 2 : 1);
      var base = j;
      while (j < n) {
        var m = s.codePointAt(j);
        if (!isMark(m)) break;
        j += m > 0xffff ? 2 : 1;
      }
      var before = cps.length;
      if (j === base && cp < 0x80) cps.push(lower(cp));
      else if (j === base && cp >= 0x3400 && cp <= 0x9fff) cps.push(simplify(cp));
      else {
        var norm = s.slice(i, j).normalize('NFKC');
        for (var k = 0; k < norm.length; ) {
          var c = norm.codePointAt(k);
          cps.push(lower(c));
          k += c > 0xffff ? 2 : 1;
        }
      }
      for (var t = before; t < cps.length; t++) { starts.push(i); ends.push(j); }
      i = j;
    }
    return { cps: cps, starts: starts, ends: ends };
  }

  function classify(cp) {
    if (cp < 0x80) {
      if (cp >= 48 && cp <= 57) return DIGIT;
      if ((cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90)) return WORD;
      return OTHER;
    }
    if (cp >= 0x4e00 && cp <= 0x9fff) return HAN;
    if ((cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x3000 && cp <= 0x3004) || (cp >= 0x3008 && cp <= 0x3020)) return OTHER;
    var ch = String.fromCodePoint(cp);
    if (RE_HAN.test(ch)) return HAN;
    if (RE_DIGIT.test(ch)) return DIGIT;
    if (RE_WORD.test(ch)) return WORD;
    return OTHER;
  }

  function isWordCP(cp) {
    var c = classify(cp);
    return c === WORD || c === DIGIT;
  }

  function wordEnd(cps, i) {
    var j = i + 1;
    while (j < cps.length) {
      var c = classify(cps[j]);
      if (c === WORD || c === DIGIT) j++;
      else if ((cps[j] === 46 || cps[j] === 44) && classify(cps[j - 1]) === DIGIT &&
        j + 1 < cps.length && classify(cps[j + 1]) === DIGIT) j += 2;
      else return j;
    }
    return j;
  }

  // scan calls emit(start, end) for every token of the folded cps.
  function scan(cps, emit) {
    for (var i = 0; i < cps.length; ) {
      var c = classify(cps[i]);
      if (c === HAN) {
        var j = i + 1;
        while (j < cps.length && classify(cps[j]) === HAN) j++;
        if (j - i === 1) emit(i, j);
        for (var k = i; k + 1 < j; k++) emit(k, k + 2);
        i = j;
      } else if (c === WORD || c === DIGIT) {
        var e = wordEnd(cps, i);
        emit(i, e);
        i = e;
      } else i++;
    }
  }

  function str(cps, a, b) {
    return String.fromCodePoint.apply(null, cps.slice(a, b));
  }

  // tokens returns [{text, pos}] as Go's search.Tokens does.
  function tokens(s) {
    var cps = fold(s).cps, out = [];
    scan(cps, function (a, b) { out.push({ text: str(cps, a, b), pos: a }); });
    return out;
  }

  // fnv32 is FNV-1a over the UTF-8 bytes of s: the token-to-shard hash.
  var encoder = new TextEncoder();
  function fnv32(s) {
    var b = encoder.encode(s), h = 0x811c9dc5;
    for (var i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 16777619) >>> 0;
    return h >>> 0;
  }

  // parseQuery returns the distinct tokens and the phrases (runs of
  // adjacent tokens) of q; exact is true when every phrase is one token,
  // so the posting lists alone give the exact result set.
  function parseQuery(q) {
    return parseFolded(fold(q).cps);
  }

  // parseFolded parses a query already folded; at[i] is where phrase i
  // starts in cps.
  function parseFolded(cps) {
    var seen = {}, out = { tokens: [], phrases: [], at: [], exact: true };
    var start = -1, end = -1, count = 0;
    function flush() {
      out.phrases.push(cps.slice(start, end));
      out.at.push(start);
      if (count > 1) out.exact = false;
      start = -1;
    }
    scan(cps, function (s, e) {
      var t = str(cps, s, e);
      if (!Object.prototype.hasOwnProperty.call(seen, t)) { seen[t] = true; out.tokens.push(t); }
      if (start >= 0 && s > end) flush();
      if (start < 0) { start = s; count = 0; }
      count++;
      end = e;
    });
    if (start >= 0) flush();
    return out;
  }

  // variants returns the folded query cps and, for each phrase pair one
  // side of which it holds, cps with that side replaced by the other
  // (计划 and 计画), at most MAX_VARIANTS in all (expand.go).
  var MAX_VARIANTS = 4;
  function replacePhrase(cps, from, to) {
    var out = null;
    for (var i = 0; i + from.length <= cps.length; i++) {
      var k = 0;
      while (k < from.length && cps[i + k] === from[k]) k++;
      if (k < from.length) continue;
      if (!out) out = cps.slice();
      for (var j = 0; j < to.length; j++) out[i + j] = to[j];
      i += from.length - 1;
    }
    return out;
  }
  function variants(cps) {
    var out = [cps];
    if (!cps.some(function (c) { return PAIR_STARTS.has(c); })) return out;
    for (var i = 0; i < PAIRS.length; i++) {
      for (var k = 0; k < 2; k++) {
        if (out.length === MAX_VARIANTS) return out;
        var v = replacePhrase(cps, PAIRS[i][k], PAIRS[i][1 - k]);
        if (v) out.push(v);
      }
    }
    return out;
  }

  function joins(cps, i, before) {
    if (isWordCP(cps[i])) return true;
    if (cps[i] !== 46 && cps[i] !== 44) return false;
    var o = before ? i - 1 : i + 1;
    return o >= 0 && o < cps.length && classify(cps[o]) === DIGIT && classify(cps[2 * i - o]) === DIGIT;
  }

  function matchAt(cps, ph, p) {
    var n = ph.length;
    if (n === 0 || p + n > cps.length) return false;
    for (var k = 0; k < n; k++) if (cps[p + k] !== ph[k]) return false;
    if (isWordCP(ph[0]) && p > 0 && joins(cps, p - 1, true)) return false;
    return !(isWordCP(ph[n - 1]) && p + n < cps.length && joins(cps, p + n, false));
  }

  function indexPhrase(cps, ph, from) {
    for (var p = from; p + ph.length <= cps.length; p++) if (matchAt(cps, ph, p)) return p;
    return -1;
  }

  var SNIPPET_BEFORE = 16, SNIPPET_LEN = 80, PAGE = 10;

  // snippet returns [{text, mark}] pieces of text around the first match.
  function snippet(text, phrases) {
    var f = fold(text), cps = f.cps;
    if (cps.length === 0) return [];
    var marks = [], end = cps.length;
    for (var p = 0; p < end; ) {
      if (phrases.length === 1 && phrases[0].length > 0) {
        while (p < end && cps[p] !== phrases[0][0]) p++;
        if (p === end) break;
      }
      var best = 0;
      for (var i = 0; i < phrases.length; i++) {
        if (phrases[i].length > best && matchAt(cps, phrases[i], p)) best = phrases[i].length;
      }
      if (best === 0) { p++; continue; }
      if (marks.length === 0) end = Math.min(cps.length, Math.max(0, p - SNIPPET_BEFORE) + SNIPPET_LEN);
      marks.push([p, p + best]);
      p += best;
    }
    var first = marks.length ? marks[0][0] : 0;
    var lo = Math.max(0, first - SNIPPET_BEFORE), hi = Math.min(cps.length, lo + SNIPPET_LEN);
    var out = [];
    if (f.starts[lo] > 0) out.push({ text: '…', mark: false });
    var at = f.starts[lo];
    for (var m = 0; m < marks.length && marks[m][0] < hi; m++) {
      var ms = Math.max(f.starts[marks[m][0]], at), me = f.ends[Math.min(marks[m][1], hi) - 1];
      if (ms > at) out.push({ text: text.slice(at, ms), mark: false });
      if (me > ms) out.push({ text: text.slice(ms, me), mark: true });
      at = Math.max(at, me);
    }
    var end = f.ends[hi - 1];
    if (end > at) { out.push({ text: text.slice(at, end), mark: false }); at = end; }
    if (at < text.length) out.push({ text: '…', mark: false });
    return out;
  }

  function matchesDoc(d, phrases) {
    var fields = [d[2], d[3]];
    if (d[4] === 1) fields.push(d[1]);
    var folded = fields.map(function (x) { return fold(x).cps; });
    return phrases.every(function (ph) {
      return folded.some(function (cps) { return indexPhrase(cps, ph, 0) >= 0; });
    });
  }

  // readPostings reads a token entry's postings string: for each posting
  // a weight and a gap, numbers of five-bit digits (POSTING_DIGITS), least
  // significant first, a digit of 32 or more saying another follows.
  var POSTING_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
  var DIGIT_VALUE = (function () {
    var t = {};
    for (var i = 0; i < POSTING_DIGITS.length; i++) t[POSTING_DIGITS.charCodeAt(i)] = i;
    return t;
  })();
  function readPostings(idf, s) {
    var docs = [], wts = [], doc = 0, i = 0, n = 0;
    while (i < s.length) {
      for (var f = 0; f < 2; f++) {
        var v = 0, mul = 1, d;
        do { d = DIGIT_VALUE[s.charCodeAt(i++)]; v += (d & 31) * mul; mul *= 32; } while (d >= 32);
        if (f === 0) wts[n] = v; else { doc += v; docs[n++] = doc; }
      }
    }
    return { idf: idf, docs: docs, wts: wts };
  }

  // shardPath is the path of shard n of a kind ('t', 'd' or 'r'):
  // 64 shards to a folder (shardName in build.go).
  function shardPath(m, kind, n) {
    return m.dir + kind + Math.floor(n / 64) + '/' + n + '.json';
  }

  // createSearcher returns {run(q)} over an index read with load(path),
  // which resolves to the parsed JSON of a file under the site root.
  function createSearcher(load) {
    var cache = {};
    // get loads path once; a failed load is forgotten so a retry refetches.
    function get(path) {
      if (!cache[path]) {
        cache[path] = Promise.resolve(load(path)).catch(function (err) {
          delete cache[path];
          throw err;
        });
      }
      return cache[path];
    }
    // getManifest rejects a manifest of another format than this script
    // reads, as a page cached from before the site was rebuilt may meet.
    function getManifest() {
      return get('search/manifest.json').then(function (m) {
        if (m.v !== 3) throw new Error('search/manifest.json: format ' + m.v + ', not 3');
        return m;
      });
    }
    function getToken(m, t) {
      if (m.tokens) return Promise.resolve(m.tokens[t]);
      return get(shardPath(m, 't', fnv32(t) % m.ts)).then(function (s) { return s[t]; });
    }
    function getDoc(m, id) {
      if (m.docs) return Promise.resolve(m.docs[id]);
      var n = Math.floor(id / m.dk);
      return get(shardPath(m, 'd', n)).then(function (s) { return s[id - n * m.dk]; });
    }

    // candidates resolves to the ranked candidates of pq from the token
    // shards.
    function candidates(m, pq) {
      return Promise.all(pq.tokens.map(function (t) { return getToken(m, t); })).then(function (entries) {
        if (entries.some(function (e) { return !e; })) return [];
        return intersect(entries.map(function (e) { return readPostings(e[0], e[1]); }));
      });
    }

    // run resolves to {total, exact, results, more()}: results is the first
    // page; more() resolves to the next page (empty when done). A result
    // found through a synonym has related set to it. The query runs as
    // its variants, then its synonyms' related words (expand.go).
    function run(q) {
      var cps = fold(q).cps;
      var runs = variants(cps).map(function (v) { return { pq: parseFolded(v), related: '' }; });
      if (runs[0].pq.tokens.length === 0) return Promise.resolve(session([], runs[0].pq, null));
      return getManifest().then(function (m) {
        var key = str(cps, 0, cps.length).trim();
        if (runs.length === 1 && !hasSynonyms(m, key)) return run1(m, runs[0].pq);
        return combined(m, runs, key);
      });
    }

    // hasSynonyms reports whether key may have synonyms, without fetching:
    // a small index has them in the manifest, a sharded one sets the
    // key's bit in m.sb and keeps them in syn.json (synonyms.go).
    function hasSynonyms(m, key) {
      if (m.syn) return Object.prototype.hasOwnProperty.call(m.syn, key);
      if (!m.sb) return false;
      var i = fnv32(key) % 1024, d = parseInt(m.sb.charAt(i >> 2), 16);
      return ((d >> (i & 3)) & 1) === 1;
    }
    function synonyms(m, key) {
      if (!hasSynonyms(m, key)) return Promise.resolve([]);
      var syn = m.syn ? Promise.resolve(m.syn) : get(m.dir + 'syn.json');
      return syn.then(function (all) {
        return Object.prototype.hasOwnProperty.call(all, key) ? all[key] : [];
      });
    }

    // run1 is run for one parsed query.
    function run1(m, pq) {
      // A one-token query's first page is in its result shard if the
      // token is Han (hasResults in tops.go); the posting lists are read
      // only for the pages after it.
      if (!m.tokens && m.rs && pq.tokens.length === 1 && pq.exact &&
          classify(pq.tokens[0].codePointAt(0)) === HAN) {
        var t = pq.tokens[0];
        return get(shardPath(m, 'r', fnv32(t) % m.rs)).then(function (shard) {
          var e = shard[t];
          if (!e) return session([], pq, m);
          return topSession(e, pq, m);
        });
      }
      return candidates(m, pq).then(function (cands) { return session(cands, pq, m); });
    }

    // combined is the session of several runs: their results in turn, a
    // section already shown not repeated, a run started only when the
    // page is not full; the synonyms of key are looked up once the
    // query's own runs are done. Until every run is done, total is the
    // sum of the totals of the runs started, an estimate.
    function combined(m, runs, key) {
      var i = -1, cur = null, pending = [], seen = {}, count = 0, synDone = false;
      var s = { total: 0, exact: false, results: [] };
      function label(rs) {
        var related = runs[i].related;
        return rs.map(function (r) { if (related) r.related = related; return r; });
      }
      // next resolves to true once pending holds results, false when all
      // runs are done.
      function next() {
        if (pending.length) return Promise.resolve(true);
        if (cur) {
          return cur.more().then(function (rs) {
            if (rs.length) { pending = label(rs); return true; }
            cur = null;
            return next();
          });
        }
        if (i + 1 >= runs.length) {
          if (synDone) return Promise.resolve(false);
          synDone = true;
          return synonyms(m, key).then(function (words) {
            words.forEach(function (w) { runs.push({ pq: parseQuery(w), related: w }); });
            return next();
          });
        }
        i++;
        return run1(m, runs[i].pq).then(function (r) {
          s.total += r.total;
          cur = r;
          pending = label(r.results);
          return next();
        });
      }
      s.more = function () {
        var out = [];
        function step() {
          if (out.length >= PAGE) return Promise.resolve(out);
          return next().then(function (more) {
            if (!more) { s.exact = true; s.total = count; return out; }
            while (out.length < PAGE && pending.length) {
              var r = pending.shift();
              if (Object.prototype.hasOwnProperty.call(seen, r.url)) continue;
              seen[r.url] = true;
              count++;
              out.push(r);
            }
            return step();
          });
        }
        return step();
      };
      return s.more().then(function (first) { s.results = first; return s; });
    }

    // topSession is a session whose first page comes from a result entry
    // [total, [[url, pageTitle, title, pieces], …]]; pieces alternate plain
    // and marked text.
    function topSession(e, pq, m) {
      var results = e[1].map(function (r) {
        var snip = [];
        r[3].forEach(function (text, k) { if (text) snip.push({ text: text, mark: k % 2 === 1 }); });
        return { url: r[0], pageTitle: r[1], title: r[2], snippet: snip };
      });
      var rest = null;
      var s = {
        total: e[0], exact: true, results: results,
        more: function () {
          if (results.length >= e[0]) return Promise.resolve([]);
          if (!rest) {
            rest = candidates(m, pq).then(function (cands) {
              return pager(cands, pq, m, results.length, { exact: true });
            });
          }
          return rest.then(function (more) { return more(); });
        }
      };
      return s;
    }

    function intersect(lists) {
      lists.sort(function (a, b) { return a.docs.length - b.docs.length; });
      var cands = [], pos = lists.map(function () { return 0; });
      var first = lists[0];
      outer: for (var i = 0; i < first.docs.length; i++) {
        var id = first.docs[i], w = first.wts[i];
        var score = first.idf * (w >> 1), titles = w & 1;
        for (var k = 1; k < lists.length; k++) {
          var l = lists[k], lo = pos[k], hi = l.docs.length;
          while (lo < hi) { var mid = (lo + hi) >>> 1; if (l.docs[mid] < id) lo = mid + 1; else hi = mid; }
          pos[k] = lo;
          if (lo >= l.docs.length) break outer;
          if (l.docs[lo] !== id) continue outer;
          var wk = l.wts[lo];
          score += l.idf * (wk >> 1);
          titles += wk & 1;
        }
        cands.push({ id: id, score: score, titleAll: titles === lists.length });
      }
      cands.sort(function (a, b) {
        if (a.titleAll !== b.titleAll) return a.titleAll ? -1 : 1;
        if (a.score !== b.score) return b.score - a.score;
        return a.id - b.id;
      });
      return cands;
    }

    function session(cands, pq, m) {
      var s = { total: cands.length, exact: pq.exact, results: [] };
      s.more = pager(cands, pq, m, 0, s);
      return s.more().then(function (first) { s.results = first; return s; });
    }

    // pager returns more(), which verifies candidates in rank order from
    // cands[from] until a page is full, updating s.exact and s.total when
    // the last one is verified. The document shards of a page are fetched
    // in parallel.
    function pager(cands, pq, m, from, s) {
      var next = from, verified = from;
      return function more() {
        var out = [];
        function step() {
          if (out.length >= PAGE || next >= cands.length) {
            if (next >= cands.length && !s.exact) { s.exact = true; s.total = verified; }
            return Promise.resolve(out);
          }
          var batch = cands.slice(next, next + PAGE - out.length);
          next += batch.length;
          return Promise.all(batch.map(function (c) { return getDoc(m, c.id); })).then(function (docs) {
            docs.forEach(function (d) {
              if (!d || !matchesDoc(d, pq.phrases)) return;
              verified++;
              out.push({ url: d[0], pageTitle: d[1], title: d[2], snippet: snippet(d[3], pq.phrases) });
            });
            return step();
          });
        }
        return step();
      };
    }

    // The loaders are the searcher's too, for the suggestions of
    // search-page.js.
    return { run: run, run1: run1, manifest: getManifest, token: getToken, doc: getDoc };
  }



  var api = {
    fold: fold, tokens: tokens, fnv32: fnv32, classify: classify, parseQuery: parseQuery, parseFolded: parseFolded,
    variants: variants, readPostings: readPostings, HAN: HAN,
    snippet: snippet, createSearcher: createSearcher, PAGE: PAGE,
    search: function (q, base) {
      var b = base || (typeof document !== 'undefined' && document.documentElement.getAttribute('data-base')) || '/';
      return createSearcher(function (p) {
        return fetch(b + p).then(function (r) { return r.json(); });
      }).run(q);
    }
  };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  else window.plansiteSearch = api;
})();
