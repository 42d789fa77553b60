package targets

import (
	"strings"
	"testing"
)

var pages = []Page{
	{Topic: "employment", Body: "## 坚持稳就业保就业\n\n城镇新增就业5万人，新增技能人才9万人。\n"},
	{Topic: "ecology", Body: "## 强化生态保护修复\n\n完成2.76万亩林业生态建设任务。\n"},
}

// suggestOnto runs a suggestion against the file old and parses the result.
func suggestOnto(t *testing.T, old string, pages []Page, force bool) (string, *File, []Change) {
	t.Helper()
	var f *File
	if old != "" {
		var errs Errors
		if f, errs = Parse("targets.yaml", []byte(old)); len(errs) > 0 {
			t.Fatalf("the file before: %v\n%s", errs, old)
		}
	}
	out, changes, err := Merge([]byte(old), f, Suggest(pages), force)
	if err != nil {
		t.Fatal(err)
	}
	nf, errs := Parse("targets.yaml", out)
	if len(errs) > 0 {
		t.Fatalf("Merge wrote a file that does not parse: %v\n%s", errs, out)
	}
	return string(out), nf, changes
}

func actions(cs []Change) map[Action]int {
	m := map[Action]int{}
	for _, c := range cs {
		m[c.Action]++
	}
	return m
}

func TestSuggestIDs(t *testing.T) {
	ts := Suggest(pages)
	want := []string{"employment-cheng-zhen-xin-zeng-jiu-ye", "employment-xin-zeng-ji-neng-ren-cai", "ecology-sheng-tai-jian-she-ren-wu"}
	if len(ts) != len(want) {
		t.Fatalf("%d targets", len(ts))
	}
	for i, tg := range ts {
		if tg.ID != want[i] || tg.Edited() {
			t.Errorf("target %d: id %q (edited %t); want %q", i, tg.ID, tg.Edited(), want[i])
		}
	}
	if got := Suggest([]Page{{Topic: "t", Body: "建设口袋公园3个，建设口袋公园4个。"}}); got[1].ID != got[0].ID+"-2" {
		t.Errorf("the same words twice: %q, %q", got[0].ID, got[1].ID)
	}
}

func TestMergeKeepsEdits(t *testing.T) {
	first, f, ch := suggestOnto(t, "", pages, false)
	if a := actions(ch); a[Added] != 3 || len(f.Targets) != 3 {
		t.Fatalf("a new file: %v\n%s", a, first)
	}
	// Again, unchanged: the same bytes.
	again, _, ch := suggestOnto(t, first, pages, false)
	if again != first || actions(ch)[Unchanged] != 3 {
		t.Fatalf("a second run changed the file: %v", actions(ch))
	}
	// The press office edits one entry (and adds a comment), renames
	// another and dismisses the third.
	edited := strings.Replace(first, `what: "城镇新增就业"`, "what: 城镇新增就业人数 # 按人社局口径", 1)
	edited = strings.Replace(edited, "id: employment-xin-zeng-ji-neng-ren-cai", "id: employment-skilled-workers", 1)
	i := strings.Index(edited, "  - id: ecology-")
	edited = edited[:i] + strings.Replace(edited[strings.Index(edited, "\ndismissed:")+1:], "dismissed: []", "dismissed: [ecology-sheng-tai-jian-she-ren-wu]", 1)
	// The page gains a commitment.
	more := append([]Page{}, pages...)
	more[0].Body += "\n新增农村劳动力转移就业2万人。\n"
	out, f, ch := suggestOnto(t, edited, more, false)
	a := actions(ch)
	if a[KeptEdited] != 1 || a[Curated] != 1 || a[Dismissed] != 1 || a[Added] != 1 || len(f.Targets) != 3 {
		t.Fatalf("actions %v\n%s", a, out)
	}
	if !strings.Contains(out, "what: 城镇新增就业人数 # 按人社局口径") || !strings.Contains(out, "id: employment-skilled-workers") {
		t.Errorf("an edit was lost:\n%s", out)
	}
	// --force puts the suggestion back over the edit.
	forced, f, ch := suggestOnto(t, out, more, true)
	if actions(ch)[Overwritten] != 1 || strings.Contains(forced, "人社局") || f.Targets[0].What != "城镇新增就业" {
		t.Errorf("force: %v\n%s", actions(ch), forced)
	}
	// A page edit that drops a commitment removes its unedited entry and
	// updates one whose words changed, but keeps the edited.
	fewer := []Page{{Topic: "employment", Body: "城镇新增就业6万人。新增技能人才9万人。\n"}}
	_, f, ch = suggestOnto(t, out, fewer, false)
	a = actions(ch)
	if a[Removed] != 1 || a[KeptEdited] != 1 || len(f.Targets) != 2 {
		t.Errorf("after a page edit: %v, %d targets", a, len(f.Targets))
	}
}

// TestMergeKeepsComments replaces the last entry, which is unedited, and
// keeps the comments around it: the one inside the entry goes with it,
// the one above the next field stays.
func TestMergeKeepsComments(t *testing.T) {
	first, _, _ := suggestOnto(t, "", pages, false)
	withComments := "# 本市目标\n" + strings.Replace(first, "dismissed: []", "# 以下是不采用的建议\ndismissed: []", 1)
	changed := []Page{pages[0], {Topic: "ecology", Body: "完成2.8万亩林业生态建设任务。\n"}}
	out, f, ch := suggestOnto(t, withComments, changed, false)
	if a := actions(ch); a[Updated] != 1 || f.Targets[2].Value != "2.8" {
		t.Fatalf("actions %v\n%s", a, out)
	}
	if !strings.HasPrefix(out, "# 本市目标\n") || !strings.Contains(out, "# 以下是不采用的建议\ndismissed: []") {
		t.Errorf("a comment was lost:\n%s", out)
	}
}
