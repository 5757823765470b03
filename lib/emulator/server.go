package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// ErrRemoteAddr reports a non-loopback listen address without AllowRemote.
var ErrRemoteAddr = errors.New("refusing to listen on a non-loopback address (the demo password is public)")

// DefaultAddr is where Start listens when addr is empty: loopback, any
// free port.
const DefaultAddr = "127.0.0.1:0"

// Server is an emulator listening on a real TCP address.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234.
	URL string
	// Emulator is the emulator being served.
	Emulator *Emulator

	srv  *http.Server
	done chan struct{}

	mu    sync.Mutex
	fresh map[net.Conn]struct{} // accepted, no request read yet
}

// AuthURL is the base URL of the authentication service (Anaplan's
// https://auth.anaplan.com): requests go to AuthURL()+"/token/authenticate".
func (s *Server) AuthURL() string { return s.URL }

// APIURL is the base URL of the Integration API (Anaplan's
// https://api.anaplan.com/2/0).
func (s *Server) APIURL() string { return s.URL + "/2/0" }

// Start builds an emulator from opts and serves it on addr (DefaultAddr
// when empty). It refuses a non-loopback address unless opts.AllowRemote
// is set: the demo tenant's password is public.
func Start(addr string, opts Options) (*Server, error) {
	if addr == "" {
		addr = DefaultAddr
	}
	if err := checkLoopback(addr, opts.AllowRemote); err != nil {
		return nil, err
	}
	e, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		e.Close() // and its state directory's lock
		return nil, fmt.Errorf("emulator: listen on %s: %w", addr, err)
	}
	timeouts := opts.Timeouts.withDefaults()
	s := &Server{
		URL:      "http://" + ln.Addr().String(),
		Emulator: e,
		srv: &http.Server{
			Handler:           minRateBodies(e.Handler(), timeouts),
			ReadHeaderTimeout: timeouts.ReadHeader,
			IdleTimeout:       timeouts.Idle,
		},
		done:  make(chan struct{}),
		fresh: make(map[net.Conn]struct{}),
	}
	e.state.setAddr(s.URL)
	s.srv.ConnState = s.trackFresh
	s.srv.RegisterOnShutdown(s.closeFresh)
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			e.log.Error("emulator: serve", "addr", s.URL, "error", err)
		}
	}()
	return s, nil
}

// Shutdown stops accepting connections and waits for in-flight requests
// until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		_ = s.srv.Close()
	}
	<-s.done
	// Start made the emulator, so the server owns it: stop its tasks and
	// remove its temporary upload directory.
	if cerr := s.Emulator.Close(); err == nil {
		err = cerr
	}
	return err
}

// trackFresh remembers connections that have not sent a request yet.
func (s *Server) trackFresh(c net.Conn, state http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if state == http.StateNew {
		s.fresh[c] = struct{}{}
	} else {
		delete(s.fresh, c)
	}
}

// closeFresh closes connections that never sent a request. Go's Transport
// may dial a spare connection it then never uses, and net/http's Shutdown
// waits five seconds before it treats such a connection as idle: a script
// stopping its in-process emulator would hang that long. Shutdown runs
// this after the listener is closed, so no new connection can follow.
func (s *Server) closeFresh() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.fresh {
		_ = c.Close()
		delete(s.fresh, c)
	}
}

// Close shuts the server down, giving in-flight requests five seconds.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.Shutdown(ctx)
}

// checkLoopback refuses addresses reachable from other machines unless
// allowed: an empty host (all interfaces) or any host that is not
// "localhost" or a loopback IP.
func checkLoopback(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("emulator: address %q: want host:port, e.g. %s", addr, DefaultAddr)
	}
	if allowRemote || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("emulator: %q: %w; use 127.0.0.1, or allow remote access explicitly", addr, ErrRemoteAddr)
}
