package targets

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Candidate is one commitment found in a text.
type Candidate struct {
	// Value is the number as written ("5", "2.76", "4-5" for a range).
	Value string
	// Unit is the unit or measure word after it (万人, 所, %).
	Unit string
	// Qualifier is 以上, 左右, 力争 and the like, or "".
	Qualifier string
	// What is the noun phrase counted (城镇新增就业, 海外仓).
	What string
	// Clause is the clause it came from, verbatim.
	Clause string
}

// units are the measure words and units a commitment may carry, simplified
// and traditional, longest first where one is the start of another.
var units = []string{
	"微克/立方米", "万平方米", "萬平方米", "平方公里", "万千瓦时", "萬千瓦時", "千瓦时", "千瓦時", "万千瓦", "萬千瓦",
	"万立方米", "萬立方米", "立方米", "万公顷", "萬公頃", "公顷", "公頃", "个百分点", "個百分點",
	"万亿元", "萬億元", "万亿斤", "萬億斤", "亿斤", "億斤", "亿千瓦时", "億千瓦時", "万台", "萬台",
	"亿元", "億元", "万元", "萬元", "万人次", "萬人次", "万人", "萬人", "万亩", "萬畝", "万户", "萬戶",
	"万吨", "萬噸", "万辆", "萬輛", "万套", "萬套", "万个", "萬個", "万家", "萬家",
	"人次", "公里", "千米", "平方米", "千瓦", "吨", "噸",
	"家", "个", "個", "所", "条", "條", "套", "名", "人", "户", "戶", "座", "处", "處",
	"项", "項", "场", "場", "张", "張", "台", "辆", "輛", "亩", "畝", "km", "%", "％",
}

// before and after are the qualifiers that stand before the number and
// after the unit.
var (
	before = []string{"力争", "力爭", "不低于", "不低於", "不少于", "不少於", "保持", "超过", "超過", "达到", "達到", "突破"}
	after  = []string{"以上", "以下", "以内", "以內", "左右"}
)

var number = regexp.MustCompile(`\d+(?:\.\d+)?(?:\s*[—\-－~～至到]\s*\d+(?:\.\d+)?)?`)

// Extract returns the commitments in text, in order.
func Extract(text string) []Candidate {
	var out []Candidate
	for _, clause := range clauses(text) {
		// What is counted lies between the previous number and this one
		// (开工棚户区改造项目3个、安置房1646套).
		from, prev := 0, ""
		for _, loc := range number.FindAllStringIndex(clause, -1) {
			if c, end, ok := candidate(clause, from, loc[0], loc[1]); ok {
				// 开工棚户区改造项目3个、1646套: a bare second count
				// counts the same thing.
				if c.What == "" {
					c.What = prev
				}
				out = append(out, c)
				from, prev = end, c.What
			}
		}
	}
	return out
}

// clauses cuts text at the punctuation that ends a clause.
func clauses(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return strings.ContainsRune("，,；;。！？!?\n：:", r)
	})
}

// candidate reads the commitment whose number is clause[lo:hi], counting
// what is named in clause[from:lo]; end is where its unit and qualifier end.
func candidate(clause string, from, lo, hi int) (c Candidate, end int, ok bool) {
	rest := clause[hi:]
	unit := ""
	for _, u := range units {
		if strings.HasPrefix(rest, u) {
			unit = u
			break
		}
	}
	if unit == "" || isName(clause, lo, hi) {
		return Candidate{}, 0, false
	}
	c = Candidate{Value: normalizeRange(clause[lo:hi]), Unit: unit, Clause: clause}
	if c.Unit == "％" {
		c.Unit = "%"
	}
	tail := rest[len(unit):]
	for _, q := range after {
		if strings.HasPrefix(tail, q) {
			c.Qualifier = q
			tail = tail[len(q):]
			break
		}
	}
	end = len(clause) - len(tail)
	head := clause[from:lo]
	// A qualifier before the number may have a verb after it (力争增长3%):
	// what is counted ends where the qualifier starts.
	for _, q := range before {
		if i := strings.LastIndex(head, q); i >= 0 {
			if c.Qualifier == "" {
				c.Qualifier = q
			}
			// 力争新设立海外仓2个: nothing before the qualifier, so what
			// is counted follows it.
			if strings.TrimSpace(head[:i]) == "" {
				head = head[i+len(q):]
			} else {
				head = head[:i]
			}
			break
		}
	}
	c.What = what(head, tail)
	return c, end, true
}

// isName reports whether the number at clause[lo:hi] is part of a name, not
// a count: a year, a quoted label (“16条”, “5+1”), 500强, 5G, PM2.5.
func isName(clause string, lo, hi int) bool {
	prev, _ := utf8.DecodeLastRuneInString(clause[:lo])
	next, _ := utf8.DecodeRuneInString(clause[hi:])
	switch {
	case prev == '+' || next == '+' || prev == '“' || prev == '"' || prev == '第':
		return true
	case prev >= 'A' && prev <= 'Z' || prev >= 'a' && prev <= 'z' || prev == '.':
		return true
	case strings.HasPrefix(clause[hi:], "年") || strings.HasPrefix(clause[hi:], "强") || strings.HasPrefix(clause[hi:], "強"):
		return true
	}
	// Inside quotation marks: a label such as “16条”.
	if strings.Count(clause[:lo], "“") > strings.Count(clause[:lo], "”") {
		return true
	}
	return false
}

func normalizeRange(v string) string {
	v = strings.Join(strings.Fields(v), "")
	for _, d := range []string{"—", "－", "~", "～", "至", "到"} {
		v = strings.Replace(v, d, "-", 1)
	}
	return v
}

// what is the thing counted: the words before the number, or, when those
// are only a verb (完成, 新建), the words after the unit.
func what(head, tail string) string {
	head = strings.TrimLeft(strings.TrimSpace(head), "、和及")
	// 确保粮食面积稳定在674万亩: the verb before the number is not
	// part of what is counted.
	for _, v := range []string{"稳定在", "穩定在", "控制在", "保持在", "提高到", "提高至", "降低到", "降至", "达到", "達到", "在"} {
		if h, ok := strings.CutSuffix(head, v); ok {
			head = h
			break
		}
	}
	// 推动绕城、郑南等5条高速公路项目建设: the words before 等 are
	// examples; what is counted follows the unit.
	if strings.HasSuffix(head, "等") {
		head = ""
	}
	for _, v := range []string{"新增", "新建", "完成", "建设", "建成", "培育", "打造", "实施", "實施", "引进", "引進", "开工", "開工", "推进", "推進", "达", "達", "超", "共", "累计", "累計", "全年", "年内", "年內", "再", "引导", "引導"} {
		if head == v {
			head = ""
		}
	}
	if utf8.RuneCountInString(head) > 2 {
		return lastRunes(head, 16)
	}
	tail = strings.TrimLeft(tail, "的")
	return firstRunes(tail, 16)
}

func lastRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[len(r)-n:]
	}
	return string(r)
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}
