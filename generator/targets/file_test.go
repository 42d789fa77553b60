package targets

import (
	"strings"
	"testing"
)

const good = `targets:
  - id: employment-urban-jobs
    topic: employment
    value: 5
    unit: 万人
    what: 城镇新增就业
    clause: 城镇新增就业5万人
`

func TestParse(t *testing.T) {
	f, errs := Parse("content/targets.yaml", []byte(good))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(f.Targets) != 1 || f.Targets[0].Value != "5" || f.Targets[0].Line != 2 || f.Targets[0].FieldLine("clause") != 7 {
		t.Fatalf("got %+v", f.Targets[0])
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"bad yaml", "targets:\n  - id: [\n", "content/targets.yaml:"},
		{"unknown top field", "target:\n  - id: x\n", `content/targets.yaml:1: unknown field "target"`},
		{"unknown entry field", good + "    colour: red\n", `content/targets.yaml:8: unknown field "colour"`},
		{"missing clause", strings.Replace(good, "    clause: 城镇新增就业5万人\n", "", 1), "content/targets.yaml:2: clause: missing"},
		{"bad id", strings.Replace(good, "employment-urban-jobs", "就业", 1), `content/targets.yaml:2: id: "就业" is not a usable id`},
		{"bad value", strings.Replace(good, "value: 5", "value: 五", 1), `content/targets.yaml:4: value: "五" is not a number`},
		{"duplicate id", good + strings.TrimPrefix(good, "targets:\n"), `content/targets.yaml:8: id: "employment-urban-jobs" is already the id of the target on line 2`},
		{"list expected", "targets: 5\n", "content/targets.yaml:1: targets: must be a list"},
		{"not utf-8", "targets:\n  - id: \xff\n", "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := Parse("content/targets.yaml", []byte(tt.src))
			if !strings.Contains(errs.Error(), tt.want) {
				t.Errorf("errors %q; want %q", errs.Error(), tt.want)
			}
		})
	}
}

func TestCheckSource(t *testing.T) {
	body := "## 坚持稳就业保就业\n\n突出抓好重点人群就业帮扶工作，城镇新增就业5万人，新增技能人才9万人。\n\n## 提升社会保障水平\n\n实施全民参保计划。\n"
	tgt := &Target{ID: "employment-urban-jobs", Value: "5", Unit: "万人", Clause: "城镇新增就业5万人"}
	sec, _, err := tgt.CheckSource(body, "content/topics/employment.md")
	if err != nil || sec.Title() != "坚持稳就业保就业" {
		t.Fatalf("CheckSource = %v, %v", sec, err)
	}
	changed := strings.Replace(body, "5万人", "6万人", 1)
	_, field, err := tgt.CheckSource(changed, "content/topics/employment.md")
	if err == nil || field != "clause" || !strings.Contains(err.Error(), `now reads "城镇新增就业6万人"`) || !strings.Contains(err.Error(), "content/topics/employment.md") {
		t.Errorf("a changed number: %v (field %q)", err, field)
	}
	wrong := *tgt
	wrong.Value = "6"
	if _, field, err := wrong.CheckSource(body, "content/topics/employment.md"); err == nil || field != "value" {
		t.Errorf("a value not in its clause: %v", err)
	}
	gone := *tgt
	gone.Clause = "城镇新增就业"
	if _, field, err := gone.CheckSource(body, "p.md"); err == nil || field != "value" {
		t.Errorf("a clause without the value: %v", err)
	}
}

func TestShare(t *testing.T) {
	tests := []struct {
		value, qualifier string
		reached          float64
		pct              int
		ok               bool
	}{
		{"5", "", 3.2, 64, true},
		{"2.76", "", 2.76, 100, true},
		{"4-5", "", 2, 50, true}, // a range is met at its lower end
		{"90", "以上", 92, 102, true},
		{"30", "", 29.99, 99, true}, // not shown done before it is
		{"35", "以内", 30, 0, false},
		{"0", "", 3, 0, false},
	}
	for _, tt := range tests {
		tg := &Target{Value: tt.value, Qualifier: tt.qualifier}
		pct, ok := tg.Share(tt.reached)
		if pct != tt.pct || ok != tt.ok {
			t.Errorf("Share(%v) of %s%s = %d, %t; want %d, %t", tt.reached, tt.value, tt.qualifier, pct, ok, tt.pct, tt.ok)
		}
	}
}

func TestParseProgress(t *testing.T) {
	fm := "title: x\nprogress:\n  - target: employment-urban-jobs\n    value: 3.2\n    asOf: 2023-06-30\n    note: 上半年\n  - {target: b, value: many, asOf: 2023-06-30}\n  - {target: c, value: 1, asof: 2023-06-30}\n"
	rs, errs := ParseProgress([]byte(fm), 0)
	if len(rs) != 3 || rs[0].Value != 3.2 || rs[0].AsOf != "2023-06-30" || rs[0].Note != "上半年" || rs[0].Line != 3 {
		t.Fatalf("reports %+v", rs)
	}
	if len(errs) != 3 || errs[0].Line != 7 || !strings.Contains(errs[0].Error(), "not a number") ||
		errs[1].Line != 8 || !strings.Contains(errs[1].Error(), `unknown field "asof"`) || !strings.Contains(errs[2].Error(), "asOf: missing") {
		for _, e := range errs {
			t.Log(e.Line, e)
		}
		t.Fatalf("%d errors", len(errs))
	}
}

// FuzzParse feeds targets.yaml's parser arbitrary text: it must not panic,
// every error must name a line within the file (or none), and a file it
// accepts must survive a suggestion merged onto it.
func FuzzParse(f *testing.F) {
	f.Add(good)
	f.Add("targets:\n  - {id: a, topic: t, value: 4-5, unit: 个, what: x, clause: x4—5个}\ndismissed: [b]\n")
	f.Add("targets: []\n# comment\n")
	f.Fuzz(func(t *testing.T, s string) {
		file, errs := Parse("targets.yaml", []byte(s))
		// YAML ends a line at \n, \r or both.
		lines := strings.Count(s, "\n") + strings.Count(s, "\r") + 1
		for _, e := range errs {
			if e.Line < 0 || e.Line > lines {
				t.Fatalf("error at line %d of a %d-line file: %v", e.Line, lines, e)
			}
		}
		if len(errs) == 0 && file != nil {
			// Merge either writes a file that parses or refuses.
			out, _, err := Merge([]byte(s), file, Suggest([]Page{{Topic: "t", Body: "新建学校3所。"}}), false)
			if _, errs := Parse("targets.yaml", out); err == nil && len(errs) > 0 {
				t.Fatalf("merge onto %q gave a file with errors: %v\n%s", s, errs, out)
			}
		}
	})
}

// FuzzParseProgress feeds an update's front matter to the progress parser.
func FuzzParseProgress(f *testing.F) {
	f.Add("progress:\n  - {target: a, value: 3.2, asOf: 2023-06-30}\n")
	f.Add("progress: 5\n")
	f.Fuzz(func(t *testing.T, s string) {
		rs, errs := ParseProgress([]byte(s), 1)
		for _, r := range rs {
			if r.Line < 1 {
				t.Fatalf("report without a line: %+v", r)
			}
		}
		for _, e := range errs {
			if e.Line < 1 {
				t.Fatalf("error without a line: %v", e)
			}
		}
	})
}
