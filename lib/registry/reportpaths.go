package registry

import "path/filepath"

// RelativeTo returns a copy of the report whose dump paths are relative to
// dir, so that a table of it shows "dumps/W2 Models from models.csv.dump.csv"
// rather than a temporary directory that differs on every machine and run.
// A path outside dir, or one filepath.Rel cannot relate, is left as it is.
func (r LoadReport) RelativeTo(dir string) LoadReport {
	out := LoadReport{Uploads: r.Uploads, Imports: append([]ImportReport(nil), r.Imports...)}
	for i, ir := range out.Imports {
		if ir.DumpPath == "" {
			continue
		}
		rel, err := filepath.Rel(dir, ir.DumpPath)
		if err != nil || !filepath.IsLocal(rel) {
			continue
		}
		out.Imports[i].DumpPath = rel
	}
	return out
}
