// Package targets owns a report's targets, the quantitative commitments
// (城镇新增就业5万人, 新建改扩建公办园30所), as data: it finds them in text
// (Extract: the number, its unit or measure word, its qualifier, what is
// counted and the clause it came from), reads and writes the press
// office's targets.yaml (Parse, Suggest, Merge, which keeps edited
// entries), proves a target's clause and number against its topic page
// (CheckSource), and reads an update's progress reports and their share of
// the goal (ParseProgress, Share). It reads text only and imports none of
// the build's stages: content calls it while loading.
package targets
