// Package themes holds the default theme, embedded so the plansite binary
// can build any content folder on its own.
package themes

import (
	"embed"
	"io/fs"
)

// all: keeps files whose names start with "_" or ".".
//
//go:embed all:default
var embedded embed.FS

// Default returns the default theme: layouts/ holds the html/template
// layouts, static/ the files copied to the site root.
func Default() fs.FS {
	sub, err := fs.Sub(embedded, "default")
	if err != nil {
		// fs.Sub fails only for an invalid path, and "default" is valid.
		panic(err)
	}
	return sub
}

// ContentSecurityPolicy is the policy the default theme is written to run
// under: nothing inline and nothing from another host. Servers of a built
// site send it (plansite nginx puts it in the configuration).
const ContentSecurityPolicy = "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
