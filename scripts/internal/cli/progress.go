package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry"
)

// Progress shows uploads and running tasks on stderr: progress bars on a
// terminal, one line per finished step otherwise (cron mail, CI logs).
type Progress struct {
	w    io.Writer
	bars bool

	mu       sync.Mutex
	uploads  map[string]*progressbar.ProgressBar
	tasks    map[string]*progressbar.ProgressBar
	finished map[string]bool
}

// NewProgress writes to w; bars only when w is a terminal.
func NewProgress(w io.Writer) *Progress {
	f, ok := w.(*os.File)
	return &Progress{
		w:        w,
		bars:     ok && term.IsTerminal(int(f.Fd())),
		uploads:  map[string]*progressbar.ProgressBar{},
		tasks:    map[string]*progressbar.ProgressBar{},
		finished: map[string]bool{},
	}
}

// Upload reports an upload's progress (an anaplan.UploadOptions.Progress).
func (p *Progress) Upload(file string, u anaplan.UploadProgress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	done := u.TotalBytes >= 0 && u.BytesUploaded >= u.TotalBytes
	if p.bars {
		bar := p.uploads[file]
		if bar == nil {
			bar = progressbar.NewOptions64(u.TotalBytes,
				progressbar.OptionSetWriter(p.w),
				progressbar.OptionSetDescription("upload "+file),
				progressbar.OptionShowBytes(true),
				progressbar.OptionUseIECUnits(true),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }))
			p.uploads[file] = bar
		}
		bar.Set64(u.BytesUploaded)
		return
	}
	if done && !p.finished["upload "+file] {
		p.finished["upload "+file] = true
		chunks := "chunks"
		if u.Chunks == 1 {
			chunks = "chunk"
		}
		fmt.Fprintf(p.w, "uploaded %s (%s in %d %s)\n", file, registry.HumanBytes(anaplan.Bytes(u.BytesUploaded)), u.Chunks, chunks)
	}
}

// Task reports a running task's status (a registry.LoadOptions.OnTask).
func (p *Progress) Task(name string, s anaplan.TaskStatus) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bars {
		bar := p.tasks[name]
		if bar == nil {
			bar = progressbar.NewOptions(100,
				progressbar.OptionSetWriter(p.w),
				progressbar.OptionSetDescription(name),
				progressbar.OptionSetPredictTime(false),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }))
			p.tasks[name] = bar
		}
		pct := int(s.Progress * 100)
		if s.Done() {
			pct = 100
		}
		bar.Set(max(pct, 0))
		return
	}
	if s.Done() && !p.finished["task "+name] {
		p.finished["task "+name] = true
		fmt.Fprintf(p.w, "%s: %s\n", name, s.State)
	}
}
