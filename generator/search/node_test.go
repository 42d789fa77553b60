package search

import (
	"os"
	"os/exec"
	"testing"
)

// TestJS runs the browser client's tests (testdata/js) with node's test
// runner, so that `go test` catches drift between search.js and this
// package. Without node it skips, unless PLANSITE_REQUIRE_TOOLS=1 (as in
// CI), where a missing node is a failure.
func TestJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("PLANSITE_REQUIRE_TOOLS") == "1" {
			t.Fatalf("node not found on PATH and PLANSITE_REQUIRE_TOOLS=1: %v", err)
		}
		t.Skip("node not found on PATH: skipping the search.js tests (set PLANSITE_REQUIRE_TOOLS=1 to make this a failure)")
	}
	cmd := exec.Command(node, "--test", "testdata/js/")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test testdata/js/: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
