// Package emulator is a faithful, offline emulator of Anaplan's
// authentication service (/token/...) and Integration API v2 (/2/0/...).
//
// It serves a seeded, deterministic tenant (Demo by default) over one
// http.Handler so that clients, scripts and notebooks can run without an
// Anaplan tenant. Paths, status codes, envelopes, paging and error bodies
// follow the project's Anaplan reference and its OpenAPI documents; a
// contract test checks every route against those documents.
//
//	e, err := emulator.New(emulator.Options{})
//	srv := httptest.NewServer(e.Handler())
//
// or, standalone: emulator.Start("127.0.0.1:0", emulator.Options{}).
package emulator

import (
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// DefaultTokenTTL is the lifetime of an Anaplan authentication token.
const DefaultTokenTTL = 35 * time.Minute

// Options configure an Emulator. The zero value serves the demo tenant in
// memory with the real clock and 35-minute tokens.
type Options struct {
	// Tenant is the data served; nil means Demo().
	Tenant *Tenant
	// Now is the clock; nil means time.Now. Token expiry, certificate
	// validity and task progress all read it, so tests need no sleeps.
	Now func() time.Time
	// TokenTTL is the token lifetime; 0 means DefaultTokenTTL.
	TokenTTL time.Duration
	// StateDir, when set, persists mutable state (tokens, uploaded files,
	// tasks and model data) in that directory, and New reloads it, so a
	// restart or a new notebook cell loses nothing. Files are written atomically
	// with mode 0600. One emulator at a time holds a StateDir: New fails
	// with a *StateDirInUseError naming the other (see ErrStateDirInUse).
	StateDir string
	// ModelDefinitions makes tenant models stand in for real ones in the
	// bulk API: model ID -> engine definition JSON (see engine/README.md).
	// The tenant's RegistryModelID gets the tutorial's Model Registry
	// unless given here. Models without a definition have no files,
	// imports, exports or processes.
	ModelDefinitions map[string][]byte
	// TaskDuration is how long import, export and process tasks take on
	// the clock (Now): NOT_STARTED for the first tenth, then IN_PROGRESS,
	// COMPLETE at TaskDuration once the engine has finished. 0 means
	// DefaultTaskDuration (1s).
	TaskDuration time.Duration
	// Logger receives one debug line per request and errors; nil discards.
	Logger *slog.Logger
	// Timeouts bound how long Start's server waits on a slow client
	// (headers, an idle connection, a trickling body); the zero value
	// takes the defaults. Handler, served by the caller, does not use them.
	Timeouts ServerTimeouts
	// AllowRemote lets Start listen on a non-loopback address. The emulator
	// has a public demo password: never expose it by accident.
	AllowRemote bool
	// ReadPageRows is the number of rows per page of a large read request
	// (list items, or view rows in the tabular layout); 0 means
	// DefaultReadPageRows.
	ReadPageRows int
	// Faults injects rate limits, 5xx, latency and dropped connections,
	// deterministically under Faults.Seed; the zero value injects none.
	Faults Faults
	// Intercept, when set, stands in front of every route's handler, for
	// tests that need an answer the emulator does not give on its own (a
	// 503 on page 3, an odd body, a request held open). See Interceptor.
	Intercept Interceptor
	// AdvanceSeed is the seed Advance (and POST /__emulator/advance) moves
	// the tenant on with, as Tenant.Advance's seed: the sandbox passes its
	// -seed plus 1, the toolkit's built-in demo 1. Give the seed the tenant
	// was advanced with before New, so the days follow on.
	AdvanceSeed uint64
	// OAuth configures the OAuth service (oauth_service.go); the zero
	// value registers the demo device-grant clients.
	OAuth OAuthOptions
}

// Emulator serves one tenant. It is safe for concurrent use.
type Emulator struct {
	now       func() time.Time
	ttl       time.Duration
	log       *slog.Logger
	roots     *x509.CertPool
	bulk      *bulk // files, tasks and model data of the bulk API
	store     *store
	alm       *alm // ALM revisions, syncs and online status
	oauth     *oauthService
	txn       *txnState // read requests, model open state, calendars
	routes    []route
	router    *router
	intercept Interceptor // Options.Intercept; nil passes through
	traffic   *traffic    // Stats and fault injection
	handler   http.Handler
	state     *stateLock // held while the emulator uses Options.StateDir
	advance   *advancer  // Advance: the tenant moved on while it runs
}

// New builds an emulator from opts, reloading state from opts.StateDir.
func New(opts Options) (*Emulator, error) {
	tenant := opts.Tenant
	if tenant == nil {
		tenant = Demo()
	}
	if err := tenant.validate(); err != nil {
		return nil, fmt.Errorf("emulator: invalid tenant: %w", err)
	}
	roots, err := tenant.caPool()
	if err != nil {
		return nil, fmt.Errorf("emulator: invalid tenant: %w", err)
	}
	if opts.TokenTTL < 0 {
		return nil, fmt.Errorf("emulator: token TTL %v is negative", opts.TokenTTL)
	}
	if err := opts.Faults.validate(); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	if err := opts.OAuth.validate(); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	e := &Emulator{
		now:       opts.Now,
		ttl:       opts.TokenTTL,
		log:       opts.Logger,
		roots:     roots,
		intercept: opts.Intercept,
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.ttl == 0 {
		e.ttl = DefaultTokenTTL
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.state, err = lockStateDir(opts.StateDir); err != nil {
		return nil, err
	}
	// One persistence scheme and one mutex for all mutable state.
	state, err := openStateDir(opts.StateDir, e.log)
	if err != nil {
		e.state.release()
		return nil, err
	}
	mu := new(sync.Mutex)
	if e.bulk, err = newBulk(tenant, opts, mu, state, e.now, e.log); err != nil {
		e.state.release()
		return nil, err
	}
	if e.store, err = newStore(tenant.clone(), mu, state, e.log); err != nil {
		e.Close()
		return nil, err
	}
	if e.oauth, err = newOAuthService(opts.OAuth, state, e.log); err != nil {
		e.Close()
		return nil, err
	}
	e.txn = newTxnState(opts.ReadPageRows)
	if e.alm, err = newALM(tenant, e.store, state, opts.TaskDuration, e.log); err != nil {
		e.Close()
		return nil, err
	}
	e.advance = &advancer{seed: opts.AdvanceSeed, base: tenant.clone()}
	e.routes = e.routeTable()
	e.router = newRouter(e, e.routes)
	e.traffic = newTraffic(e, opts.Faults)
	e.handler = e.middleware(e.router)
	return e, nil
}

// Handler serves the authentication service (/token/...) and the
// Integration API (/2/0/...) on one handler.
func (e *Emulator) Handler() http.Handler { return e.handler }

// middleware wraps the router with the request-independent layers. Fault
// injection (rate limits, 5xx, latency, dropped connections) belongs here,
// outside the router, so it applies to every route alike; it sits inside
// the request log, so faulted requests are logged too. The control
// endpoints (ControlPrefix) are outside it: never faulted.
func (e *Emulator) middleware(next http.Handler) http.Handler {
	return e.logRequests(e.control(e.traffic.middleware(e.recoverPanics(next))))
}
