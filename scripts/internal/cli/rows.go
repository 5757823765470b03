package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// RowProgress shows rows read or written on stderr: a bar on a terminal
// (a spinner when the total is unknown), nothing otherwise, where the
// one-line summary the script prints at the end is enough.
type RowProgress struct {
	bar *progressbar.ProgressBar
}

// NewRowProgress describes the work as desc; total <= 0 means unknown.
func NewRowProgress(w io.Writer, desc string, total int64) *RowProgress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return &RowProgress{}
	}
	if total <= 0 {
		total = -1
	}
	return &RowProgress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionShowIts(),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))}
}

// Rows reports the rows done so far.
func (p *RowProgress) Rows(n int64) {
	if p.bar != nil {
		_ = p.bar.Set64(n)
	}
}

// Done ends the bar.
func (p *RowProgress) Done() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
