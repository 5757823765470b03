package anaplan

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Large-volume reads of lists and views (anaplan-api.md §6): POST starts
// a read request, its status says how many pages are ready, pages are CSV
// (each with its own header row), DELETE frees the server's copy. Pages
// may be fetched while the request is still IN_PROGRESS.

// ReadRequestState is a read request's requestState. Open enum.
type ReadRequestState string

// The read request states Anaplan documents.
const (
	ReadNotStarted ReadRequestState = "NOT_STARTED"
	ReadInProgress ReadRequestState = "IN_PROGRESS"
	ReadComplete   ReadRequestState = "COMPLETE"
	ReadCancelling ReadRequestState = "CANCELLING"
	ReadCancelled  ReadRequestState = "CANCELLED"
)

// ReadRequestStatus is a listReadRequest or viewReadRequest. The object's
// id (listId, viewId) comes as a string or a JSON number; it is not kept.
type ReadRequestStatus struct {
	RequestID      string           `json:"requestId"`
	State          ReadRequestState `json:"requestState"`
	URL            string           `json:"url,omitempty"`
	AvailablePages int              `json:"availablePages"`
	Successful     bool             `json:"successful"`
}

// ReadLayout is the layout (exportType) of a view read request.
type ReadLayout string

// The layouts a view read request takes.
const (
	LayoutTabularMultiColumn ReadLayout = "TABULAR_MULTI_COLUMN"
	LayoutTabularSingleItems ReadLayout = "TABULAR_SINGLE_ITEMS"
	LayoutGridAllPages       ReadLayout = "GRID_ALL_PAGES"
)

// ReadRequest is a started large read of one list or view.
type ReadRequest struct {
	m        *ModelHandle
	kind     string // "lists" or "views"
	objectID string
	key      string // listReadRequest or viewReadRequest
	ID       string

	// last is the latest status seen: pages below its AvailablePages need
	// no new poll (one status request per page would double the round trips).
	last ReadRequestStatus
}

// StartListRead starts a large read of a list's items.
func (m *ModelHandle) StartListRead(ctx context.Context, listID string) (*ReadRequest, error) {
	return m.startRead(ctx, "lists", listID, "listReadRequest", struct{}{})
}

// StartViewRead starts a large read of a view's cells in the given layout
// ("" means TABULAR_MULTI_COLUMN).
func (m *ModelHandle) StartViewRead(ctx context.Context, viewID string, layout ReadLayout) (*ReadRequest, error) {
	if layout == "" {
		layout = LayoutTabularMultiColumn
	}
	return m.startRead(ctx, "views", viewID, "viewReadRequest", struct {
		ExportType ReadLayout `json:"exportType"`
	}{layout})
}

func (m *ModelHandle) startRead(ctx context.Context, kind, objectID, key string, body any) (*ReadRequest, error) {
	if err := requireID(kind[:len(kind)-1], objectID); err != nil {
		return nil, err
	}
	p, err := m.path(kind, objectID, "readRequests")
	if err != nil {
		return nil, err
	}
	b, err := jsonBody(body)
	if err != nil {
		return nil, err
	}
	// Not retried after a lost answer: a second request would hold a second
	// copy on the server until it expires (30 minutes).
	var out map[string]ReadRequestStatus
	if err := m.c.do(ctx, request{method: http.MethodPost, path: p, body: b}, &out); err != nil {
		return nil, wrapf(err, "starting a large read of %s %s of %s", kind[:len(kind)-1], objectID, m)
	}
	st, ok := out[key]
	if !ok || st.RequestID == "" {
		return nil, fmt.Errorf("anaplan: starting a large read of %s %s: the answer has no %s.requestId", kind[:len(kind)-1], objectID, key)
	}
	return &ReadRequest{m: m, kind: kind, objectID: objectID, key: key, ID: st.RequestID}, nil
}

// ReadRequest re-attaches to a list's or view's read request by id:
// kind is "lists" or "views".
func (m *ModelHandle) ReadRequest(kind, objectID, requestID string) *ReadRequest {
	key := "listReadRequest"
	if kind == "views" {
		key = "viewReadRequest"
	}
	return &ReadRequest{m: m, kind: kind, objectID: objectID, key: key, ID: requestID}
}

func (r *ReadRequest) String() string {
	return fmt.Sprintf("read request %s of %s %s", r.ID, r.kind[:len(r.kind)-1], r.objectID)
}

func (r *ReadRequest) path(segments ...string) (string, error) {
	if err := requireID("read request", r.ID); err != nil {
		return "", err
	}
	return r.m.path(append([]string{r.kind, r.objectID, "readRequests", r.ID}, segments...)...)
}

// Status reads the request's state and available pages.
func (r *ReadRequest) Status(ctx context.Context) (ReadRequestStatus, error) {
	p, err := r.path()
	if err != nil {
		return ReadRequestStatus{}, err
	}
	return getOne[ReadRequestStatus](r.m.c, ctx, p, nil, r.key)
}

// Delete ends the request and frees its pages on the server.
func (r *ReadRequest) Delete(ctx context.Context) error {
	p, err := r.path()
	if err != nil {
		return err
	}
	return r.m.c.do(ctx, request{method: http.MethodDelete, path: p}, nil)
}

// Page streams page n (0-based) as CSV. The caller closes it.
func (r *ReadRequest) Page(ctx context.Context, n int) (io.ReadCloser, error) {
	if n < 0 {
		return nil, fmt.Errorf("anaplan: page number %d is negative; pages count from 0", n)
	}
	p, err := r.path("pages", strconv.Itoa(n))
	if err != nil {
		return nil, err
	}
	return r.m.c.streamGET(ctx, p, nil, "text/csv")
}

