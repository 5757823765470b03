package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// Faults make the emulator behave like a busy tenant; Stats shows what
// was injected. ExemptAuth keeps the login reliable, and a request
// without a token gets its 401 whatever the faults.
func ExampleFaults() {
	e, err := emulator.New(emulator.Options{
		Faults: emulator.Faults{RateLimit: 1, Seed: 7, ExemptAuth: true},
	})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()

	req, _ := http.NewRequest("POST", srv.URL+"/token/authenticate", nil)
	req.SetBasicAuth(emulator.DemoUser, emulator.DemoPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	var login struct {
		TokenInfo struct{ TokenValue string } `json:"tokenInfo"`
	}
	json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	fmt.Println("login:", resp.StatusCode)

	for _, auth := range []string{"", "AnaplanAuthToken " + login.TokenInfo.TokenValue} {
		req, _ = http.NewRequest("GET", srv.URL+"/2/0/workspaces", nil)
		req.Header.Set("Authorization", auth)
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode, "Retry-After:", resp.Header.Get("Retry-After") != "")
	}

	s := e.Stats()
	fmt.Println("requests:", s.Requests["GET /2/0/workspaces"], "handled:", s.Handled["GET /2/0/workspaces"])
	fmt.Println("rate limited:", s.Faults[emulator.FaultRateLimit])
	// Output:
	// login: 201
	// 401 Retry-After: false
	// 429 Retry-After: true
	// requests: 2 handled: 1
	// rate limited: 1
}
