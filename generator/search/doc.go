// Package search builds the site's full-text search index, which the
// browser client themes/default/static/js/search.js queries without a
// server.
//
// # Documents
//
// Every `##` section of a page, and the text of a page before its first
// `##`, is one document (a Section): a result links to the section itself,
// /topics/<slug>/#<heading-id>. A document is searched in its heading, its
// text and, for the first section of each page only, the page title (so a
// query for a page's title finds the page once, not once per section).
// Only what the caller passes is indexed: the generator passes published
// pages' URLs, titles and text, nothing from front matter or drafts.
//
// # Tokens
//
// Chinese has no spaces, so the index does not look for words. Text is
// first folded: split into chunks (a code point and the combining marks
// after it), each chunk normalized to NFKC, each resulting code point
// lower-cased on its own, and each ideograph of U+3400–U+9FFF mapped to
// its simplified form by a table generated from OpenCC's dictionaries
// (tsfold.go). So full-width ＥＯＤ equals EOD, ㎡ equals m2 and 環境
// equals 环境. Snippets are cut from the text as written, so a site in
// traditional characters shows its own.
// The folded text is then cut into tokens:
//
//   - a run of Han characters gives its bigrams (海外仓 → 海外, 外仓), or
//     the character itself when the run is one character long;
//   - a run of letters, digits and marks is one word, with "." or ","
//     between two digits kept inside (2.76万亩 → 2.76, 万亩; PM2.5; 5G);
//   - everything else (punctuation, spaces, symbols) separates tokens.
//
// The index also stores every Han character on its own, so a one-character
// query finds it anywhere. Tokens returns the tokens of a string.
//
// search.js implements the same rules with String.prototype.normalize and
// toLowerCase applied per chunk and per code point. The one difference in
// case mapping, U+0130 İ (JS "i̇", Go "i"), is mapped to "i" on both sides.
// Go's Unicode tables are version 15.0 and a browser's may be newer, so
// characters assigned since may fold or classify differently; the shared
// vectors in testdata/tokenizer_vectors.json pin the tokens of typical
// text and a digest of the fold of every code point of Latin, Greek,
// Cyrillic, punctuation, CJK, Hangul, compatibility and full-width blocks,
// and both the Go tests and the JS tests (node --test testdata/js/, run by
// TestJS) check them.
//
// # Matching and ranking
//
// A query is tokenized the same way. Tokens that touch in the query form a
// phrase (海外仓, 2.76万亩); tokens separated by a space or punctuation form
// separate phrases. A section matches when it holds every token and every
// phrase occurs in its folded heading, text or indexed page title. The
// posting lists give the candidates (all tokens present); the phrase check
// on the stored text removes those whose bigrams occur only apart. Hence
// the guarantee: any string of two or more Han characters that occurs in a
// section's text finds that section (TestRecall checks every two- and
// three-character substring of its corpora).
//
// A query also runs as its variants: where it holds one side of a
// phrase pair that OpenCC converts otherwise than character by character
// (计划 and 計畫, which folds to 计画), the query with the other side.
// Then, if its folded text (spaces trimmed) is a word of the site's
// synonyms, it runs as each related word in turn. Results come run by
// run, a section already found not repeated, so a synonym's matches rank
// below the query's own and carry the word they matched through (the page
// says 相关词：医疗). A run is made only when the page is not full.
//
// A query that finds nothing gets suggestions (suggest.go): strings of
// the text one character off, and the longest pieces of the query that
// occur.
//
// Candidates are ranked by: every query token in the title first; then a
// BM25 score, the sum over the query's tokens of idf × the token's
// term-frequency factor, both precomputed and quantized at build time so
// Go and JS compute identical integers; then document order. Results are
// verified in that order, a page (10) at a time. When every phrase is a
// single token the number of candidates is the exact number of results;
// otherwise it is an upper bound until all candidates are verified (the
// page says 找到约 N 条结果).
//
// A snippet is 80 folded characters of the section text starting up to 16
// before the first match, with every match marked; search.js builds it
// with DOM text nodes and <mark> elements, never from HTML.
//
// # Files
//
// All paths are relative to the site root. The manifest always has the
// fixed name search/manifest.json (serve it with a short cache lifetime);
// it is a JSON object with
//
//	v       format version, 3 (2 had no synonyms and folded no
//	        traditional characters; 1 had every shard in the folder
//	        itself)
//	n       number of documents
//
// A small index (at most Options.ShardThreshold bytes, 512 KiB by default,
// before compression) is the manifest alone, with two more members, and a
// third if the site has synonyms:
//
//	tokens  {"<token>": [idf, "<postings>"], …}
//	docs    [[url, pageTitle, title, text, p], …]
//	syn     {"<folded word>": ["<related word as written>", …], …}
//
// A larger index is split, and the manifest instead names where the shards
// live and how they are cut:
//
//	dir     "search/<hash>/": the first 16 hex digits of the SHA-256 of
//	        the format version, the shard sizes and every document, so
//	        whatever changes the shards changes the name, and the shards
//	        can be cached forever (the name does not wait for the shards,
//	        so each is written as soon as it is encoded)
//	ts      number of token shards
//	dk      documents per document shard
//	rs      number of result shards
//	sb      if the site has synonyms: 1,024 bits in 256 hex digits, bit
//	        i being bit i mod 4 of digit floor(i/4), the least significant
//	        first; bit FNV-1a-32(UTF-8 of w) mod 1024 is set for each word
//	        w. The synonyms, a "syn" object as above, are in <dir>syn.json,
//	        which a client fetches only for a query whose bit is set.
//
// Shard n of a kind lives in a folder of 64: token shard i in
// <dir>t<floor(i/64)>/<i>.json, document shard j in
// <dir>d<floor(j/64)>/<j>.json, result shard k in
// <dir>r<floor(k/64)>/<k>.json (so t0/0.json … t0/63.json, t1/64.json …):
// creating thousands of files in one folder costs the build more.
//
// Token t lives in token shard i = FNV-1a-32(UTF-8 of t) mod ts; that
// file is a "tokens" object as above holding only its tokens. Document d
// lives in document shard j = floor(d / dk), at index d − j·dk of the
// array. The first page of results of a query that is one Han token (two
// Han characters, or one) lives in result shard k = FNV-1a-32(UTF-8 of t)
// mod rs:
//
//	{"<token>": [total, [[url, pageTitle, title, pieces], …]], …}
//
// Words and numbers have no result entry (see hasResults): a client asks
// for one only when the token's first code point is Han. total is the
// number of matching documents and the list holds the first ten in rank
// order, with their snippet as pieces: strings alternating
// plain and marked text, starting with plain, an empty string standing for
// an empty piece. Shards are cut to about 24 KiB (tokens), 10 KiB
// (documents) and 128 KiB (results) uncompressed, see Options, but there
// are never more than 8,192 of them: at most 2,048 token, 5,120 document
// and 1,024 result shards. A site past that bound gets larger shards
// rather than more files. Each build writes a new directory: the previous
// one is no longer referenced and can be deleted.
//
// In a token entry, idf is round(100·ln(1+(N−df+0.5)/(df+0.5))). The
// postings string holds, for each document holding the token in
// ascending order, two numbers: its weight, then its gap (its id minus
// the previous one's; the first gap is the first id). A number is written
// in the 64 digits 0–9 a–z A–Z - _ (values 0 to 63), five bits a digit,
// least significant first: a digit under 32 is the number's last, one of
// 32 or more carries value−32 and says that more follow. The weight is
// 2q+t, one digit (2–f), where t is 1 if the token is in the document's
// title and q in 1…7 is the BM25 factor tf·(k1+1)/(tf+k1·(1−b+b·dl/avgdl))
// with k1 = 1.2, b = 0.75, scaled to 1…7, dl being the number of
// characters of the indexed text. So "8ad3" is document 10 with weight 8,
// then document 13 with weight 13 (6, in the title); "8E1" is a gap of 40
// (8 + 32·1). In a document record, p is 1 when the page title is indexed
// with the section.
//
// A one-token Han query (most two-character queries) therefore fetches
// the manifest and one result shard: 2 requests. On the 10,000-page
// synthetic corpus of BenchmarkQueryBytes that is 12 KB gzip at the
// median, 16 KB at the 90th percentile and 17 KB at most. Its later pages,
// a query for one word or number, and every longer query fetch the token
// shards of its tokens (one per distinct token, all at once), then the
// document shards of the candidates they show (up to ten, all at once):
// 85 KB at the median for three to five characters. The result shards
// cost the build their snippets: on the corpusgen benchmark corpus about
// 10 MB of output, for 2,700 Han tokens. Words and numbers are left out
// because a large site has tens of thousands of them, most found in a
// section or two: their entries were 60 MB and most of the snippet work.
//
// # Building
//
// Build first measures every document, so that a posting's weight is known
// as soon as its document is counted, and keeps each token's postings in a
// byte slice per worker, written as the token shard holds them from the
// moment they are counted. Each worker counts a contiguous range of
// documents. Common ideographs, punctuation and ASCII words are read
// straight from the text's bytes; only what lies between them is folded
// into code points first. A character is counted once per occurrence, as
// the bigram it opens or as the last of its run, and its own count is
// summed from those once per document. Chinese tokens and words have
// counters apart, so that the few thousand that take nearly every posting
// stay in the cache; words, too many for it, are logged as they are seen
// and their postings written when the worker is done, sorted by word. A
// Han token's first page of results is kept as its postings are counted.
// Each worker sorts its tokens, and the sorted lists are interleaved into
// one. A token entry is the workers' slices joined, each worker's first
// gap written again from the previous worker's last document; its first
// page is the best of the workers' pages. The text of each document on the
// first page of some token's results is folded once more, to cut its
// snippets. Every file is encoded once into a buffer its worker reuses and
// (through BuildTo) handed on at once; the posting lists are dropped once
// the token shards are out. BenchmarkBuild reports its CPU time and the
// peak RSS it adds; BenchmarkCollect and BenchmarkEncodeTokens time the
// counting and the token entries alone, on one goroutine.
//
// Build output depends only on the sections and their order: no maps are
// iterated into files, and nothing records the time.
package search
