package themes_test

import (
	gobuild "go/build"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// External tools. Each test that needs one skips with a message when it is
// missing, unless PLANSITE_REQUIRE_TOOLS=1 (as CI sets), when it fails.
//
//	PLANSITE_CHROME         Chromium binary; else CHROME_PATH; else chromium on PATH
//	PLANSITE_NODE_MODULES   folder holding axe-core, vnu-jar and lighthouse;
//	                        default $GOPATH/../plansite-node/node_modules
//	PLANSITE_SCREENSHOTS    where screenshots go; default $TMPDIR/plansite-screenshots

func need(t *testing.T, what, hint string) {
	t.Helper()
	if os.Getenv("PLANSITE_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s is missing and PLANSITE_REQUIRE_TOOLS=1: %s", what, hint)
	}
	t.Skipf("%s is missing (%s); set PLANSITE_REQUIRE_TOOLS=1 to fail instead", what, hint)
}

func chromePath(t *testing.T) string {
	t.Helper()
	for _, env := range []string{"PLANSITE_CHROME", "CHROME_PATH"} {
		if p := os.Getenv(env); p != "" {
			return p
		}
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	need(t, "Chromium", "apt-get install -y chromium, or set PLANSITE_CHROME")
	return ""
}

// chromeFlags are the flags every Chromium the tests start gets: headless,
// root-safe in a container, and quiet on the network.
var chromeFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
}

func nodeModules() string {
	if p := os.Getenv("PLANSITE_NODE_MODULES"); p != "" {
		return p
	}
	return filepath.Join(filepath.Dir(gobuild.Default.GOPATH), "plansite-node", "node_modules")
}

// nodeFile returns a file of an npm package in nodeModules.
func nodeFile(t *testing.T, pkg, file string) string {
	t.Helper()
	p := filepath.Join(nodeModules(), pkg, filepath.FromSlash(file))
	if _, err := os.Stat(p); err != nil {
		need(t, "npm package "+pkg, "npm install --prefix DIR "+pkg+" and set PLANSITE_NODE_MODULES=DIR/node_modules")
	}
	return p
}

func lookPath(t *testing.T, name, hint string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		need(t, name, hint)
	}
	return p
}

func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PLANSITE_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "plansite-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
