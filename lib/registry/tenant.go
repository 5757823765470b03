package registry

import (
	"context"
	"net"
	"net/url"
	"strings"

	"github.com/anaplan-registry/toolkit/lib/registry/history"
)

// Tenant says whose runs the history files a run under. Key is what the
// database stores and must not change from run to run; Label is what
// people read (the report's subtitle, registry-diff).
//
// On Anaplan the key is the customer (the customerId GET /users/me
// returns) and the user: the API host is shared by every customer and one
// customer can be reached through several regional hosts, while one user
// can belong to two customers. The user stays in the key because the
// registry is what that user can see: two admins with different access
// would make each other's runs look like models added and removed. On a
// sandbox (an emulator on this machine) the host and port are in the key
// too, since every emulator serves the same demo customer. The built-in
// emulator's demo tenant has a key of its own.
type Tenant struct {
	Key   string
	Label string
	// Legacy is the key an older toolkit filed this tenant's runs under
	// (the API host without its port, and the user), "" for none; see
	// AdoptLegacyTenant.
	Legacy string
	// Demo is true for the built-in emulator's demo tenant.
	Demo bool
}

// DemoTenantKey is the built-in emulator's demo tenant, as key and label.
const DemoTenantKey = "demo tenant (built-in emulator)"

// DemoTenant is the built-in emulator's demo tenant; legacy is the key an
// older toolkit used for it.
func DemoTenant(legacy string) Tenant {
	return Tenant{Key: DemoTenantKey, Label: DemoTenantKey, Legacy: legacy, Demo: true}
}

// AnaplanTenant is the tenant of customer (its 32-hex customer id) as user
// (an email) reads it through the API at apiURL. A loopback host (a
// sandbox) keeps its host and port in the key; a customer id Anaplan did
// not give falls back to the host and port.
func AnaplanTenant(customer, user, apiURL, legacy string) Tenant {
	customer, user = strings.ToLower(strings.TrimSpace(customer)), strings.ToLower(strings.TrimSpace(user))
	host := apiURL
	if u, err := url.Parse(apiURL); err == nil && u.Host != "" {
		host = strings.ToLower(u.Host)
	}
	var key string
	switch {
	case isLoopbackHost(host):
		key = "sandbox=" + host + " customer=" + customer + " user=" + user
	case customer == "":
		key = "host=" + host + " user=" + user
	default:
		key = "customer=" + customer + " user=" + user
	}
	return Tenant{Key: key, Label: TenantLabel(key), Legacy: legacy}
}

func isLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// TenantLabel turns a key the history holds into words: "demo tenant
// (built-in emulator)", "Anaplan customer 8a81b09d… as a.user@acme.com",
// "sandbox at 127.0.0.1:8080 as demo.admin@example.com". A key written by
// an older toolkit ("api.anaplan.com a.user@acme.com") reads "a.user@acme.com
// at api.anaplan.com"; a key it does not know reads as it is.
func TenantLabel(key string) string {
	if key == DemoTenantKey {
		return key
	}
	fields := strings.Fields(key)
	parts := map[string]string{}
	for _, f := range fields {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			if len(fields) == 2 { // host user, the older key
				return fields[1] + " at " + fields[0]
			}
			return key
		}
		parts[k] = v
	}
	user := parts["user"]
	switch {
	case parts["sandbox"] != "":
		return "sandbox at " + parts["sandbox"] + " as " + user
	case parts["customer"] != "":
		c := parts["customer"]
		if len(c) > 8 {
			c = c[:8] + "…"
		}
		return "Anaplan customer " + c + " as " + user
	case parts["host"] != "":
		return user + " at " + parts["host"]
	}
	return key
}

// AdoptLegacyTenant files the runs an older toolkit recorded under
// t.Legacy under t.Key, so the history (diff, forecast, ALM cache) goes on
// where it stopped: once, and only while t.Key has no runs of its own. The
// older key did not tell the built-in demo tenant from a sandbox (both
// "127.0.0.1 demo.admin@example.com"): the demo tenant adopts those runs
// only when the last of them read the demo tenant (it noted its demo day),
// anything else only when it did not. It reports whether runs were adopted.
func AdoptLegacyTenant(ctx context.Context, db *history.DB, t Tenant) (bool, error) {
	if db == nil || t.Legacy == "" || t.Legacy == t.Key {
		return false, nil
	}
	return db.AdoptTenant(ctx, t.Legacy, t.Key, t.Demo)
}
