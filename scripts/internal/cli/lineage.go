package cli

import (
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Lineage reports ALM reads (a registry.LineageOptions.Progress): a bar on
// a terminal, nothing otherwise (the summary counts them).
func (p *Progress) Lineage(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bars {
		bar := p.tasks["alm"]
		if bar == nil {
			bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(p.w),
				progressbar.OptionSetDescription("ALM lineage"),
				progressbar.OptionShowCount(),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }))
			p.tasks["alm"] = bar
		}
		bar.Set(done)
	}
}
