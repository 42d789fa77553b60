package generator

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// stages ranks the engine's packages in the order data flows through
// them: a package may import only packages of a lower rank, so no arrow
// runs back up from a stage to one that uses it. A new package must be
// placed here, or the test fails.
var stages = map[string]int{
	"plansite/themes":                    0,
	"plansite/generator/confine":         0,
	"plansite/generator/yamlnode":        0,
	"plansite/generator/atomicfile":      0,
	"plansite/generator/targets":         0,
	"plansite/generator/headers":         0,
	"plansite/generator/markdown":        1,
	"plansite/generator/feed":            1,
	"plansite/generator/qr":              1,
	"plansite/generator/search":          1,
	"plansite/generator/theme":           1,
	"plansite/generator/watch":           1,
	"plansite/generator/content":         1,
	"plansite/generator/compress":        1,
	"plansite/generator/linkcheck":       1,
	"plansite/generator/manifest":        1,
	"plansite/generator/nginx":           1,
	"plansite/generator/importer":        2,
	"plansite/generator/site":            2,
	"plansite/generator/output":          2,
	"plansite/generator/targets/suggest": 2,
	"plansite/generator/deploy":          2,
	"plansite/generator/render":          3,
	"plansite/generator/scaffold":        3,
	"plansite/generator":                 4,
	"plansite/generator/server":          5,
	"plansite/cmd/plansite":              6,
}

// TestImportDirection lists every package of the module with go list and
// fails when one imports a package of its own rank or above.
func TestImportDirection(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH")
	}
	out, err := exec.Command(goCmd, "list", "-json=ImportPath,Imports", "plansite/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(p.ImportPath, "plansite/generator/bench") {
			continue // benchmark programs, no stage
		}
		rank, ok := stages[p.ImportPath]
		if !ok {
			t.Errorf("package %s has no stage: add it to stages", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			if r, ok := stages[imp]; ok && r >= rank && imp != p.ImportPath {
				t.Errorf("%s (stage %d) imports %s (stage %d): data must flow one way", p.ImportPath, rank, imp, r)
			}
		}
	}
}
