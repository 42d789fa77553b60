// plansite serve's live-reload client. Only plansite serve injects and
// serves it; it never reaches public/. It is a file of its own because the
// theme runs under the Content-Security-Policy default-src 'self', which
// forbids inline scripts and styles.
(function () {
  "use strict";
  var script = document.currentScript;
  var params = new URL(script.src, location.href).searchParams;
  // The version of the site this page was served from: "instance.build".
  var version = params.get("v") || "";
  // The search index served with it, which is built after the pages.
  var index = params.get("i") || "0";
  // URLs are resolved against location, so they keep the page's scheme and
  // host behind an HTTPS proxy.
  var eventsURL = new URL("/__plansite/events", location.href).href;
  var statusURL = new URL("/__plansite/status", location.href).href;
  var retry = 500;
  var overlay = null;

  function apply(s) {
    if (s.errors) {
      show(s.errors);
    } else {
      hide();
    }
    var v = s.instance + "." + s.build;
    if (v === version) {
      // The search page's script keeps the first manifest it fetched: it
      // needs a reload to see a newer index. No other page reads it.
      if (String(s.index || 0) !== index && document.getElementById("search-form")) {
        location.reload();
      }
      return;
    }
    // A stylesheet-only change to the very build this page shows: swap the
    // sheets in place and keep the scroll position and form input.
    if (s.css && s.css.length && version === s.instance + "." + s.from) {
      swapCSS(s.css, v);
      version = v;
      return;
    }
    location.reload();
  }

  function swapCSS(paths, v) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var u = new URL(link.href, location.href);
      if (u.origin !== location.origin) {
        return;
      }
      var match = paths.some(function (p) {
        return u.pathname === p || u.pathname.slice(-p.length - 1) === "/" + p.replace(/^\//, "");
      });
      if (!match) {
        return;
      }
      u.searchParams.set("plansite", v);
      var fresh = link.cloneNode();
      fresh.href = u.href;
      // The old sheet goes only once the new one applies: no flash.
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { link.remove(); });
      link.after(fresh);
    });
  }

  function show(text) {
    if (!document.getElementById("plansite-overlay-css")) {
      var css = document.createElement("link");
      css.id = "plansite-overlay-css";
      css.rel = "stylesheet";
      css.href = new URL("/__plansite/overlay.css", location.href).href;
      document.head.appendChild(css);
    }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "plansite-overlay";
      overlay.className = "plansite-overlay";
      overlay.setAttribute("role", "alert");
      var box = document.createElement("div");
      box.className = "plansite-overlay-box";
      var h = document.createElement("h2");
      h.textContent = "构建失败 · Build failed";
      var p = document.createElement("p");
      p.textContent = "仍在显示上次成功构建的网站；修正后此提示会自动消失。 The last good site is still served; this disappears once the input is fixed.";
      var pre = document.createElement("pre");
      box.appendChild(h);
      box.appendChild(p);
      box.appendChild(pre);
      overlay.appendChild(box);
    }
    // textContent, never innerHTML: error messages quote the input.
    overlay.querySelector("pre").textContent = text;
    if (!overlay.isConnected) {
      document.body.appendChild(overlay);
    }
  }

  function hide() {
    if (overlay && overlay.isConnected) {
      overlay.remove();
    }
  }

  function poll() {
    fetch(statusURL, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(apply)
      .catch(function () {})
      .finally(function () { setTimeout(poll, 2000); });
  }

  function connect() {
    var source = new EventSource(eventsURL);
    source.addEventListener("status", function (e) {
      retry = 500;
      apply(JSON.parse(e.data));
    });
    source.onerror = function () {
      // While CONNECTING the browser retries by itself; once CLOSED (the
      // server answered with an error, say, while restarting) we do.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 5000);
      }
    };
  }

  if (typeof EventSource === "function") {
    connect();
  } else {
    poll();
  }
})();
