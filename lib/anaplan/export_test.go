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
