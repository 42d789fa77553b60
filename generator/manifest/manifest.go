// Package manifest owns manifest.json, the list of every file of a build
// (path, size, SHA-256), and the comparisons made from it: which files two
// builds do not share (for deploying only what changed) and, for the press
// office's sign-off, which pages were added, removed or changed and how
// their visible text changed.
//
// It knows files by slash path and bytes only.
package manifest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Name is the manifest's file name at the site root. The manifest does
// not list itself.
const Name = "manifest.json"

// format is the manifest's format number, written as "format".
const format = 1

// File is one file of a build.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest lists a build's files, sorted by path.
type Manifest struct {
	Files []File
}

// Of returns the File entry of data at path p.
func Of(p string, data []byte) File {
	sum := sha256.Sum256(data)
	return File{Path: p, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
}

// New returns the manifest of files, in any order.
func New(files []File) *Manifest {
	m := &Manifest{Files: slices.Clone(files)}
	slices.SortFunc(m.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return m
}

// Encode returns manifest.json: one file to a line, so that the file
// itself reads and compares well.
func (m *Manifest) Encode() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\"format\":%d,\"files\":[", format)
	for i, f := range m.Files {
		if i > 0 {
			b.WriteByte(',')
		}
		line, _ := json.Marshal(f) // three plain fields: cannot fail
		b.WriteString("\n")
		b.Write(line)
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}

// Decode reads manifest.json.
func Decode(data []byte) (*Manifest, error) {
	var raw struct {
		Format int    `json:"format"`
		Files  []File `json:"files"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	if raw.Format != format {
		return nil, fmt.Errorf("%s: format %d, not %d (build the site again with this version of plansite)", Name, raw.Format, format)
	}
	for _, f := range raw.Files {
		if !fs.ValidPath(f.Path) || f.Path == "." || f.Size < 0 {
			return nil, fmt.Errorf("%s: %q is not a file of a site", Name, f.Path)
		}
	}
	return New(raw.Files), nil
}

// Load reads the manifest of the built site in folder dir.
func Load(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, Name))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s has no %s: is it a site built by plansite? (build it again)", dir, Name)
		}
		return nil, err
	}
	m, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return m, nil
}

// Index returns the files by path.
func (m *Manifest) Index() map[string]File {
	idx := make(map[string]File, len(m.Files))
	for _, f := range m.Files {
		idx[f.Path] = f
	}
	return idx
}

// Changes lists the paths of cur that old lacks or holds with other bytes
// (to send), and the paths of old that cur lacks (to delete), each sorted.
// A nil old has no files.
func Changes(old, cur *Manifest) (send, remove []string) {
	var was map[string]File
	if old != nil {
		was = old.Index()
	}
	now := cur.Index()
	for _, f := range cur.Files {
		if o, ok := was[f.Path]; !ok || o.SHA256 != f.SHA256 || o.Size != f.Size {
			send = append(send, f.Path)
		}
	}
	if old != nil {
		for _, f := range old.Files {
			if _, ok := now[f.Path]; !ok {
				remove = append(remove, f.Path)
			}
		}
	}
	return send, remove
}
