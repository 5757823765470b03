package anaplan

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// logAttempt writes one debug record per HTTP attempt, what a script's -v
// shows: method, URL without its query, status (or the network error),
// how long the attempt took (to the response headers, or to the end of a
// body read inside the attempt) and which attempt it was. Never a header,
// a body or a query: tokens, passwords and signatures travel there.
func (cl *Client) logAttempt(ctx context.Context, c call, attempt int, resp *http.Response, err error, took time.Duration) {
	if !cl.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := make([]slog.Attr, 0, 6)
	attrs = append(attrs, slog.String("method", c.method), slog.String("path", c.logURL))
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", oneLine(unwrapURLError(err).Error(), 200)))
	}
	attrs = append(attrs, slog.Duration("duration", took.Round(time.Microsecond)), slog.Int("attempt", attempt))
	cl.logger.LogAttrs(ctx, slog.LevelDebug, "anaplan: request", attrs...)
}
