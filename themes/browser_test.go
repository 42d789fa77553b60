package themes_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Browser checks in headless Chromium, against the test site served with
// the strict CSP. A test fails on any CSP violation, console error or
// uncaught exception, besides its own checks.

// mode is a reading mode: one the toolbar offers, set as site.js stores
// it, or the system's dark scheme.
type mode struct {
	Name  string
	Setup string // JavaScript run before reloading the page
	Class string // the class site.js must then put on <html>
	Dark  bool   // emulate prefers-color-scheme: dark
}

var modes = []mode{
	{Name: "normal", Setup: `localStorage.clear()`, Class: "js"},
	{Name: "large", Setup: `localStorage.clear(); localStorage.setItem("plansite.font", "large")`, Class: "font-large"},
	{Name: "contrast", Setup: `localStorage.clear(); localStorage.setItem("plansite.contrast", "high")`, Class: "hc"},
	{Name: "dark", Setup: `localStorage.clear()`, Class: "js", Dark: true},
}

// axeTags are the rule sets the site must pass with zero violations.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// browser starts one Chromium for a test and returns its context.
func browser(t *testing.T) context.Context {
	t.Helper()
	exe := chromePath(t)
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(exe), chromedp.UserDataDir(t.TempDir())}
	for _, f := range chromeFlags {
		opts = append(opts, chromedp.Flag(strings.TrimPrefix(f, "--"), true))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	return bctx
}

// tab opens a tab that records every CSP violation, console error and
// uncaught exception; check reports them as test errors.
type tab struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
	// expected404 is a URL whose 404 status is the point of the page.
	expected404 string
}

func newTab(t *testing.T, browserCtx context.Context) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	tb := &tab{ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg = fmt.Sprintf("exception: %s (%s:%d)", d.Text, d.URL, d.LineNumber+1)
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value))
				}
				msg = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(parts, " "))
			}
		case *cdplog.EventEntryAdded:
			e := ev.Entry
			if e.Level == cdplog.EntryLevelError || e.Level == cdplog.EntryLevelWarning || e.Source == cdplog.EntrySourceSecurity {
				tb.mu.Lock()
				skip := e.Source == cdplog.EntrySourceNetwork && e.URL == tb.expected404
				tb.mu.Unlock()
				if !skip {
					msg = fmt.Sprintf("%s %s: %s (%s)", e.Source, e.Level, e.Text, e.URL)
				}
			}
		}
		if msg != "" {
			tb.mu.Lock()
			tb.problems = append(tb.problems, msg)
			tb.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	// CSP violations also reach the page as events; record them there
	// too, in case the browser logs them only as reports.
	watch := `window.__csp = []; document.addEventListener("securitypolicyviolation",
		function (e) { window.__csp.push(e.violatedDirective + " " + e.blockedURI); });`
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: watch}); err != nil {
		t.Fatal(err)
	}
	return tb
}

func (tb *tab) check(t *testing.T, where string) {
	t.Helper()
	csp, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
	if err != nil {
		t.Errorf("%s: %v", where, err)
	}
	tb.mu.Lock()
	problems := append(tb.problems, csp...)
	tb.problems = nil
	tb.mu.Unlock()
	for _, p := range problems {
		t.Errorf("%s: %s", where, p)
	}
}

