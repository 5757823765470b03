package main

// The targets, by scenario. Scenarios fill in what they measured;
// a scenario that does not run leaves its targets "not measured".
const (
	targetRegistryBound    = "Registry build: scripts/registry ÷ round-trip lower bound, at every latency"
	targetRegistryStdlib   = "Registry build: scripts/registry ÷ a plain net/http + encoding/json client, same requests, at every latency"
	targetRegistryTutorial = "Registry build: tutorial.py ÷ scripts/registry time, at every injected latency"
	targetUploadThroughput = "Upload, gzip off: throughput ÷ raw loopback PUT (curl)"
	targetUploadRSS        = "Upload: uploader peak RSS"
	targetImportList       = "Emulator import: 1M-row list import"
	targetImportModule     = "Emulator import: 1M-cell module import"
	targetReadView         = "Large read of a 1M-cell view: cells/s ÷ curl fetching the same pages"
	targetReadList         = "Large read of a 1M-item list: items/s ÷ curl fetching the same pages"
	targetReadRSS          = "Large reads: client peak RSS, at every size"
	targetWriteCells       = "Writing 1M cells: cells/s ÷ curl posting the same batches"
	targetSyncReads        = "scripts/registry -sync on 20,000 models, second run: write requests"
	targetNotebookCells    = "Notebooks: warm cell time, median over every cell"
	targetScalingRSS       = "Registry at 100k models: peak RSS"
	targetScalingLinear    = "Registry time grows linearly: time per model at 100k ÷ at 10k"
)

// maxStdlibRatio is how much slower than a plain-stdlib client scripts/registry
// may be before hand-written decoding (or anything else) is worth its code.
const maxStdlibRatio = 1.5

// wellAhead is what "well ahead of the tutorial's approach" means here.
const wellAhead = 1.5

var scenarioTitles = map[string]string{
	"registry":  "Registry build with injected latency: scripts/registry vs the tutorial vs the round-trip lower bound",
	"upload":    "Chunked upload of a 1 GiB CSV to the emulator vs a raw loopback PUT",
	"import":    "Emulator import: rows per second",
	"reads":     "Large reads, cell writes and the registry sync: the transactional API against curl",
	"notebooks": "Notebooks: cold and warm execution time, per notebook and per cell",
	"scaling":   "Scaling: registry time and peak RSS at 1k, 10k and 100k models",
	"alm":       "ALM lineage on a 20,000-model tenant: first run, second run from the history (alm.go)",
	"history":   "History: the registry with and without its SQLite history (20,000 models; historycost.go)",
}

var scenarioTargets = map[string][]verdict{
	"registry": {
		{Target: targetRegistryBound, Want: "≤ 1.3×"},
		{Target: targetRegistryStdlib, Want: "≤ 1.5×"},
		{Target: targetRegistryTutorial, Want: "≥ 1.5× (\"well ahead\")"},
	},
	"upload": {
		{Target: targetUploadThroughput, Want: "≥ 80%"},
		{Target: targetUploadRSS, Want: "≤ 1.5 × chunk size × parallelism + 30 MB"},
	},
	"import": {
		{Target: targetImportList, Want: "≥ 500,000 rows/s"},
		{Target: targetImportModule, Want: "≥ 500,000 rows/s"},
	},
	"reads": {
		{Target: targetReadView, Want: "≥ 80%"},
		{Target: targetReadList, Want: "≥ 80%"},
		{Target: targetReadRSS, Want: "< 50 MB, independent of the size"},
		{Target: targetWriteCells, Want: "≥ 80%"},
		{Target: targetSyncReads, Want: "0 (reads only)"},
	},
	"notebooks": {{Target: targetNotebookCells, Want: "≤ 2 s"}},
	"scaling": {
		{Target: targetScalingRSS, Want: "≤ 150 MB"},
		{Target: targetScalingLinear, Want: "≤ 1.3× (linear within noise)"},
	},
	"alm": {{Target: targetALMSecondRun, Want: "0"}},
	"history": {
		{Target: targetHistoryRatio, Want: "≤ 1.2×"},
		{Target: targetHistoryYear, Want: "< 200 MB"},
	},
}

// placeholder is a scenario's section title and its targets, unmeasured.
func placeholder(name string) (section, []verdict) {
	targets := append([]verdict(nil), scenarioTargets[name]...)
	for i := range targets {
		targets[i].Got = "–"
	}
	return section{Title: scenarioTitles[name]}, targets
}

// measuredVerdict fills in one of a scenario's targets.
func measuredVerdict(target, got string, holds bool) verdict {
	for _, ts := range scenarioTargets {
		for _, t := range ts {
			if t.Target == target {
				t.Got, t.Holds, t.Measured = got, holds, true
				return t
			}
		}
	}
	return verdict{Target: target, Got: got, Holds: holds, Measured: true}
}
