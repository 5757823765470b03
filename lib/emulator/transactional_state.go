package emulator

import (
	"sync"
	"time"
)

// txnState is the state of the transactional and model-administration
// routes that lives outside the engine: large read requests and each
// model's open/closed state, calendar and versions. It is in memory only
// (read requests expire anyway; calendars and versions start from their
// defaults after a restart).
type txnState struct {
	persistMu sync.Mutex // serialises model persistence after writes
	pageRows  int        // rows per read request page

	mu      sync.Mutex
	reads   map[string]*readRequest
	nextSeq int64
	closed  map[string]bool // model ID -> closed (models start open)
	admin   map[string]*modelAdmin
}

func newTxnState(pageRows int) *txnState {
	if pageRows <= 0 {
		pageRows = DefaultReadPageRows
	}
	return &txnState{pageRows: pageRows, reads: map[string]*readRequest{},
		closed: map[string]bool{}, admin: map[string]*modelAdmin{}}
}

// touch marks a model open: any model-scoped call wakes a closed model,
// as a user opening it in Anaplan does.
func (s *txnState) touch(modelID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.closed, modelID)
}

func (s *txnState) setClosed(modelID string, closed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if closed {
		s.closed[modelID] = true
	} else {
		delete(s.closed, modelID)
	}
}

func (s *txnState) isClosed(modelID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed[modelID]
}

// addRead registers a read request, giving it its id, and reclaims idle ones.
func (s *txnState) addRead(rr *readRequest, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reclaim(now)
	s.nextSeq++
	rr.id = readRequestID(s.nextSeq)
	s.reads[rr.id] = rr
}

// read returns a live read request, reclaiming idle ones first.
func (s *txnState) read(id string, now time.Time) *readRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reclaim(now)
	return s.reads[id]
}

func (s *txnState) touchRead(id string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rr := s.reads[id]; rr != nil {
		rr.lastAccess = now
	}
}

func (s *txnState) removeRead(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.reads, id)
}

// reclaim drops read requests idle for readIdleExpiry. The caller holds s.mu.
func (s *txnState) reclaim(now time.Time) {
	for id, rr := range s.reads {
		if now.Sub(rr.lastAccess) >= readIdleExpiry {
			delete(s.reads, id)
		}
	}
}

// modelAdminLocked returns a model's calendar and versions, creating the
// defaults on first use.
// The caller holds s.mu.
func (s *txnState) modelAdminLocked(modelID string) *modelAdmin {
	a := s.admin[modelID]
	if a == nil {
		a = defaultModelAdmin()
		s.admin[modelID] = a
	}
	return a
}
