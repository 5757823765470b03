// Package openapidocs finds, and when asked downloads, the community OpenAPI
// documents of Anaplan's API that the emulator's contract tests validate
// against: setikites/anaplan-openapi (Apache-2.0) at one pinned commit.
//
// The documents are never part of this repository. A copy is looked for in
// ../shared/anaplan-openapi next to the module root (CI provides it), then
// in the git-ignored cache .cache/anaplan-openapi/<commit>/ of the module;
// Fetch fills that cache from the public repository and checks every file
// against the SHA-256 sums below, so a test always reads the pinned bytes.
package openapidocs

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Repository and Commit pin the upstream documents.
const (
	Repository = "setikites/anaplan-openapi"
	Commit     = "b1dcd64a1c6b154e708ac70289c8d6b8d4468ba3"
)

// The documents' file names, as the tests open them.
const (
	ALM            = "alm-openapi.json"
	Authentication = "authentication-openapi.json"
	Integration    = "integration-openapi.json"
	OAuth          = "oauth-openapi.json"
)

// A Document is one file of the pinned commit.
type Document struct {
	Name   string // file name in a local copy
	Path   string // path inside the upstream repository
	SHA256 string // hex digest of the upstream file
}

// A Pin is a commit of the upstream repository and the documents taken
// from it. Pinned is the one the tests use; tests of this package make
// their own.
type Pin struct {
	Repository, Commit string
	Documents          []Document
}

// Pinned is Commit of Repository with the four files the contract tests
// use and their SHA-256 sums.
func Pinned() Pin {
	return Pin{Repository: Repository, Commit: Commit, Documents: []Document{
		{ALM, "alm/" + ALM, "b2c11b2e248e8642da725d872f932fe504d1bd2cf812f169e5bd5d0c835093c3"},
		{Authentication, "authentication/" + Authentication, "844d53e0d665e558a26c893fc6ca11c232f3b53025de2d17786166375137c707"},
		{Integration, "integration/" + Integration, "31ce243c3705f6fea0e164cfb3ae4afb358813ba05e8c3d7a786eae07227baa6"},
		{OAuth, "oauth/" + OAuth, "2e14d8f9699bcee30a3f9632e4dc6ef128d3347b0e0c1b3aac695b0fffa5595e"},
	}}
}

// SharedDir is where CI puts the documents: ../shared/anaplan-openapi
// beside the module root.
func SharedDir(root string) string {
	return filepath.Join(filepath.Dir(root), "shared", "anaplan-openapi")
}

// CacheDir is the project-local copy of the pin's commit, git-ignored
// (.cache/ in .gitignore).
func (p Pin) CacheDir(root string) string {
	return filepath.Join(root, ".cache", "anaplan-openapi", p.Commit)
}

// NotFoundError says that no copy of the documents exists, and how to get
// one, in a single line.
type NotFoundError struct {
	Pin  Pin
	Root string // the module root that was searched
}

func (e *NotFoundError) Error() string {
	cache := e.Pin.CacheDir(e.Root)
	return fmt.Sprintf("the OpenAPI documents of %s are not in %s or %s: "+
		"run `go run ./scripts/testall` with network to download them, or copy %s from that commit into %s",
		e.Pin, SharedDir(e.Root), cache, e.Pin.names(), cache)
}

// ChecksumError is a document whose bytes are not the pinned commit's.
type ChecksumError struct {
	Name, Want, Got string
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("%s has SHA-256 %s, want %s", e.Name, e.Got, e.Want)
}

// String is repository@commit, the commit shortened.
func (p Pin) String() string { return fmt.Sprintf("%s@%.12s", p.Repository, p.Commit) }

// Locate returns the directory holding all the pin's documents, each
// with its pinned sum: SharedDir(root) when it has them, else
// p.CacheDir(root). With neither it returns a *NotFoundError. A copy with
// a wrong sum is an error (wrapping a *ChecksumError) that says what to do.
func (p Pin) Locate(root string) (string, error) {
	for _, dir := range []string{SharedDir(root), p.CacheDir(root)} {
		if !p.hasAll(dir) {
			continue
		}
		for _, d := range p.Documents {
			data, err := os.ReadFile(filepath.Join(dir, d.Name))
			if err != nil {
				return "", err
			}
			if err := check(d, data); err != nil {
				return "", fmt.Errorf("%s is not the copy of %s (%w): replace it with that commit's files, "+
					"or delete %s and run `go run ./scripts/testall` to download them", dir, p, err, p.CacheDir(root))
			}
		}
		return dir, nil
	}
	return "", &NotFoundError{Pin: p, Root: root}
}

// Locate is Pinned().Locate.
func Locate(root string) (string, error) { return Pinned().Locate(root) }

// ModuleRoot returns the nearest directory at or above start that holds
// go.mod: the root Locate and Fetch work from.
func ModuleRoot(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod at or above %s", start)
		}
		dir = parent
	}
}

func (p Pin) hasAll(dir string) bool {
	for _, d := range p.Documents {
		if info, err := os.Stat(filepath.Join(dir, d.Name)); err != nil || !info.Mode().IsRegular() {
			return false
		}
	}
	return true
}

func check(d Document, data []byte) error {
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != d.SHA256 {
		return &ChecksumError{Name: d.Name, Want: d.SHA256, Got: got}
	}
	return nil
}

func (p Pin) names() string {
	var n []string
	for _, d := range p.Documents {
		n = append(n, d.Name)
	}
	return strings.Join(n, ", ")
}
