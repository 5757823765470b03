// Package browsertest opens pages in headless Chromium (Debian's package,
// driven through chromedp) for the tests of what people look at: the OAuth
// verification page and the registry report. It records what the page
// writes to its console, so a test can fail on any error there.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium finds headless Chromium: $CHROMIUM, or one on PATH. The test
// fails without it: go run ./scripts/testall installs it.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("headless Chromium is needed for the browser tests; on Debian: sudo apt-get install chromium " +
		"(go run ./scripts/testall installs it), or set CHROMIUM to a Chrome binary")
	return ""
}

// Browser is one headless Chromium for a test, closed when the test ends.
type Browser struct {
	Ctx context.Context // a tab; chromedp.NewContext(Ctx, ...) opens more
}

// New starts Chromium with flags that suit a closed network and root
// (no sandbox, no GPU, no background connections), bounded by timeout.
func New(t testing.TB, timeout time.Duration) *Browser {
	t.Helper()
	ctx, stop := context.WithTimeout(context.Background(), timeout)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, closeAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tab, closeTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { closeTab(); closeAlloc(); stop() })
	return &Browser{Ctx: tab}
}

// Console collects what a tab writes to its console from now on.
type Console struct {
	mu   sync.Mutex
	msgs []chromedp.ConsoleMessage
}

// WatchConsole starts collecting tab's console messages.
func WatchConsole(tab context.Context) *Console {
	c := &Console{}
	messages := chromedp.Console(tab) // subscribes now, before the caller navigates
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			c.mu.Lock()
			c.msgs = append(c.msgs, m)
			c.mu.Unlock()
		}
	}()
	return c
}

// Problems are the errors, warnings and exceptions collected so far.
func (c *Console) Problems() []chromedp.ConsoleMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []chromedp.ConsoleMessage
	for _, m := range c.msgs {
		switch m.Type {
		case chromedp.ConsoleError, chromedp.ConsoleException, chromedp.ConsoleWarning:
			out = append(out, m)
		}
	}
	return out
}
