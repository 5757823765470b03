package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// The emulator is an http.Handler: serve it with httptest (or Start), log
// in like against Anaplan, then call the Integration API.
func Example() {
	e, err := emulator.New(emulator.Options{}) // the demo tenant
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

	req, _ = http.NewRequest("GET", srv.URL+"/2/0/models/"+emulator.RegistryModelID, nil)
	req.Header.Set("Authorization", "AnaplanAuthToken "+login.TokenInfo.TokenValue)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var got struct {
		Model struct{ Name, CurrentWorkspaceName string } `json:"model"`
	}
	json.NewDecoder(resp.Body).Decode(&got)
	fmt.Println(got.Model.Name, "in", got.Model.CurrentWorkspaceName)
	// Output:
	// login: 201
	// Model Registry in Admin Tools
}
