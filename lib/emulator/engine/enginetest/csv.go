// Package enginetest generates import data for measuring the model engine:
// the engine's own benchmarks and scripts/bench time the same bytes.
package enginetest

import (
	"bytes"
	"strconv"
)

// WorkspacesCSV is a workspaces.csv of n rows in the import shape
// (Code,Name,sizeAllowance,currentSize) with unique codes and names, for
// the Model Registry's W1 Workspaces list and W1 Workspace Register
// module imports.
func WorkspacesCSV(n int) []byte {
	var b bytes.Buffer
	b.Grow(n * 64)
	b.WriteString("Code,Name,sizeAllowance,currentSize\n")
	var num []byte
	for i := range n {
		num = strconv.AppendInt(num[:0], int64(i), 16)
		b.WriteString("8a81b09d5e8c6f27015e")
		b.Write(num)
		b.WriteString(",Workspace ")
		b.Write(num)
		b.WriteString(",1073741824,")
		b.WriteString(strconv.Itoa(i * 1000))
		b.WriteByte('\n')
	}
	return b.Bytes()
}
