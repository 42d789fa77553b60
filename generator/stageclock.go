package generator

import (
	"fmt"
	"time"
)

// stageClock times the stages of a build for --verbose: wall time, and the
// CPU time of the whole process where the system reports it. On a shared
// machine CPU time is the steadier figure, and the stages run one after
// another, so the process's CPU time between two laps is the stage's.
type stageClock struct {
	wall time.Time
	cpu  time.Duration
}

func newStageClock() stageClock {
	return stageClock{time.Now(), processCPU()}
}

// lap describes the time since the last lap (or the start) and starts the
// next stage.
func (c *stageClock) lap() string {
	now, cpu := time.Now(), processCPU()
	s := now.Sub(c.wall).Round(time.Millisecond).String()
	if cpu > 0 {
		s = fmt.Sprintf("%s (%.2f s CPU)", s, (cpu - c.cpu).Seconds())
	}
	c.wall, c.cpu = now, cpu
	return s
}