// open loads url in the given mode and checks site.js applied it.
func (tb *tab) open(t *testing.T, url string, m mode) {
	t.Helper()
	scheme := "light"
	if m.Dark {
		scheme = "dark"
	}
	_, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(tb.ctx,
		chromedp.Navigate(url),
		chromedp.Evaluate[chromedp.Void](m.Setup),
		chromedp.Reload(),
		chromedp.WaitReady(chromedp.CSS("body")),
	)
	var ok bool
	if err == nil {
		ok, err = chromedp.Run(tb.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.documentElement.classList.contains(%q)`, m.Class)))
	}
	if err != nil {
		t.Fatalf("%s (%s): %v", url, m.Name, err)
	}
	if !ok {
		t.Errorf("%s (%s): <html> lacks class %s: site.js did not apply the mode", url, m.Name, m.Class)
	}
}

var axeSource struct {
	once sync.Once
	src  string
	err  error
}

func loadAxe(t *testing.T) string {
	t.Helper()
	file := nodeFile(t, "axe-core", "axe.min.js")
	axeSource.once.Do(func() {
		b, err := os.ReadFile(file)
		axeSource.src, axeSource.err = string(b), err
	})
	if axeSource.err != nil {
		t.Fatal(axeSource.err)
	}
	return axeSource.src
}

type axeResult struct {
	Violations []struct {
		ID    string `json:"id"`
		Help  string `json:"help"`
		Nodes []struct {
			Target  []any  `json:"target"`
			Summary string `json:"failureSummary"`
		} `json:"nodes"`
	} `json:"violations"`
}

// axe runs axe-core in the page (through DevTools, which the page's CSP
// does not govern) and reports every violation.
func (tb *tab) axe(t *testing.T, where string, runOnly string) {
	t.Helper()
	js := `(async () => JSON.stringify(await axe.run(document, {runOnly: ` + runOnly + `, resultTypes: ["violations"]})))()`
	err := chromedp.Do(tb.ctx, chromedp.Evaluate[chromedp.Void](loadAxe(t)+";0"))
	var raw string
	if err == nil {
		raw, err = chromedp.Run(tb.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	}
	if err != nil {
		t.Fatalf("%s: axe: %v", where, err)
	}
	var res axeResult
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		t.Fatalf("%s: axe result: %v", where, err)
	}
	for _, v := range res.Violations {
		for _, n := range v.Nodes {
			t.Errorf("%s: axe %s (%s) at %v: %s", where, v.ID, v.Help, n.Target, n.Summary)
		}
	}
}

func TestBrowserAudit(t *testing.T) {
	loadAxe(t)
	bctx := browser(t)
	base, _ := serve(t)
	tags, _ := json.Marshal(axeTags)
	for _, pt := range pageTypes {
		t.Run(pt.Name, func(t *testing.T) {
			tb := newTab(t, bctx)
			url := base + pt.Path
			if pt.Name == "404" {
				tb.expected404 = url
			}
			for _, m := range modes {
				where := pt.Name + " (" + m.Name + ")"
				if err := chromedp.Do(tb.ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
					t.Fatal(err)
				}
				tb.open(t, url, m)
				tb.axe(t, where, `{type: "tag", values: `+string(tags)+`}`)
				if m.Name == "contrast" {
					// High contrast promises 7:1 (WCAG AAA), which axe checks too.
					tb.axe(t, where, `{type: "rule", values: ["color-contrast-enhanced"]}`)
				}
				err := chromedp.Do(tb.ctx, chromedp.EmulateViewport(320, 640))
				var width int
				if err == nil {
					width, err = chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
				}
				if err != nil {
					t.Fatal(err)
				}
				if width > 320 {
					t.Errorf("%s at 320×640: page is %d px wide; it must reflow without sideways scrolling", where, width)
				}
				tb.check(t, where)
			}
		})
	}
}

// focusState describes document.activeElement after a Tab press.
type focusState struct {
	Index   int     `json:"index"` // position among the page's tabbable elements
	Desc    string  `json:"desc"`
	Outline string  `json:"outline"`
	Width   float64 `json:"width"`
	Shadow  string  `json:"shadow"`
	Hidden  bool    `json:"hidden"` // covered by another element, or off screen
}

const tabbables = `(() => {
	const sel = 'a[href], button, input, select, textarea, summary, [tabindex]';
	return Array.from(document.querySelectorAll(sel)).filter(e =>
		e.tabIndex >= 0 && !e.disabled &&
		e.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true}));
})()`

const focusProbe = `(() => {
	const all = ` + tabbables + `;
	const e = document.activeElement;
	const cs = getComputedStyle(e);
	const r = e.getBoundingClientRect();
	const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
	const y = Math.min(Math.max(r.top + Math.min(r.height / 2, 10), 0), innerHeight - 1);
	const hit = document.elementFromPoint(x, y);
	return {
		index: all.indexOf(e),
		desc: e.tagName.toLowerCase() + (e.className ? "." + e.className : "") + " " + (e.textContent || e.getAttribute("aria-label") || "").trim().slice(0, 30),
		outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth), shadow: cs.boxShadow,
		hidden: r.bottom < 0 || r.top > innerHeight || !(hit === e || e.contains(hit) || (hit && hit.contains(e))),
	};
})()`

// TestKeyboard presses Tab from the top of each page: the skip link must
// come first, then every control in document order, each with a visible
// focus indicator that nothing covers.
func TestKeyboard(t *testing.T) {
	bctx := browser(t)
	base, _ := serve(t)
	for _, pt := range pageTypes {
		t.Run(pt.Name, func(t *testing.T) {
			tb := newTab(t, bctx)
			url := base + pt.Path
			if pt.Name == "404" {
				tb.expected404 = url
			}
			if err := chromedp.Do(tb.ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
				t.Fatal(err)
			}
			tb.open(t, url, modes[0])
			n, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](tabbables+`.length`))
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < n; i++ {
				err := chromedp.Do(tb.ctx, chromedp.KeyEvent(kb.Tab))
				var st focusState
				if err == nil {
					st, err = chromedp.Run(tb.ctx, chromedp.Evaluate[focusState](focusProbe))
				}
				if err != nil {
					t.Fatal(err)
				}
				if st.Index != i {
					t.Errorf("Tab %d focuses %q (tabbable #%d); want tabbable #%d", i+1, st.Desc, st.Index, i)
					break
				}
				if i == 0 && !strings.Contains(st.Desc, "跳到主要内容") {
					t.Errorf("the first Tab focuses %q; want the skip link", st.Desc)
				}
				if (st.Outline == "none" || st.Width < 2) && (st.Shadow == "" || st.Shadow == "none") {
					t.Errorf("Tab %d: %q has no visible focus indicator (outline %s %gpx)", i+1, st.Desc, st.Outline, st.Width)
				}
				if st.Hidden {
					t.Errorf("Tab %d: %q is focused but hidden from view", i+1, st.Desc)
				}
			}
			tb.check(t, pt.Name)
		})
	}
}

// TestToolbar uses the toolbar as a reader would: the buttons change the
// page, say so with aria-pressed, are 44×44 px or larger, and the choice
// follows the reader to the next page.
func TestToolbar(t *testing.T) {
	bctx := browser(t)
	base, _ := serve(t)
	tb := newTab(t, bctx)
	tb.open(t, base+"/topics/ecology/", modes[0])
	small, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".tools button, .tools summary")).
		filter(b => { const r = b.getBoundingClientRect(); return r.width < 44 || r.height < 44; }).map(b => b.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(small) > 0 {
		t.Errorf("toolbar targets smaller than 44×44 px: %q", small)
	}
	bodySize := chromedp.Evaluate[float64](`parseFloat(getComputedStyle(document.body).fontSize)`)
	before, err := chromedp.Run(tb.ctx, bodySize)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tb.ctx, chromedp.Click(chromedp.CSS(`button[data-font="large"]`))); err != nil {
		t.Fatal(err)
	}
	after, _ := chromedp.Run(tb.ctx, bodySize)
	pressed, _ := chromedp.Run(tb.ctx, chromedp.AttributeValue(chromedp.CSS(`button[data-font="large"]`), "aria-pressed"))
	err = chromedp.Do(tb.ctx,
		chromedp.Click(chromedp.CSS(`button[data-contrast]`)),
		chromedp.Navigate(base+"/topics/safety/"),
		chromedp.WaitReady(chromedp.CSS("body")),
	)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.documentElement.className`))
	if after < before*1.15 {
		t.Errorf("大 changed the body text from %gpx to %gpx", before, after)
	}
	if pressed.Value != "true" {
		t.Errorf(`大 has aria-pressed=%q after a click; want "true"`, pressed.Value)
	}
	if !strings.Contains(root, "font-large") || !strings.Contains(root, "hc") {
		t.Errorf("on the next page <html class=%q>; want font-large and hc remembered", root)
	}
	hcPressed, _ := chromedp.Run(tb.ctx, chromedp.AttributeValue(chromedp.CSS(`button[data-contrast]`), "aria-pressed"))
	sizePressed, _ := chromedp.Run(tb.ctx, chromedp.AttributeValue(chromedp.CSS(`button[data-font="medium"]`), "aria-pressed"))
	if hcPressed.Value != "true" || sizePressed.Value != "false" {
		t.Errorf("on the next page aria-pressed is contrast=%s, 中=%s; want true, false", hcPressed.Value, sizePressed.Value)
	}

	// By keyboard: the skip link moves focus to the main content, and the
	// share box opens with Enter and its copy button answers in words.
	tb.open(t, base+"/topics/ecology/", modes[0])
	err = chromedp.Do(tb.ctx, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter))
	if err != nil {
		t.Fatal(err)
	}
	active, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	if active != "main-content" {
		t.Errorf("after the skip link, focus is on #%s; want #main-content", active)
	}
	err = chromedp.Do(tb.ctx,
		chromedp.Focus(chromedp.CSS(".share > summary")),
		chromedp.KeyEvent(kb.Enter),
		chromedp.KeyEvent(kb.Tab),
	)
	if err != nil {
		t.Fatal(err)
	}
	focused, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.activeElement.textContent`))
	if focused != "复制链接" {
		t.Errorf("Tab after opening 分享 focuses %q; want the 复制链接 button", focused)
	}
	if err := chromedp.Do(tb.ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	// Headless Chromium may refuse the clipboard; either answer is words
	// in a live region, never silence.
	var status string
	for range 20 {
		status, _ = chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector(".copy-status").textContent`))
		if status != "" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status == "" {
		t.Error("复制链接 gave no message")
	}
	tb.check(t, "toolbar")
}

