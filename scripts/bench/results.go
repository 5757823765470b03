package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"sync"
)

// A sample is one number measured in one repeat: the unit of the raw CSV.
type sample struct {
	Scenario string  // "registry", "scaling", ...
	Case     string  // what varies within the scenario: "latency=10ms", "models=100000"
	Subject  string  // what ran: "scripts/registry", "tutorial.py", "curl PUT"
	Metric   string  // "wall", "rss", "cpu", "requests", "rows/s"
	Unit     string  // "s", "MB", "count", "rows/s", "MB/s"
	Repeat   int     // 1-based
	Value    float64 // in Unit
}

// results collects the samples of one bench run. Scenarios add to it; the
// report reads summaries back.
type results struct {
	mu      sync.Mutex
	samples []sample
}

func (r *results) add(s sample) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.samples = append(r.samples, s)
}

// values returns every value recorded for one scenario, case, subject and
// metric, in the order measured.
func (r *results) values(scenario, kase, subject, metric string) []float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []float64
	for _, s := range r.samples {
		if s.Scenario == scenario && s.Case == kase && s.Subject == subject && s.Metric == metric {
			out = append(out, s.Value)
		}
	}
	return out
}

// summary is what the tables show of repeated measurements: the median,
// and the spread as minimum and maximum (machines are shared and noisy).
type summary struct {
	N                int
	Median, Min, Max float64
}

func (r *results) summary(scenario, kase, subject, metric string) summary {
	return summarize(r.values(scenario, kase, subject, metric))
}

func summarize(v []float64) summary {
	if len(v) == 0 {
		return summary{Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	s := slices.Clone(v)
	slices.Sort(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return summary{N: len(s), Median: med, Min: s[0], Max: s[len(s)-1]}
}

// ok reports whether anything was measured.
func (s summary) ok() bool { return s.N > 0 }

// writeCSV writes every sample, one per line, with a header. Values keep
// full precision; the tables round them.
func (r *results) writeCSV(w io.Writer) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"scenario", "case", "subject", "metric", "unit", "repeat", "value"}); err != nil {
		return err
	}
	for _, s := range r.samples {
		if err := cw.Write([]string{s.Scenario, s.Case, s.Subject, s.Metric, s.Unit,
			strconv.Itoa(s.Repeat), strconv.FormatFloat(s.Value, 'g', -1, 64)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// sig formats v with three significant digits, the precision a noisy
// machine supports.
func sig(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "–"
	case v == 0:
		return "0"
	}
	a := math.Abs(v)
	switch {
	case a >= 1000:
		return groupThousands(int64(math.Round(v)))
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// groupThousands writes 1234567 as 1,234,567.
func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	var out []byte
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// spread formats a summary as "median (min–max)" with a unit, or just the
// value when it was measured once.
func (s summary) spread(unit string) string {
	if !s.ok() {
		return "not measured"
	}
	if s.N == 1 || s.Min == s.Max {
		return sig(s.Median) + " " + unit
	}
	return fmt.Sprintf("%s %s (%s–%s)", sig(s.Median), unit, sig(s.Min), sig(s.Max))
}

// ratio formats a/b as "1.23×".
func ratio(a, b float64) string {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return "–"
	}
	return sig(a/b) + "×"
}
