package anaplan

import (
	"bufio"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestBatchesCutAtCountAndBytes(t *testing.T) {
	t.Parallel()
	enc := func(s string) ([]byte, error) { return json.Marshal(s) }
	in := []string{"aaaa", "bb", "cccccc", "d", "ee"} // encoded: 6, 4, 8, 3, 4 bytes
	tests := []struct {
		name              string
		perCall, maxBytes int
		want              [][]int // start, n of each batch
	}{
		{"count", 2, 1 << 20, [][]int{{0, 2}, {2, 2}, {4, 1}}},
		{"bytes", 100, 2 + 6 + 1 + 4, [][]int{{0, 2}, {2, 1}, {3, 2}}},
		{"one", 100, 1 << 20, [][]int{{0, 5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got [][]int
			for b, err := range batches(slices.Values(in), enc, tt.perCall, tt.maxBytes, "[", "]") {
				if err != nil {
					t.Fatal(err)
				}
				body := b.body()
				if len(body) > tt.maxBytes {
					t.Errorf("batch at %d is %d bytes, over %d", b.start, len(body), tt.maxBytes)
				}
				var back []string
				if err := json.Unmarshal(body, &back); err != nil {
					t.Fatalf("batch body %s: %v", body, err)
				}
				if !slices.Equal(back, in[b.start:b.start+b.n]) {
					t.Errorf("batch at %d holds %q", b.start, back)
				}
				got = append(got, []int{b.start, b.n})
			}
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("batches = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBatchesRejectAnElementTooLargeForAnyRequest(t *testing.T) {
	t.Parallel()
	enc := func(s string) ([]byte, error) { return json.Marshal(s) }
	for _, err := range batches(slices.Values([]string{"ok", strings.Repeat("x", 100)}), enc, 10, 50, "[", "]") {
		if err != nil {
			if !strings.Contains(err.Error(), "element 1") {
				t.Errorf("error %q does not name element 1", err)
			}
			return
		}
	}
	t.Fatal("no error for an element larger than a request")
}

func TestFailureIndexesPointIntoTheInput(t *testing.T) {
	t.Parallel()
	b := &batch{start: 100_000, n: 3}
	got := failuresJSON{{Index: 2, Type: "X"}}.shift(b)
	if got[0].Index != 100_002 {
		t.Errorf("index = %d, want 100002", got[0].Index)
	}
	// A batch re-sent with some of its elements maps back through remap.
	whole := newBatch(10, "[", "]", 0)
	for _, e := range []string{"0", "1", "2", "3"} {
		whole.add([]byte(e))
	}
	sub := whole.cut().subset([]int{1, 3})
	if string(sub.body()) != "[1,3]" {
		t.Errorf("subset body = %s", sub.body())
	}
	if got := (failuresJSON{{Index: 1}}).shift(sub); got[0].Index != 13 {
		t.Errorf("remapped index = %d, want 13", got[0].Index)
	}
}

func TestEncodeCellMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	cells := []Cell{
		{LineItemID: "206000000000", Dimensions: []CellDimension{{DimensionID: "101000000001", ItemID: "202000000001"}}, Value: 1111},
		{LineItemName: "Sales \"Q\" <1>", Dimensions: []CellDimension{{DimensionName: "Région", ItemCode: "SKU1"}}, Value: "text, with comma"},
		{LineItemName: "Flag", Value: true},
		{LineItemName: "Ratio", Value: 0.25},
		{LineItemName: "Nothing", Value: nil},
	}
	for _, c := range cells {
		got, err := encodeCell(c)
		if err != nil {
			t.Fatal(err)
		}
		var a, b any
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("%s: %v", got, err)
		}
		want, _ := json.Marshal(c)
		_ = json.Unmarshal(want, &b)
		ga, _ := json.Marshal(a)
		gb, _ := json.Marshal(b)
		if string(ga) != string(gb) {
			t.Errorf("encodeCell = %s, want %s", ga, gb)
		}
	}
}

func TestSkipCSVRecordHonoursQuotedNewlines(t *testing.T) {
	t.Parallel()
	br := bufio.NewReader(strings.NewReader("\"a\nb\",c\nrow1\nrow2\n"))
	if err := skipCSVRecord(br); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(br)
	if string(rest) != "row1\nrow2\n" {
		t.Errorf("after the header: %q", rest)
	}
}
