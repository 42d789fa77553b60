// plansite search page: wires search.js (window.plansiteSearch) to the
// page's form, status line, results and help. Loaded after search.js
// (<script src="/js/search-page.js" defer>); under node, require() returns
// {init, suggester}, which take the search.js API.
(function () {
  'use strict';

  var MAX_SUGGEST = 4, MAX_TYPOS = 2, TYPO_DOCS = 5, MAX_SUGGEST_CPS = 12;

  function str(cps, a, b) {
    return String.fromCodePoint.apply(null, cps.slice(a, b));
  }

  // suggester returns suggest(q) over a searcher of the search.js API
  // api.
  function suggester(api, searcher) {
    // suggest resolves to up to MAX_SUGGEST queries that find something,
    // for a query that finds nothing (suggest.go): for each phrase of Han
    // characters that occurs nowhere, strings of the sections one
    // character off, then the longest pieces of it that occur.
    function suggest(q) {
      var f = api.fold(q), pq = api.parseFolded(f.cps), out = [], k = 0;
      function add(x) { if (x && out.length < MAX_SUGGEST && out.indexOf(x) < 0) out.push(x); }
      if (pq.phrases.length === 0) return Promise.resolve(out);
      return searcher.manifest().then(function (m) {
        function step() {
          if (k >= pq.phrases.length) return out;
          var ph = pq.phrases[k], at = pq.at[k];
          k++;
          if (ph.length < 2 || ph.length > MAX_SUGGEST_CPS || !ph.every(function (c) { return api.classify(c) === api.HAN; })) return step();
          return occurs(m, ph).then(function (ok) {
            if (ok) return step();
            return typos(m, ph).then(function (ts) {
              ts.forEach(add);
              return pieces(m, ph);
            }).then(function (ps) {
              var typed = ps.map(function (p) { return q.slice(f.starts[at + p[0]], f.ends[at + p[1] - 1]); });
              if (typed.length > 1) add(typed.join(' '));
              typed.forEach(add);
              return step();
            });
          });
        }
        return step();
      });
    }

    function occurs(m, ph) {
      return searcher.run1(m, api.parseFolded(ph)).then(function (r) { return r.results.length > 0; });
    }

    // pieces cuts ph, which occurs nowhere, into the longest runs of two
    // or more characters that occur, from its start: [start, end) pairs.
    function pieces(m, ph) {
      var out = [];
      function from(i) {
        if (i + 1 >= ph.length) return Promise.resolve(out);
        function tryEnd(j) {
          if (j < i + 2) return from(i + 1);
          return occurs(m, ph.slice(i, j)).then(function (ok) {
            if (!ok) return tryEnd(j - 1);
            out.push([i, j]);
            return from(j);
          });
        }
        return tryEnd(i === 0 ? ph.length - 1 : ph.length);
      }
      return from(0);
    }

    // typos resolves to up to MAX_TYPOS strings of the sections' text, as
    // written, one Han character off ph, the most frequent first, read in
    // the TYPO_DOCS sections scoring best on ph's bigrams (and characters,
    // for three or fewer; suggest.go).
    function typos(m, ph) {
      var toks = [];
      for (var i = 0; i < ph.length; i++) {
        if (ph.length <= 3) toks.push(str(ph, i, i + 1));
        if (i + 1 < ph.length) toks.push(str(ph, i, i + 2));
      }
      return Promise.all(toks.map(function (t) { return searcher.token(m, t); })).then(function (entries) {
        var score = new Map();
        entries.forEach(function (e) {
          if (!e) return;
          var l = api.readPostings(e[0], e[1]);
          for (var j = 0; j < l.docs.length; j++) {
            score.set(l.docs[j], (score.get(l.docs[j]) || 0) + l.idf * (l.wts[j] >> 1));
          }
        });
        var ids = Array.from(score.keys()).sort(function (a, b) {
          return score.get(b) - score.get(a) || a - b;
        }).slice(0, TYPO_DOCS);
        return Promise.all(ids.map(function (id) { return searcher.doc(m, id); }));
      }).then(function (docs) {
        var byKey = new Map(), list = [];
        docs.forEach(function (d) {
          if (!d) return;
          var fields = [d[2], d[3]];
          if (d[4] === 1) fields.push(d[1]);
          fields.forEach(function (x) {
            var f = api.fold(x), cps = f.cps;
            for (var p = 0; p + ph.length <= cps.length; p++) {
              if (!oneOff(cps, p, ph)) continue;
              var key = str(cps, p, p + ph.length), e = byKey.get(key);
              if (!e) {
                e = { text: x.slice(f.starts[p], f.ends[p + ph.length - 1]), count: 0 };
                byKey.set(key, e);
                list.push(e);
              }
              e.count++;
            }
          });
        });
        list.sort(function (a, b) { return b.count - a.count; });
        return list.slice(0, MAX_TYPOS).map(function (e) { return e.text; });
      });
    }

    // oneOff reports whether cps[p:p+ph.length], all Han, differs from ph
    // in exactly one place.
    function oneOff(cps, p, ph) {
      var diff = 0;
      for (var i = 0; i < ph.length; i++) {
        if (api.classify(cps[p + i]) !== api.HAN) return false;
        if (cps[p + i] !== ph[i]) diff++;
      }
      return diff === 1;
    }

    return suggest;
  }

  // TYPE_DELAY is how long typing must pause, in milliseconds, before the
  // page searches what is typed.
  var TYPE_DELAY = 250;

  function init(api, doc, win) {
    var form = doc.getElementById('search-form');
    var input = doc.getElementById('search-input');
    var list = doc.getElementById('search-results');
    var status = doc.getElementById('search-status');
    var help = doc.getElementById('search-help');
    if (!form || !input || !list || !status) return;
    var base = form.getAttribute('data-base') || doc.documentElement.getAttribute('data-base') || '/';
    if (base.charAt(base.length - 1) !== '/') base += '/';
    var searcher = api.createSearcher(function (path) {
      return win.fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
        return r.json();
      });
    });
    var seq = 0, moreButton = null, shown = null, timer = null, typed = false;

    function el(tag, cls, text) {
      var e = doc.createElement(tag);
      if (cls) e.className = cls;
      if (text) e.textContent = text;
      return e;
    }
    function address(q) {
      return win.location.pathname + (q ? '?q=' + encodeURIComponent(q) : '');
    }
    function render(results) {
      results.forEach(function (r) {
        var li = el('li', 'search-result');
        var a = el('a', 'search-result-title', r.title || r.pageTitle);
        if (/^(\/|https?:)/.test(r.url)) a.setAttribute('href', r.url);
        li.appendChild(a);
        if (r.title) li.appendChild(el('div', 'search-result-page', r.pageTitle));
        if (r.related) li.appendChild(el('div', 'search-result-related', '相关词：' + r.related));
        var p = el('p', 'search-result-snippet');
        r.snippet.forEach(function (s) {
          p.appendChild(s.mark ? el('mark', '', s.text) : doc.createTextNode(s.text));
        });
        li.appendChild(p);
        list.appendChild(li);
      });
    }
    function announce(s, q) {
      status.textContent = s.total === 0 ? '没有找到与“' + q.trim() + '”相关的结果' :
        (s.exact ? '找到 ' : '找到约 ') + s.total + ' 条结果';
    }
    // offer fills the help under a query without results: what to try
    // instead, and where else to look.
    function offer(q, my) {
      if (!help) return;
      help.textContent = '';
      var tryThese = el('p', 'search-suggest');
      help.appendChild(tryThese);
      var browse = el('p', '', '也可以');
      var link = el('a', '', '按专题浏览');
      link.setAttribute('href', '#browse-title');
      browse.appendChild(link);
      var targets = help.getAttribute('data-targets');
      if (targets) {
        browse.appendChild(doc.createTextNode('全部内容、查看'));
        var t = el('a', '', '重点工作目标');
        t.setAttribute('href', targets);
        browse.appendChild(t);
        browse.appendChild(doc.createTextNode('，或换一个说法再搜索。'));
      } else {
        browse.appendChild(doc.createTextNode('全部内容，或换一个说法再搜索。'));
      }
      help.appendChild(browse);
      help.hidden = false;
      suggester(api, searcher)(q).then(function (words) {
        if (my !== seq || !words.length) return;
        tryThese.appendChild(doc.createTextNode('试试搜索：'));
        words.forEach(function (w, i) {
          if (i > 0) tryThese.appendChild(doc.createTextNode('、'));
          var a = el('a', '', w);
          a.setAttribute('href', address(w));
          a.addEventListener('click', function (e) {
            e.preventDefault();
            input.value = w;
            commit(w, true);
          });
          tryThese.appendChild(a);
        });
      }, function (err) { if (win.console) win.console.error(err); });
    }
    function run(q) {
      var my = ++seq;
      shown = q;
      list.textContent = '';
      if (help) { help.textContent = ''; help.hidden = true; }
      if (moreButton) { moreButton.remove(); moreButton = null; }
      if (!q.trim()) { status.textContent = ''; return; }
      status.textContent = '正在搜索…';
      searcher.run(q).then(function (s) {
        if (my !== seq) return;
        render(s.results);
        announce(s, q);
        if (s.total === 0) offer(q, my);
        if (s.results.length === api.PAGE) {
          moreButton = el('button', 'search-more', '更多结果');
          moreButton.type = 'button';
          moreButton.addEventListener('click', function () {
            moreButton.disabled = true;
            s.more().then(function (rs) {
              if (my !== seq) return;
              render(rs);
              announce(s, q);
              moreButton.disabled = false;
              if (rs.length < api.PAGE) { moreButton.remove(); moreButton = null; }
            });
          });
          list.parentNode.insertBefore(moreButton, list.nextSibling);
        }
      }, function (err) {
        if (my !== seq) return;
        status.textContent = '搜索暂时不可用';
        if (win.console) win.console.error(err);
      });
    }
    // commit searches q and records it in the address: a submitted query
    // gets a history entry of its own, as before; typing gets one entry
    // for the whole of what is typed (pushed at the first pause, replaced
    // at the next), so Back returns to the query before it.
    function commit(q, submitted) {
      if (timer) { win.clearTimeout(timer); timer = null; }
      if (typed) win.history.replaceState({ q: q }, '', address(q));
      else win.history.pushState({ q: q }, '', address(q));
      typed = !submitted;
      run(q);
    }
    function fromLocation() {
      var q = new URLSearchParams(win.location.search).get('q') || '';
      input.value = q;
      typed = false;
      run(q);
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      commit(input.value, true);
    });
    input.addEventListener('input', function () {
      if (timer) win.clearTimeout(timer);
      timer = win.setTimeout(function () {
        timer = null;
        if (input.value !== shown) commit(input.value, false);
      }, TYPE_DELAY);
    });
    win.addEventListener('popstate', fromLocation);
    fromLocation();
  }

  if (typeof module !== 'undefined' && module.exports) module.exports = { init: init, suggester: suggester };
  else if (window.plansiteSearch && document.getElementById('search-form')) init(window.plansiteSearch, document, window);
})();
