package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// subjectStdlib is the plain-standard-library client: what scripts/registry
// is measured against to decide whether the toolkit's own JSON and paging
// code earns its place (net/http and encoding/json, nothing else).
const subjectStdlib = "stdlib client"

// The stdlib client makes the requests scripts/registry makes, in the same
// order and overlap: log in; the first page of workspaces and of models side
// by side; once a first page's meta.paging.totalSize is known, every other
// page of that list at once, at most stdlibConcurrency in flight. It decodes
// each page into plain structs with encoding/json and writes workspaces.csv
// and models.csv with encoding/csv, fsynced, as scripts/registry does.
const stdlibConcurrency = 4

type stdlibPaging struct {
	Meta struct {
		Paging *struct {
			CurrentPageSize int `json:"currentPageSize"`
			TotalSize       int `json:"totalSize"`
			Offset          int `json:"offset"`
		} `json:"paging"`
	} `json:"meta"`
}

type stdlibWorkspace struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	Active        bool    `json:"active"`
	SizeAllowance float64 `json:"sizeAllowance"`
	CurrentSize   float64 `json:"currentSize"`
}

type stdlibModel struct {
	ID                   string  `json:"id"`
	Name                 string  `json:"name"`
	ActiveState          string  `json:"activeState"`
	CurrentWorkspaceID   string  `json:"currentWorkspaceId"`
	CurrentWorkspaceName string  `json:"currentWorkspaceName"`
	ModelURL             string  `json:"modelUrl"`
	MemoryUsage          float64 `json:"memoryUsage"`
	ISOCreationDate      string  `json:"isoCreationDate"`
	LastModified         string  `json:"lastModified"`
}

// stdlibChild is `bench child stdlib OUTDIR`: one registry build by the
// plain client against the sandbox the environment names. It prints the
// counts as JSON, like scripts/registry -format json.
func stdlibChild(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("stdlib: want OUTDIR")
	}
	authURL, apiURL := os.Getenv("ANAPLAN_AUTH_URL"), os.Getenv("ANAPLAN_API_URL")
	token, err := stdlibLogin(ctx, authURL, os.Getenv("ANAPLAN_USERNAME"), os.Getenv("ANAPLAN_PASSWORD"))
	if err != nil {
		return err
	}
	var (
		workspaces     []stdlibWorkspace
		models         []stdlibModel
		wg             sync.WaitGroup
		wsErr, modErrs error
	)
	wg.Go(func() {
		workspaces, wsErr = stdlibList[stdlibWorkspace](ctx, apiURL+"/workspaces", "tenantDetails", "workspaces", token)
	})
	wg.Go(func() {
		models, modErrs = stdlibList[stdlibModel](ctx, apiURL+"/models", "modelDetails", "models", token)
	})
	wg.Wait()
	if err := errors.Join(wsErr, modErrs); err != nil {
		return err
	}
	out := args[0]
	err = writeCSV(filepath.Join(out, "workspaces.csv"), []string{"id", "name", "active", "sizeAllowance", "currentSize"}, len(workspaces),
		func(i int) []string {
			w := workspaces[i]
			return []string{w.ID, w.Name, strconv.FormatBool(w.Active), strconv.FormatFloat(w.SizeAllowance, 'f', -1, 64), strconv.FormatFloat(w.CurrentSize, 'f', -1, 64)}
		})
	if err == nil {
		err = writeCSV(filepath.Join(out, "models.csv"), []string{"id", "name", "activeState", "workspaceId", "workspaceName", "memoryUsage", "created", "lastModified"}, len(models),
			func(i int) []string {
				m := models[i]
				return []string{m.ID, m.Name, m.ActiveState, m.CurrentWorkspaceID, m.CurrentWorkspaceName,
					strconv.FormatFloat(m.MemoryUsage, 'f', -1, 64), m.ISOCreationDate, m.LastModified}
			})
	}
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(struct{ Workspaces, Models int }{len(workspaces), len(models)})
}

func stdlibLogin(ctx context.Context, authURL, user, password string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, authURL+"/token/authenticate", nil)
	if err != nil {
		return "", err
	}
	req.SetBasicAuth(user, password)
	var body struct {
		TokenInfo struct {
			TokenValue string `json:"tokenValue"`
		} `json:"tokenInfo"`
	}
	if err := stdlibDo(req, &body); err != nil {
		return "", fmt.Errorf("login: %w", err)
	}
	return body.TokenInfo.TokenValue, nil
}

// stdlibList reads every page of one list: the first, then the rest at once.
func stdlibList[T any](ctx context.Context, endpoint, details, key, token string) ([]T, error) {
	page := func(offset int) ([]T, *stdlibPaging, error) {
		q := url.Values{details: {"true"}, "offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(pageSize)}}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"?"+q.Encode(), nil)
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Authorization", "AnaplanAuthToken "+token)
		req.Header.Set("Accept", "application/json")
		// One struct for both lists: the key that is absent stays empty.
		var body struct {
			stdlibPaging
			Workspaces []T `json:"workspaces"`
			Models     []T `json:"models"`
		}
		if err := stdlibDo(req, &body); err != nil {
			return nil, nil, fmt.Errorf("%s offset %d: %w", endpoint, offset, err)
		}
		items := body.Workspaces
		if key == "models" {
			items = body.Models
		}
		p := body.stdlibPaging
		return items, &p, nil
	}
	first, p, err := page(0)
	if err != nil || p.Meta.Paging == nil || len(first) >= p.Meta.Paging.TotalSize {
		return first, err
	}
	total := p.Meta.Paging.TotalSize
	rest := make([][]T, (total-len(first)+pageSize-1)/pageSize)
	errs := make([]error, len(rest))
	sem := make(chan struct{}, stdlibConcurrency)
	var wg sync.WaitGroup
	for i := range rest {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			rest[i], _, errs[i] = page(len(first) + i*pageSize)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	all := make([]T, 0, total)
	all = append(all, first...)
	for _, r := range rest {
		all = append(all, r...)
	}
	return all, nil
}

func stdlibDo(req *http.Request, into any) error {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s", resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(into)
}

// writeCSV writes n rows and fsyncs the file, as scripts/registry does.
func writeCSV(path string, header []string, n int, row func(int) []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	err = w.Write(header)
	for i := 0; i < n && err == nil; i++ {
		err = w.Write(row(i))
	}
	if w.Flush(); err == nil {
		err = w.Error()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
