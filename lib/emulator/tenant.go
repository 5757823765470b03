package emulator

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// Tenant is everything the emulator serves: one Anaplan customer with its
// users, workspaces and models. Build your own or start from Demo() or
// Generate(); New copies it, so later changes to the value have no effect.
type Tenant struct {
	// CustomerID is the customer GUID: 32 lowercase hex digits.
	CustomerID string
	Users      []User
	Workspaces []Workspace
	Models     []Model
	// TrustedCAs are PEM certificates of the CAs whose user certificates
	// may log in with CA certificate authentication.
	TrustedCAs [][]byte
	// Revisions are the ALM lineage (alm_tenant.go): revisions created in
	// source models and the syncs that applied them to others.
	Revisions []Revision
	// Day is how many days Advance has moved the tenant on (0 for a
	// tenant as built).
	Day int
}

// User is a tenant user. A user with a zero PasswordHash cannot use Basic
// authentication (like an SSO user who is not an exception user), but may
// still log in with a certificate.
type User struct {
	ID            string // 32 lowercase hex digits
	Email         string // the login name (userId); matched case-insensitively
	FirstName     string
	LastName      string
	Active        bool
	EmailOptIn    bool
	LastLoginDate time.Time
	// TenantAdmin users may filter GET /models with s=; Anaplan ignores
	// the filter for everyone else.
	TenantAdmin bool
	// PasswordHash is HashPassword(password): a tenant value never
	// carries a password.
	PasswordHash PasswordHash
}

// PasswordHash is the SHA-256 of a password. It prints as "[redacted]"
// with every fmt verb, so %v of a Tenant shows nothing crackable.
type PasswordHash [sha256.Size]byte

// Format implements fmt.Formatter.
func (PasswordHash) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "[redacted]") }

// HashPassword returns the hash stored in User.PasswordHash.
func HashPassword(password string) PasswordHash {
	return sha256.Sum256([]byte(password))
}

// Workspace is a tenant workspace. Sizes are in bytes.
type Workspace struct {
	ID            string // 32 lowercase hex digits
	Name          string
	Active        bool
	SizeAllowance int64
	CurrentSize   int64
	// NonAdminUserIDs are users without the Workspace Administrator role
	// here: the ALM API answers them 403.
	NonAdminUserIDs []string
}

// Model is a tenant model.
type Model struct {
	ID          string // 32 uppercase hex digits
	Name        string
	ActiveState string // open enum: UNLOCKED, ACTIVE, PRODUCTION, ARCHIVED, ...
	WorkspaceID string
	// CategoryValues are the model's category assignments.
	CategoryValues []CategoryValue
	// MemoryUsage is the model size in bytes (modelDetails=true).
	MemoryUsage           int64
	LastSavedSerialNumber int64
	LastModifiedByUserID  string
	Created               time.Time
	LastModified          time.Time
	// TransactionRunning is what the single-model GET reports as
	// modelTransactionRunning.
	TransactionRunning bool
	// NoAccessUserIDs are users holding the NO ACCESS model role: they see
	// the model's metadata but every model-scoped call answers 404.
	NoAccessUserIDs []string
}

// CategoryValue is one model category assignment.
type CategoryValue struct {
	ID           string
	Attribute    string
	CategoryID   string
	CategoryName string
}

var (
	lowerHex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)
	upperHex32 = regexp.MustCompile(`^[0-9A-F]{32}$`)
)

// validate reports the first structural problem that would make the
// emulator serve something Anaplan never would.
func (t *Tenant) validate() error {
	if !lowerHex32.MatchString(t.CustomerID) {
		return fmt.Errorf("tenant customer ID %q: want 32 lowercase hex digits", t.CustomerID)
	}
	users := make(map[string]bool, len(t.Users))
	emails := make(map[string]bool, len(t.Users))
	for _, u := range t.Users {
		if !lowerHex32.MatchString(u.ID) {
			return fmt.Errorf("user %q: ID %q: want 32 lowercase hex digits", u.Email, u.ID)
		}
		email := strings.ToLower(u.Email)
		if email == "" || users[u.ID] || emails[email] {
			return fmt.Errorf("user %q (%s): email empty or user duplicated", u.Email, u.ID)
		}
		users[u.ID], emails[email] = true, true
	}
	workspaces := make(map[string]bool, len(t.Workspaces))
	for _, w := range t.Workspaces {
		if !lowerHex32.MatchString(w.ID) {
			return fmt.Errorf("workspace %q: ID %q: want 32 lowercase hex digits", w.Name, w.ID)
		}
		if workspaces[w.ID] {
			return fmt.Errorf("workspace %q: duplicate ID %s", w.Name, w.ID)
		}
		workspaces[w.ID] = true
	}
	models := make(map[string]bool, len(t.Models))
	for _, m := range t.Models {
		if !upperHex32.MatchString(m.ID) {
			return fmt.Errorf("model %q: ID %q: want 32 uppercase hex digits", m.Name, m.ID)
		}
		if models[m.ID] {
			return fmt.Errorf("model %q: duplicate ID %s", m.Name, m.ID)
		}
		models[m.ID] = true
		if !workspaces[m.WorkspaceID] {
			return fmt.Errorf("model %q: workspace %q is not in the tenant", m.Name, m.WorkspaceID)
		}
		if m.ActiveState == "" {
			return fmt.Errorf("model %q: empty activeState", m.Name)
		}
		for _, id := range m.NoAccessUserIDs {
			if !users[id] {
				return fmt.Errorf("model %q: no-access user %q is not in the tenant", m.Name, id)
			}
		}
	}
	if err := t.validateRevisions(); err != nil {
		return err
	}
	_, err := t.caPool()
	return err
}

// caPool parses TrustedCAs.
func (t *Tenant) caPool() (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	for i, data := range t.TrustedCAs {
		n := 0
		for rest := data; ; {
			var block *pem.Block
			block, rest = pem.Decode(rest)
			if block == nil {
				break
			}
			if block.Type != "CERTIFICATE" {
				continue
			}
			cert, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("trusted CA #%d: %w", i, err)
			}
			pool.AddCert(cert)
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("trusted CA #%d: no PEM CERTIFICATE block", i)
		}
	}
	return pool, nil
}

// clone returns a deep copy so the emulator never shares slices with its caller.
func (t *Tenant) clone() *Tenant {
	c := &Tenant{CustomerID: t.CustomerID, Day: t.Day}
	c.Users = append([]User(nil), t.Users...)
	c.Workspaces = append([]Workspace(nil), t.Workspaces...)
	for i := range c.Workspaces {
		c.Workspaces[i].NonAdminUserIDs = append([]string(nil), c.Workspaces[i].NonAdminUserIDs...)
	}
	c.Revisions = cloneRevisions(t.Revisions)
	c.Models = make([]Model, len(t.Models))
	for i, m := range t.Models {
		m.CategoryValues = append([]CategoryValue(nil), m.CategoryValues...)
		m.NoAccessUserIDs = append([]string(nil), m.NoAccessUserIDs...)
		c.Models[i] = m
	}
	for _, ca := range t.TrustedCAs {
		c.TrustedCAs = append(c.TrustedCAs, append([]byte(nil), ca...))
	}
	return c
}
