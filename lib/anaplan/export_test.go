package anaplan

import (
	"context"
	"time"
)

// WithSleep replaces the retry wait, so tests record waits instead of
// sleeping. It exists only in tests.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(s *settings) { s.sleep = sleep }
}

// SleepContext is the client's real wait, for tests that need deadlines to
// behave as in production.
var SleepContext = sleepContext

// WithMaxChunksForTest lowers the 1000-chunk limit, so a test can reach it
// without uploading a gigabyte.
func (o UploadOptions) WithMaxChunksForTest(n int) UploadOptions {
	o.maxChunks = n
	return o
}

// WithGzipLevelForTest sets the compression level (compress/flate), so
// tests of buffering under -race need not pay for real compression.
func (o UploadOptions) WithGzipLevelForTest(level int) UploadOptions {
	o.gzipLevel = level
	return o
}

// MaxReauthentications exposes maxReauthentications to the tests.
const MaxReauthentications = maxReauthentications
