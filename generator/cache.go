package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"plansite/generator/atomicfile"
	"plansite/generator/content"
	"plansite/generator/output"
)

// The build cache remembers, per output folder, what the last successful
// build read and wrote. It makes two things cheap:
//
//   - a no-op build: when no input file's size or modification time
//     changed and the output is as it was left, nothing is read, rendered or
//     written at all;
//   - an incremental build: a page whose inputs hash to the same key as
//     last time is not rendered again; its previous output file is
//     hard-linked into the new tree, and so is any other output whose bytes
//     did not change, so unchanged files keep their bytes and modification
//     times across the atomic swap.
//
// A page's key covers everything its rendering may read: the generator
// binary, the theme's files, site.yaml, the build options, the front matter
// of every published page (listings, neighbours and navigation come from
// front matter) and the page's own body. Rendering must therefore never
// read another page's body; whatever needs bodies (the search index) is
// built every time and linked only when its bytes are unchanged.
//
// The cache lives outside the output (the user's cache folder or
// --cache-dir), may be deleted at any time, and is ignored when it cannot
// be read or parsed.

// manifest is the cache file of one output folder.
type manifest struct {
	// Build identifies the generator binary, theme and options; a cache
	// written under another identity is ignored.
	Build  string              `json:"build"`
	Inputs []content.FileStamp `json:"inputs"`
	// NextChange is when scheduled content next changes the site (Unix
	// nanoseconds), or 0; a no-op build is not a no-op past it.
	NextChange int64 `json:"nextChange,omitempty"`
	// Now is the moment the build published for (Unix nanoseconds).
	Now     int64                      `json:"now"`
	Pages   int                        `json:"pages"`
	Outputs map[string]output.FileInfo `json:"outputs"`
	// Spare lists the files of the spare tree: the output of the build
	// before, kept for the next build to update in place of a new folder.
	Spare map[string]output.FileInfo `json:"spare,omitempty"`
}

// manifestPath names the cache file of an output folder.
func manifestPath(cacheDir, outAbs string) string {
	sum := sha256.Sum256([]byte(outAbs))
	return filepath.Join(cacheDir, "builds", hex.EncodeToString(sum[:12])+".json")
}

// sparePath names the folder that keeps an output folder's spare tree.
func sparePath(cacheDir, outAbs string) string {
	sum := sha256.Sum256([]byte(outAbs))
	return filepath.Join(cacheDir, "spare", hex.EncodeToString(sum[:12]))
}

// readManifest returns the cached manifest, or nil when there is none or
// it is unreadable: a damaged cache only costs a full build.
func readManifest(path, build string) *manifest {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil || m.Build != build || m.Outputs == nil {
		return nil
	}
	return &m
}

// writeManifest saves m.
func writeManifest(path string, m *manifest) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return atomicfile.WriteFunc(path, 0o600, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// executableHash identifies the running generator, so a cache written by
// another build of plansite (a new version, or a developer's edit) is never
// trusted. It is computed once per process: the binary does not change
// while it runs.
var executableHash = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
})

// hashFS hashes every file of fsys, names and contents, in path order.
func hashFS(fsys fs.FS) (string, error) {
	h := sha256.New()
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return "", err
		}
		writeField(h, []byte(n))
		writeField(h, data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeField writes a length-prefixed field, so that no two sequences of
// fields hash alike.
func writeField(w io.Writer, b []byte) {
	var n [8]byte
	l := uint64(len(b))
	for i := range n {
		n[i] = byte(l >> (8 * i))
	}
	w.Write(n[:])
	w.Write(b)
}
