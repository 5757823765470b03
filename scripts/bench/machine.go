package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// machine describes where the run happened: a number means little without
// the CPU, the memory and how busy the machine was.
type machine struct {
	CPU       string
	Cores     int
	RAM       string
	OS        string
	Go        string
	Python    string
	Curl      string
	Date      string
	LoadStart string // /proc/loadavg 1/5/15-minute averages when the run began
	LoadEnd   string
	// RSSFloor is the peak RSS a child doing nothing reports: the bench's
	// own resident memory when it starts a child, which Linux charges to
	// the child (see resetPeakRSS).
	RSSFloor float64
}

func describeMachine(ctx context.Context) machine {
	m := machine{
		CPU:       firstField("/proc/cpuinfo", "model name"),
		Cores:     runtime.NumCPU(),
		RAM:       memTotal(),
		OS:        osName(),
		Go:        commandLine(ctx, "go", "version"),
		Python:    commandLine(ctx, pythonPath, "--version"),
		Curl:      commandLine(ctx, "curl", "--version"),
		Date:      time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		LoadStart: loadAverage(),
	}
	if m.CPU == "" {
		m.CPU = runtime.GOARCH
	}
	return m
}

func (m machine) rows() [][]string {
	return [][]string{
		{"CPU", fmt.Sprintf("%s, %d cores", m.CPU, m.Cores)},
		{"Memory", m.RAM},
		{"OS", m.OS},
		{"Go", m.Go},
		{"Python", m.Python},
		{"curl", m.Curl},
		{"Date", m.Date},
		{"Load average (1/5/15 min)", fmt.Sprintf("%s at the start, %s at the end", m.LoadStart, m.LoadEnd)},
		{"Peak RSS of a child doing nothing", fmt.Sprintf("%s MB (`true`, started by the bench: the floor of every peak RSS below)", sig(m.RSSFloor))},
	}
}

// rssFloor measures the peak RSS Linux reports for a child that does
// nothing.
func rssFloor(ctx context.Context) float64 {
	m, err := child{Path: "true"}.run(ctx)
	if err != nil {
		return 0
	}
	return mb(m.MaxRSS)
}

// firstField returns the value of the first "key : value" line of a /proc file.
func firstField(path, key string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func memTotal() string {
	v := strings.TrimSuffix(firstField("/proc/meminfo", "MemTotal"), " kB")
	kb, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return "unknown"
	}
	return fmt.Sprintf("%.1f GB", float64(kb)*1024/1e9)
}

func osName() string {
	name := runtime.GOOS
	if data, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				name = strings.Trim(v, `"`)
			}
		}
	}
	if rel, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		name += ", kernel " + strings.TrimSpace(string(rel))
	}
	return name
}

func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " / ")
}

// commandLine is the first line a command prints, or "not installed".
func commandLine(ctx context.Context, name string, args ...string) string {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return "not installed"
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}
