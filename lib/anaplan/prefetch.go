package anaplan

import (
	"context"
	"sync"
)

// prefetch asks for the pages of a list ahead of the consumer, at most n
// at a time, in the order the consumer will need them. A nil *prefetch is
// a valid, empty one.
type prefetch[T any] struct {
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	fetch    func(context.Context, int) page[T]
	n        int
	planned  []int        // offsets not asked yet
	inflight []pending[T] // asked, in offset order
}

type pending[T any] struct {
	offset int
	done   chan page[T] // buffered: a dropped fetch never blocks
}

// plannedOffsets are the offsets of the pages after the one ending at next,
// if every page holds size items until total.
func plannedOffsets(next, size, total int) []int {
	var out []int
	for o := next; size > 0 && o < total; o += size {
		out = append(out, o)
	}
	return out
}

func startPrefetch[T any](ctx context.Context, fetch func(context.Context, int) page[T], n int, offsets []int) *prefetch[T] {
	ctx, cancel := context.WithCancel(ctx)
	p := &prefetch[T]{ctx: ctx, cancel: cancel, fetch: fetch, n: n, planned: offsets}
	p.fill()
	return p
}

// fill keeps n pages in flight while planned offsets remain.
func (p *prefetch[T]) fill() {
	for len(p.inflight) < p.n && len(p.planned) > 0 {
		pd := pending[T]{offset: p.planned[0], done: make(chan page[T], 1)}
		p.planned = p.planned[1:]
		p.inflight = append(p.inflight, pd)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			pd.done <- p.fetch(p.ctx, pd.offset)
		}()
	}
}

// take returns the page asked ahead at offset, waiting for it, and asks
// for the next planned one. ok is false when offset is not the next page
// asked ahead: the caller then drops the prefetch and fetches itself.
func (p *prefetch[T]) take(offset int) (pg page[T], ok bool) {
	if p == nil || len(p.inflight) == 0 || p.inflight[0].offset != offset {
		return page[T]{}, false
	}
	head := p.inflight[0]
	p.inflight = p.inflight[1:]
	pg = <-head.done
	p.fill()
	return pg, true
}

// stop cancels the pages still in flight and waits for their goroutines.
func (p *prefetch[T]) stop() {
	if p == nil {
		return
	}
	p.cancel()
	p.wg.Wait()
}
