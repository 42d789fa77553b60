package themes_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNuHTMLChecker runs the Nu HTML checker (vnu-jar) over every built
// page and the stylesheets: zero errors allowed.
func TestNuHTMLChecker(t *testing.T) {
	java := lookPath(t, "java", "apt-get install -y openjdk-17-jre-headless")
	jar := nodeFile(t, "vnu-jar", "build/dist/vnu.jar")
	out, err := build(t.TempDir(), auditContent(), testBaseURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, p := range readPages(t, out) {
		files = append(files, filepath.Join(out, filepath.FromSlash(p.file)))
	}
	css, _ := filepath.Glob(filepath.Join(out, "css", "*.css"))
	files = append(files, css...)
	args := append([]string{"-jar", jar, "--errors-only", "--format", "json", "--also-check-css"}, files...)
	cmd := exec.Command(java, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr // vnu writes its report to stderr
	err = cmd.Run()
	var report struct {
		Messages []struct {
			Type    string `json:"type"`
			URL     string `json:"url"`
			Line    int    `json:"lastLine"`
			Message string `json:"message"`
			Extract string `json:"extract"`
		} `json:"messages"`
	}
	if jerr := json.Unmarshal([]byte(stderr.String()), &report); jerr != nil {
		t.Fatalf("vnu: %v (%v): %s", err, jerr, stderr.String())
	}
	for _, m := range report.Messages {
		rel, _ := filepath.Rel(out, strings.TrimPrefix(m.URL, "file:"))
		t.Errorf("vnu %s: %s:%d: %s\n\t%s", m.Type, rel, m.Line, m.Message, strings.TrimSpace(m.Extract))
	}
	if len(report.Messages) == 0 {
		t.Logf("vnu: no errors in %d files", len(files))
	}
}
