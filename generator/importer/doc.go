// Package importer turns a report extracted from a printed layout into the
// site's Markdown content, one page per topic.
//
// # Inputs
//
// The seed is the plain text of the report as extracted from print: its
// sentences are cut by line breaks and blank lines where the printed lines
// and pages ended, running page headers sit among the text, and a section
// title may be printed after the items it introduces. The seed is kept in
// the repository unchanged, as the source of record.
//
// The mapping (see [ParseMapping]) is the data that the importer cannot read
// from the seed: which topic each item heading belongs to, the editorial
// titles and summaries, the publisher, the layout artifacts to drop, and how
// to recognise headings, section titles, the source-document line and the
// credit line. Nothing in this package names the headings of any one seed.
//
// The seed may be UTF-8, GB18030 (GBK) or UTF-16 with a byte-order mark,
// with any line endings; [DecodeText] makes it UTF-8 and says what it
// converted, and refuses a file that is not text.
//
// # Suggesting a mapping
//
// [Suggest] drafts the mapping of a seed it has never seen from the text
// alone: item markers and numbered item headings, numbered section titles,
// short unmarked headings above paragraphs, lines that repeat with a
// changing number (running headers, page numbers), the source and credit
// lines; one topic per section, or per group of items, with a pinyin slug.
// The draft is proved by importing the seed with it before it is returned.
//
// # Parsing
//
// [Parse] reads the seed line by line. A line matching one of the mapping's
// drop patterns is a layout artifact and is dropped. The source line names
// the source document; the credit line is kept as attribution. A line
// starting with the item marker is an item heading (the marker is dropped),
// and so is a line matching the layout's itemHeading pattern (kept whole).
// A section title claims the unmarked item headings printed next to it (the
// items after it, or, for a title the layout printed late, the items before
// it, back to the previous structural line); within that span a line that
// starts a paragraph and matches the section's heading pattern is an item
// heading. Every other line is body text of the item above it.
//
// # Reflow
//
// An item's body lines are joined into paragraphs ([Reflow]): the pieces of
// a sentence are joined with no space between Chinese characters and with
// one space between ASCII words, and a blank line starts a new paragraph only
// where the text before it ends a sentence; elsewhere it is a page or column
// break of the layout.
//
// # Output
//
// [Render] writes one page per topic, topics/<slug>.md, with one "##"
// section per item in report order, and the home page _index.md. The front
// matter carries the title, summary and weight of the topic, the source
// document, the publisher, the credit line, and importHash, the SHA-256 of
// the rest of the file. [Verify] then proves that nothing was lost or
// invented: every character of the seed outside whitespace and the dropped
// artifacts appears in the output exactly once, each item whole and in the
// seed's order.
//
// # Writing
//
// [Import] ties it together and writes only what changed. A file whose bytes
// would not change is not touched. A file whose content no longer matches its
// own importHash was edited by hand since the last import; it is left alone
// and reported, unless Force is set. Nothing is written when any input is
// bad: every problem found is returned together, each as "path:line: message".
package importer
