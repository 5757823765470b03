package main

import (
	"slices"
	"strings"
	"testing"
)

func TestInstallsMissingChromium(t *testing.T) {
	t.Setenv("CHROMIUM", "") // the machine's own setting must not decide
	const update = "env DEBIAN_FRONTEND=noninteractive apt-get -y -q update"
	const install = "env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium"
	for _, tc := range []struct {
		name    string
		root    bool
		onPath  []string
		want    []string
		wantErr string
	}{
		{"as root", true, []string{"jupyter", "apt-get"}, []string{update, install}, ""},
		{"through sudo", false, []string{"jupyter", "apt-get", "sudo"}, []string{"sudo " + update, "sudo " + install}, ""},
		{"without root or sudo", false, []string{"jupyter", "apt-get"}, nil, manualChromium},
		{"without apt-get", true, []string{"jupyter"}, nil, "set CHROMIUM"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newFakeMachine()
			m.root, m.onPath, m.noChromium = tc.root, tc.onPath, true
			_, stderr, err := m.testall(t)
			var apt []string
			for _, line := range m.ran {
				if strings.Contains(line, "apt-get") {
					apt = append(apt, line)
				}
			}
			if !slices.Equal(apt, tc.want) {
				t.Errorf("apt commands\n  %s\nwant\n  %s", strings.Join(apt, "\n  "), strings.Join(tc.want, "\n  "))
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("testall failed: %v\n%s", err, stderr)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), "chromium") || !strings.Contains(stderr, tc.wantErr)):
				t.Errorf("testall = %v, stderr %q; want the chromium step to fail with %q", err, stderr, tc.wantErr)
			}
		})
	}
}

func TestChromiumPresentInstallsNothing(t *testing.T) {
	t.Setenv("CHROMIUM", "")
	m := newFakeMachine()
	if _, stderr, err := m.testall(t); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, line := range m.ran {
		if strings.Contains(line, "chromium") {
			t.Errorf("ran %q with Chromium present", line)
		}
	}
}
