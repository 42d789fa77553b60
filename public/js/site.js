// plansite default theme: the reading aids of the page toolbar.
//
// Loaded as a plain (not deferred) script in <head>, so the reader's saved
// font size and contrast are applied before the first paint instead of
// flashing; the buttons are wired once the document has been parsed.
// Written as ES5 because many readers' phones run old browsers. No inline
// script anywhere, so the site runs under Content-Security-Policy:
// default-src 'self'.
(function () {
  "use strict";
  var root = document.documentElement;
  var FONT = "plansite.font", CONTRAST = "plansite.contrast";
  var sizes = ["small", "medium", "large"];

  // localStorage throws when storage is disabled; the aids still work for
  // the current page then, they just are not remembered.
  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* not remembered */ }
  }

  var font = load(FONT);
  if (sizes.indexOf(font) < 0) { font = "medium"; }
  var high = load(CONTRAST) === "high";

  function apply() {
    for (var i = 0; i < sizes.length; i++) {
      root.classList.toggle("font-" + sizes[i], sizes[i] === font && font !== "medium");
    }
    root.classList.toggle("hc", high);
  }
  root.classList.add("js");
  apply();

  function each(selector, fn) {
    var list = document.querySelectorAll(selector);
    for (var i = 0; i < list.length; i++) { fn(list[i]); }
  }
  function sync() {
    each("[data-font]", function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-font") === font));
    });
    each("[data-contrast]", function (b) { b.setAttribute("aria-pressed", String(high)); });
  }

  function copied(button, ok) {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) { status.textContent = ok ? "链接已复制。" : "未能自动复制，请长按或选中上面的链接复制。"; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    sync();
    each("[data-font]", function (b) {
      b.addEventListener("click", function () {
        font = b.getAttribute("data-font");
        save(FONT, font);
        apply();
        sync();
      });
    });
    each("[data-contrast]", function (b) {
      b.addEventListener("click", function () {
        high = !high;
        save(CONTRAST, high ? "high" : "normal");
        apply();
        sync();
      });
    });
    each("[data-print]", function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
    each("[data-copy]", function (b) {
      b.addEventListener("click", function () {
        var url = b.getAttribute("data-copy");
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(url).then(function () { copied(b, true); }, function () { copied(b, false); });
        } else {
          copied(b, false);
        }
      });
    });
  });
}());