// ErrReadFailed is wrapped by the error of a read request that completed
// unsuccessfully or was cancelled; start a new one.
var ErrReadFailed = errors.New("anaplan: the large read failed")

// waitPage polls until page n is available, or the request is complete
// with fewer pages (more false).
func (r *ReadRequest) waitPage(ctx context.Context, n int) (more bool, err error) {
	if n < r.last.AvailablePages {
		return true, nil
	}
	if r.last.State == ReadComplete && r.last.Successful {
		return false, nil
	}
	for {
		st, err := r.Status(ctx)
		if err == nil {
			r.last = st
		}
		if err != nil {
			return false, err
		}
		switch {
		case st.State == ReadCancelled || st.State == ReadCancelling:
			return false, fmt.Errorf("%s was cancelled: %w", r, ErrReadFailed)
		case st.State == ReadComplete && !st.Successful:
			return false, fmt.Errorf("%s completed unsuccessfully: %w", r, ErrReadFailed)
		case n < st.AvailablePages:
			return true, nil
		case st.State == ReadComplete:
			return false, nil
		}
		if err := r.m.c.sleep(ctx, r.m.c.pollInterval); err != nil {
			return false, err
		}
	}
}

// Reader is every page of the request as one CSV stream: the header row
// once, then each page's rows, fetched one page at a time as the reader
// is read (memory holds a read buffer, never a page). Close deletes the
// request on the server. A page whose connection drops mid-way is asked
// again and resumes where it stopped.
func (r *ReadRequest) Reader(ctx context.Context) io.ReadCloser {
	return &pagesReader{ctx: ctx, r: r}
}

type pagesReader struct {
	ctx     context.Context
	r       *ReadRequest
	page    int // the page being read
	body    io.ReadCloser
	br      *bufio.Reader
	offset  int64 // bytes of the current page already delivered
	done    bool
	err     error
	closed  bool
	retries int
	// Pages reports each page finished, for progress.
	onPage func(n int)
}

func (p *pagesReader) Read(b []byte) (int, error) {
	for {
		if p.err != nil {
			return 0, p.err
		}
		if p.done {
			return 0, io.EOF
		}
		if p.body == nil {
			if err := p.open(); err != nil {
				p.err = err
				continue
			}
			if p.done {
				continue
			}
		}
		n, err := p.br.Read(b)
		p.offset += int64(n)
		if err == io.EOF {
			p.body.Close()
			p.body = nil
			if p.onPage != nil {
				p.onPage(p.page)
			}
			p.page, p.offset, p.retries = p.page+1, 0, 0
			if n > 0 {
				return n, nil
			}
			continue
		}
		if err != nil {
			p.body.Close()
			p.body = nil
			if p.ctx.Err() != nil || p.retries >= 3 {
				p.err = wrapf(err, "reading page %d of %s", p.page, p.r)
			} else {
				p.retries++ // reopen the page and skip what was delivered
			}
		}
		if n > 0 {
			return n, nil
		}
	}
}

// open waits for the current page, opens it, and skips its header row
// (pages after the first) or the part already delivered (a resumed page).
func (p *pagesReader) open() error {
	more, err := p.r.waitPage(p.ctx, p.page)
	if err != nil {
		return err
	}
	if !more {
		p.done = true
		return nil
	}
	body, err := p.r.Page(p.ctx, p.page)
	if err != nil {
		return err
	}
	p.body, p.br = body, bufio.NewReaderSize(body, 64<<10)
	skip := p.offset
	if p.page > 0 {
		if err := skipCSVRecord(p.br); err != nil {
			return wrapf(err, "page %d of %s", p.page, p.r)
		}
	}
	if skip > 0 {
		if _, err := io.CopyN(io.Discard, p.br, skip); err != nil {
			return wrapf(err, "resuming page %d of %s", p.page, p.r)
		}
	}
	return nil
}

// skipCSVRecord reads past one CSV record, newlines inside quotes included.
func skipCSVRecord(br *bufio.Reader) error {
	quoted := false
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case c == '"':
			quoted = !quoted
		case c == '\n' && !quoted:
			return nil
		}
	}
}

// Close stops reading and deletes the request on the server (with a fresh
// 30 s budget, so an interrupted read still frees the server's copy).
func (p *pagesReader) Close() error {
	if p.closed {
		return nil
	}
	p.closed = true
	if p.body != nil {
		p.body.Close()
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(p.ctx), 30*time.Second)
	defer cancel()
	return p.r.Delete(ctx)
}

// ReadListLarge streams a list's items as one CSV through a large read:
// start, pages as they become available, delete on Close. onPage, when not
// nil, is told each page read.
func (m *ModelHandle) ReadListLarge(ctx context.Context, listID string, onPage func(page int)) (io.ReadCloser, error) {
	r, err := m.StartListRead(ctx, listID)
	if err != nil {
		return nil, err
	}
	pr := r.Reader(ctx).(*pagesReader)
	pr.onPage = onPage
	return pr, nil
}

// ReadViewLarge streams a view's cells as one CSV through a large read in
// the given layout; see ReadListLarge.
func (m *ModelHandle) ReadViewLarge(ctx context.Context, viewID string, layout ReadLayout, onPage func(page int)) (io.ReadCloser, error) {
	r, err := m.StartViewRead(ctx, viewID, layout)
	if err != nil {
		return nil, err
	}
	pr := r.Reader(ctx).(*pagesReader)
	pr.onPage = onPage
	return pr, nil
}