// TestNoScript loads pages with JavaScript off: no control that needs it
// may show, and the page must still fit a phone.
func TestNoScript(t *testing.T) {
	bctx := browser(t)
	base, _ := serve(t)
	tb := newTab(t, bctx)
	if _, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	for _, pt := range pageTypes {
		err := chromedp.Do(tb.ctx,
			chromedp.EmulateViewport(320, 640),
			chromedp.Navigate(base+pt.Path),
			chromedp.WaitReady(chromedp.CSS("body")),
		)
		if err != nil {
			t.Fatal(err)
		}
		shown, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("[data-font], [data-contrast], [data-print], [data-copy]")).
			filter(e => e.checkVisibility()).map(e => e.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		width, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if len(shown) > 0 {
			t.Errorf("%s without JavaScript shows controls that need it: %q", pt.Name, shown)
		}
		if width > 320 {
			t.Errorf("%s without JavaScript is %d px wide at 320", pt.Name, width)
		}
	}
	tb.mu.Lock()
	tb.problems = nil // the 404 page's own status is logged; nothing else runs
	tb.mu.Unlock()
}

// TestScreenshots photographs the pages marked Screenshot at a phone's
// and a desktop's width, normally and in high contrast, for a person to
// look at, and in the dark scheme; and the topic page as printed. They go
// to PLANSITE_SCREENSHOTS (default $TMPDIR/plansite-screenshots) as
// <page>-<width>-<mode>.png and topic-print.png.
func TestScreenshots(t *testing.T) {
	bctx := browser(t)
	base, _ := serve(t)
	dir := screenshotDir(t)
	tb := newTab(t, bctx)
	for _, pt := range pageTypes {
		if !pt.Screenshot {
			continue
		}
		for _, w := range []int64{375, 1280} {
			for _, m := range []mode{modes[0], modes[2], modes[3]} {
				if err := chromedp.Do(tb.ctx, chromedp.EmulateViewport(w, 800)); err != nil {
					t.Fatal(err)
				}
				tb.open(t, base+pt.Path, m)
				png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				file := filepath.Join(dir, fmt.Sprintf("%s-%d-%s.png", pt.Name, w, m.Name))
				if err := os.WriteFile(file, png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// The topic page as printed: no navigation or toolbar, the address
	// and link targets shown.
	_, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tb.ctx, chromedp.EmulateViewport(800, 1000), chromedp.Navigate(base+"/topics/ecology/"), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "topic-print.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	tb.check(t, "screenshots")
}

// textSpacing applies the WCAG 1.4.12 text-spacing overrides through a
// constructed stylesheet, which a page's CSP does not block (a reader's
// bookmarklet or extension would do the same).
const textSpacing = `(() => {
	const s = new CSSStyleSheet();
	s.replaceSync("* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }");
	document.adoptedStyleSheets = [...document.adoptedStyleSheets, s];
	return true;
})()`

// clipped lists elements whose content the overrides pushed out of a box
// that hides overflow.
const clipped = `Array.from(document.querySelectorAll("body *")).filter(e => {
	if (e.closest(".visually-hidden")) return false;
	const cs = getComputedStyle(e);
	const hides = v => v === "hidden" || v === "clip";
	return (hides(cs.overflowX) && e.scrollWidth > e.clientWidth + 1) || (hides(cs.overflowY) && e.scrollHeight > e.clientHeight + 1);
}).map(e => e.tagName.toLowerCase() + "." + e.className)`

// TestTextSpacing applies WCAG 1.4.12's spacing on every page at 320 px
// and 1280 px, in normal and large text: nothing may be clipped and the
// page must still not scroll sideways.
func TestTextSpacing(t *testing.T) {
	bctx := browser(t)
	base, _ := serve(t)
	for _, pt := range pageTypes {
		t.Run(pt.Name, func(t *testing.T) {
			tb := newTab(t, bctx)
			if pt.Name == "404" {
				tb.expected404 = base + pt.Path
			}
			for _, m := range modes[:2] {
				for _, w := range []int64{320, 1280} {
					where := fmt.Sprintf("%s (%s, %d px)", pt.Name, m.Name, w)
					if err := chromedp.Do(tb.ctx, chromedp.EmulateViewport(w, 800)); err != nil {
						t.Fatal(err)
					}
					tb.open(t, base+pt.Path, m)
					if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](textSpacing)); err != nil {
						t.Fatal(err)
					}
					ls, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("h1")).letterSpacing`))
					if ls == "normal" || ls == "0px" {
						t.Fatalf("%s: the text-spacing overrides did not apply (letter-spacing %s)", where, ls)
					}
					bad, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](clipped))
					if err != nil {
						t.Fatal(err)
					}
					if len(bad) > 0 {
						t.Errorf("%s: text spacing clips %q", where, bad)
					}
					width, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
					if width > int(w) {
						t.Errorf("%s: with text spacing the page is %d px wide", where, width)
					}
					tb.check(t, where)
				}
			}
		})
	}
}

// TestPrint checks the print stylesheet: title, metadata and the page's
// address stay; navigation, search and the toolbar go.
func TestPrint(t *testing.T) {
	bctx := browser(t)
	base, _ := serve(t)
	tb := newTab(t, bctx)
	tb.open(t, base+"/topics/ecology/", modes[0])
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		sel   string
		shown bool
	}{
		{"h1", true}, {".meta", true}, {".print-url", true}, {".prose", true},
		{".tools", false}, {".breadcrumbs", false}, {".site-search", false}, {".toc", false}, {".pager", false}, {".skip-link", false},
	}
	for _, tt := range tests {
		shown, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q).checkVisibility()`, tt.sel)))
		if err != nil {
			t.Fatalf("%s: %v", tt.sel, err)
		}
		if shown != tt.shown {
			t.Errorf("printed, %s shown = %v; want %v", tt.sel, shown, tt.shown)
		}
	}
	after, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".prose a[href^='http']"), "::after").content`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(after, "http") {
		t.Errorf("printed, a link's address is not shown after it: content %s", after)
	}
	tb.check(t, "print")
}

// TestSearch searches as a citizen would: type a phrase on the search
// page, see the count announced and the first result, follow it, and land
// on the section that says it. Then the back button brings the results
// back.
func TestSearch(t *testing.T) {
	bctx := browser(t)
	base, _ := serve(t)
	tb := newTab(t, bctx)
	tb.open(t, base+"/search/", modes[0])
	firstLink := chromedp.CSS("#search-results li a")
	err := chromedp.Do(tb.ctx,
		chromedp.SendKeys(chromedp.CSS("#search-input"), "蓝天保卫战"),
		chromedp.Submit(chromedp.CSS("#search-input")),
		chromedp.WaitVisible(firstLink),
	)
	var status, first string
	if err == nil {
		status, err = chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("#search-status")))
	}
	if err == nil {
		first, err = chromedp.Run(tb.ctx, chromedp.Text(firstLink))
	}
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(status, "找到") {
		t.Errorf("status %q does not announce the results", status)
	}
	if !strings.Contains(first, "持续打好蓝天保卫战") {
		t.Errorf("first result %q; want the section 持续打好蓝天保卫战", first)
	}
	loc, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`location.search`))
	if err != nil || !strings.Contains(loc, "q=") {
		t.Errorf("the query is not in the address (%q, %v): results cannot be shared", loc, err)
	}
	err = chromedp.Do(tb.ctx, chromedp.Click(firstLink))
	// The click navigates: until the new page is there, evaluating
	// fails with a stale context, so poll by hand.
	for deadline := time.Now().Add(20 * time.Second); err == nil; {
		p, perr := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`location.pathname + " " + document.readyState`))
		if perr == nil && p == "/topics/ecology/ complete" {
			break
		}
		if time.Now().After(deadline) {
			err = fmt.Errorf("the first result did not lead to /topics/ecology/ (last: %q, %v)", p, perr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var heading string
	if err == nil {
		heading, err = chromedp.Run(tb.ctx, chromedp.Evaluate[string](
			`(() => { const e = document.getElementById(decodeURIComponent(location.hash.slice(1))); return e ? e.tagName + " " + e.textContent : location.hash; })()`))
	}
	if err != nil {
		t.Fatal(err)
	}
	if heading != "H2 持续打好蓝天保卫战" {
		t.Errorf("landed on %q; want the heading 持续打好蓝天保卫战", heading)
	}
	// Back: the results come back.
	_, _ = chromedp.Run(tb.ctx, chromedp.Evaluate[chromedp.Void](`history.back()`))
	first = ""
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		f, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](
			`location.pathname === "/search/" ? (document.querySelector("#search-results li a") || {}).textContent || "" : ""`))
		if err == nil && f != "" {
			first = f
			break
		}
	}
	if !strings.Contains(first, "持续打好蓝天保卫战") {
		t.Errorf("after Back, first result %q; want the results again", first)
	}
	tb.check(t, "search")
}

// waitFor evaluates expr until it gives a non-empty string, and returns it.
func waitFor(t *testing.T, tb *tab, expr string) string {
	t.Helper()
	var last error
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](expr))
		if err == nil && s != "" {
			return s
		}
		last = err
	}
	state, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`location.search + " | " + document.getElementById("search-input").value + " | " + document.getElementById("search-status").textContent`))
	t.Fatalf("waited 20 s for %s (%v); address, box and status: %s", expr, last, state)
	return ""
}

// TestSearchAsYouType types without submitting, as many citizens do: the
// count is announced in the live status line, the address follows with
// one history entry for all the typing, traditional characters find the
// site's simplified text, an everyday word finds the report's word and
// says so, and a query without results offers what does occur.
func TestSearchAsYouType(t *testing.T) {
	bctx := browser(t)
	base, _ := serve(t)
	tb := newTab(t, bctx)
	tb.open(t, base+"/search/", modes[0])
	entries, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`history.length`))
	if err != nil {
		t.Fatal(err)
	}
	live, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](
		`(() => { const s = document.getElementById("search-status"); return s.getAttribute("role") + " " + s.getAttribute("aria-live"); })()`))
	if err != nil || live != "status polite" {
		t.Errorf("the count is not announced: #search-status is %q (%v); want role=status aria-live=polite", live, err)
	}
	// statusOf waits for the count (or the lack of one) of query q.
	statusOf := func(q string) string {
		return waitFor(t, tb, `(() => { const s = document.getElementById("search-status").textContent;
			return new URLSearchParams(location.search).get("q") === `+strconv.Quote(q)+` && s !== "正在搜索…" ? s : ""; })()`)
	}
	typeQuery := func(q string) {
		t.Helper()
		// Typing over the selected text replaces it, as a person does.
		if err := chromedp.Do(tb.ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("search-input").select()`),
			chromedp.SendKeys(chromedp.CSS("#search-input"), q)); err != nil {
			t.Fatal(err)
		}
	}

	typeQuery("環境")
	if st := statusOf("環境"); !regexp.MustCompile(`^找到约? \d+ 条结果$`).MatchString(st) {
		t.Errorf("環境: status %q; want the count", st)
	}
	mark := waitFor(t, tb, `(document.querySelector("#search-results mark") || {}).textContent || ""`)
	if mark != "环境" {
		t.Errorf("環境: marked %q; want the site's own 环境", mark)
	}

	typeQuery("找工作")
	statusOf("找工作")
	related := waitFor(t, tb, `(document.querySelector("#search-results .search-result-related") || {}).textContent || ""`)
	if related != "相关词：就业" {
		t.Errorf("找工作: the first result says %q; want 相关词：就业", related)
	}

	typeQuery("蓝天保卫站")
	if st := statusOf("蓝天保卫站"); st != "没有找到与“蓝天保卫站”相关的结果" {
		t.Errorf("蓝天保卫站: status %q; want it to say what was searched", st)
	}
	offered := waitFor(t, tb, `[...document.querySelectorAll("#search-help .search-suggest a")].map(a => a.textContent).join(" ")`)
	if !strings.Contains(offered, "蓝天保卫战") {
		t.Errorf("蓝天保卫站: offered %q; want 蓝天保卫战", offered)
	}
	if n, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#search-help a[href="#browse-title"]').length`)); err != nil || n != 1 {
		t.Errorf("no link to the topics under an empty result (%d, %v)", n, err)
	}
	// The test site has targets: their page is offered too.
	if n, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#search-help a[href="/targets/"]').length`)); err != nil || n != 1 {
		t.Errorf("no link to the targets under an empty result (%d, %v)", n, err)
	}
	tags, _ := json.Marshal(axeTags)
	tb.axe(t, "search without results", `{type: "tag", values: `+string(tags)+`}`)

	// All that typing is one history entry: Back leaves the typed queries.
	after, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`history.length`))
	if err != nil || after != entries+1 {
		t.Errorf("typing made %d history entries (%v); want one", after-entries, err)
	}
	tb.check(t, "search as you type")
}
