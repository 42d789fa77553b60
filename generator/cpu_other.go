//go:build !unix

package generator

import "time"

// processCPU is unknown here: the stage lines show wall time only.
func processCPU() time.Duration { return 0 }
