package themes_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// minScores are the Lighthouse category scores each page must reach
// (mobile form factor, default simulated throttling).
var minScores = map[string]float64{
	"performance":    0.95,
	"accessibility":  1,
	"best-practices": 1,
	"seo":            1,
}

// TestLighthouse scores the pages marked Lighthouse against the local
// server. Lighthouse starts Chromium itself (through
// CHROME_PATH) with the same flags as the other browser tests and a fresh
// profile of its own.
func TestLighthouse(t *testing.T) {
	node := lookPath(t, "node", "install Node.js 20")
	cli := nodeFile(t, "lighthouse", "cli/index.js")
	chrome := chromePath(t)
	base, _ := serve(t)
	for _, pt := range pageTypes {
		if !pt.Lighthouse {
			continue
		}
		t.Run(pt.Name, func(t *testing.T) {
			// Performance is simulated from the CPU time the page took here,
			// and go test runs other packages' builds beside this one on a
			// 2-core machine: a page scoring under the bar is scored again,
			// three runs in all at most, and it passes when one run reaches the
			// bar. A real regression
			// fails every run; the other categories do not depend on timing.
			var r lighthouseReport
			for run := 1; ; run++ {
				r = runLighthouse(t, node, cli, chrome, base+pt.Path)
				if perf := r.Categories["performance"].Score; run == 3 || perf == nil || *perf >= minScores["performance"] {
					break
				}
				t.Logf("%s: performance %.0f on run %d, scoring again", pt.Name, *r.Categories["performance"].Score*100, run)
			}
			names := make([]string, 0, len(minScores))
			for k := range minScores {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, name := range names {
				c, ok := r.Categories[name]
				if !ok || c.Score == nil {
					t.Errorf("%s: no %s score", pt.Name, name)
					continue
				}
				t.Logf("%s: %s %.0f", pt.Name, name, *c.Score*100)
				reportLine(t, fmt.Sprintf("lighthouse %s: %s %.0f", pt.Name, name, *c.Score*100))
				if *c.Score >= minScores[name] {
					continue
				}
				t.Errorf("%s: Lighthouse %s %.0f; want at least %.0f", pt.Name, name, *c.Score*100, minScores[name]*100)
				for _, ref := range c.AuditRefs {
					a := r.Audits[ref.ID]
					if a.Score != nil && *a.Score < 1 && ref.Weight > 0 {
						t.Errorf("  %s: %s (score %.2f) %s", ref.ID, a.Title, *a.Score, a.DisplayValue)
					}
				}
			}
		})
	}
}

// lighthouseReport is the part of Lighthouse's JSON report the test reads.
type lighthouseReport struct {
	Categories map[string]struct {
		Score     *float64 `json:"score"`
		AuditRefs []struct {
			ID     string  `json:"id"`
			Weight float64 `json:"weight"`
		} `json:"auditRefs"`
	} `json:"categories"`
	Audits map[string]struct {
		Title        string   `json:"title"`
		Score        *float64 `json:"score"`
		DisplayValue string   `json:"displayValue"`
	} `json:"audits"`
}

// runLighthouse scores one address once.
func runLighthouse(t *testing.T, node, cli, chrome, url string) lighthouseReport {
	t.Helper()
	report := filepath.Join(t.TempDir(), "report.json")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, cli, url,
		"--output=json", "--output-path="+report, "--quiet",
		"--only-categories=performance,accessibility,best-practices,seo",
		"--chrome-flags="+strings.Join(chromeFlags, " "))
	cmd.Env = append(os.Environ(), "CHROME_PATH="+chrome)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("lighthouse: %v\n%s", err, out)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var r lighthouseReport
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// reportLine appends a line to the file named by PLANSITE_REPORT, which CI
// prints after the tests: go test shows nothing of a passing package.
func reportLine(t *testing.T, line string) {
	t.Helper()
	file := os.Getenv("PLANSITE_REPORT")
	if file == "" {
		return
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := fmt.Fprintln(f, line); err != nil {
		t.Fatal(err)
	}
}
