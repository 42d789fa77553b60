package generator

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// requireTool skips the test when a tool is missing, or fails it when
// PLANSITE_REQUIRE_TOOLS=1 (as in CI), so CI can never pass by skipping.
func requireTool(t *testing.T, name string, candidates ...string) string {
	t.Helper()
	for _, c := range append([]string{name}, candidates...) {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	msg := fmt.Sprintf("%s not found: install it (apt-get install -y %s) to run this test", name, name)
	if os.Getenv("PLANSITE_REQUIRE_TOOLS") == "1" {
		t.Fatal(msg + "; PLANSITE_REQUIRE_TOOLS=1 makes this a failure")
	}
	t.Skip(msg)
	return ""
}
