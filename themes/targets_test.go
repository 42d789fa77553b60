package themes_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestTargetCards checks the cards as a screen reader and a printer meet
// them, with Go alone: every <progress> is named by a visible text
// equivalent (已完成 N%) and holds it too, a ceiling (以内) has no bar, the
// topic page's strip and the page of targets show the same cards, the
// table has a header cell for each column, and the open data is linked.
func TestTargetCards(t *testing.T) {
	out := buildSite(t, testBaseURL, nil)
	share := regexp.MustCompile(`^已完成 \d+%$`)
	cards := map[string]int{}
	for _, file := range []string{"targets/index.html", "topics/ecology/index.html", "topics/employment/index.html"} {
		doc := parseFile(t, filepath.Join(out, file))
		ids := map[string]*html.Node{}
		for _, n := range all(doc, func(n *html.Node) bool { _, ok := attr(n, "id"); return ok }) {
			id, _ := attr(n, "id")
			ids[id] = n
		}
		bars := all(doc, tag("progress"))
		for _, p := range bars {
			by, _ := attr(p, "aria-labelledby")
			label, ok := ids[by]
			if !ok || !share.MatchString(text(label)) || text(p) != text(label) {
				t.Errorf("%s: a <progress> is not named by a visible 已完成 N%% (aria-labelledby=%q)", file, by)
			}
		}
		n := len(all(doc, func(n *html.Node) bool { return hasClass(n, "target-card") }))
		cards[file] = n
		if file == "targets/index.html" {
			if len(bars) != 1 {
				t.Errorf("%s: %d progress bars; want 1 (one report, and a ceiling shows none)", file, len(bars))
			}
			if th := all(doc, tag("th")); len(th) != 5 {
				t.Errorf("%s: the table has %d header cells; want 5", file, len(th))
			}
			for _, href := range []string{"/targets.json", "/targets.csv"} {
				if len(all(doc, func(n *html.Node) bool { h, _ := attr(n, "href"); return n.Data == "a" && h == href })) == 0 {
					t.Errorf("%s does not link to %s", file, href)
				}
			}
			if !strings.Contains(text(doc), "进展记录") {
				t.Errorf("%s: the target with a report lists no history", file)
			}
		}
	}
	if cards["targets/index.html"] != cards["topics/ecology/index.html"]+cards["topics/employment/index.html"] || cards["targets/index.html"] != 4 {
		t.Errorf("cards: %v; want the topic strips to add up to the page of targets, 4 cards", cards)
	}
}
