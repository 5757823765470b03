package anaplan

import (
	"reflect"
	"strings"
	"testing"
)

// The shortcut must decode every page it accepts exactly as encoding/json
// does, and must accept the pages Anaplan and the emulator actually send.
func agree(t *testing.T, data []byte) (accepted bool) {
	t.Helper()
	fast, fp, ok := decodeModelsPage(data)
	if !ok {
		return false
	}
	slow, sp, err := decodePageJSON[Model](data, "models")
	if err != nil {
		t.Fatalf("the shortcut accepted a page encoding/json rejects (%v):\n%s", err, data)
	}
	if !reflect.DeepEqual(fast, slow) || !reflect.DeepEqual(fp, sp) {
		t.Fatalf("the shortcut decoded\n%+v %+v\nencoding/json\n%+v %+v\nfrom\n%s", fast, fp, slow, sp, data)
	}
	return true
}

func TestModelsPageShortcutAgreesWithEncodingJSON(t *testing.T) {
	t.Parallel()
	page := func(models string) string {
		return `{"meta":{"schema":"https://api.anaplan.com/2/0/objects/model","paging":{"currentPageSize":1,"totalSize":9,"offset":3}},` +
			`"status":{"code":200,"message":"Success"},"models":[` + models + `]}`
	}
	accepted := []string{
		string(modelsPageJSON(3)),
		page(`{"id":"A","name":"The \"Big\" Plan \u00e9 \ud83d\ude00","activeState":"SOMETHING_NEW","modelUrl":"https://x/?a=1\u0026b=2"}`),
		page("{\"id\":\"A\",\"name\":\"Broken \xff byte\",\"currentWorkspaceName\":\"Prévisions – 東京\"}"),
		page(`{"id":"lone \ud83d high","name":"\ud83d\u0041 pair broken","modelUrl":"\ude00 lone low \ud83d"}`),
		page("{\"id\":\"\\n\\t\\/\\\\ \xff\xfe mixed\",\"currentWorkspaceId\":\"ws \\\"q\\\"\",\"activeState\":\"\xe2\x82\"}"),
		page(`{"id":"A","memoryUsage":1.5E9,"lastSavedSerialNumber":2000023,"isoCreationDate":"2017-11-13T21:20:10.000+0000","lastModified":1571258416552}`),
		page(`{"id":"A","memoryUsage":"123","lastSavedSerialNumber":"x","isoCreationDate":"not a date","lastModified":null,"modelTransactionRunning":true}`),
		page(`{"id":"A","memoryUsage":null,"lastSavedSerialNumber":null,"isoCreationDate":1.5E12,"modelTransactionRunning":null,"name":null}`),
		page(`{"id":"A","categoryValues":[]},{"id":"B","categoryValues":null},{"id":"C","categoryValues":[{"id":"1","attribute":"F","extra":{"deep":[1,{"x":null}]}},{"categoryName":"Dept"}]}`),
		page(`{"id":"A","brandNewField":{"x":[1,2,-3.5e-2,true,false,null,"s\n"]},"another":[]}`),
		page(` { "id" : "A" ,` + "\n\t\r" + ` "name" : "B" } `),
		`{"models":[{"id":"A"}]}`,
		`{"meta":{"paging":null},"models":null}`,
		`{"meta":null}`,
		`{"meta":{"paging":{"currentPageSize":null,"totalSize":-0,"offset":0,"extra":1}},"Models":[{"x":1}]}`,
		`{}`,
	}
	for _, data := range accepted {
		if !agree(t, []byte(data)) {
			t.Errorf("the shortcut gave up on a page it should decode:\n%s", data)
		}
	}
	givesUp := []string{
		page(`{"ID":"A"}`),                                  // encoding/json matches keys case-insensitively
		page(`{"id":"A","id":"B"}`),                         // repeated key
		page(`null`),                                        // a null item
		page(`{"id":5}`),                                    // wrong type
		page(`{"modelTransactionRunning":"yes"}`),           // wrong type
		page(`{"memoryUsage":{"x":1}}`),                     // an object for a scalar field
		page(`{"memoryUsage":"lots"}`),                      // the field's UnmarshalJSON fails
		page(`{"\u0069d":"A"}`),                             // an escaped key
		page(`{"ıd":"A"}`),                                  // a non-ASCII key (Unicode folding)
		`{"meta":{"paging":{"totalSize":1.0}},"models":[]}`, // not an int
		`{"meta":{"Paging":{"totalSize":1}}}`,               // case
		`{"models":[],"models":[]}`,
		`{"models":[]} x`,
		`{"models":[01]}`,
		`{"models":[{"id":"A"},]}`,
		"{\"models\":[{\"id\":\"a\tb\"}]}", // a raw control character
		`[]`,
		``,
		strings.Repeat(`{"x":[`, 200),
	}
	for _, data := range givesUp {
		if agree(t, []byte(data)) {
			t.Errorf("the shortcut accepted a page it should leave to encoding/json:\n%s", data)
		}
	}
}

func FuzzModelsPageShortcut(f *testing.F) {
	f.Add(modelsPageJSON(2))
	f.Add([]byte(`{"meta":{"paging":{"currentPageSize":1,"totalSize":1,"offset":0}},"models":[{"id":"A","name":"a\"b","categoryValues":[],"memoryUsage":1e3}]}`))
	f.Add([]byte(`{"models":[{"lastModified":"2019-10-16T20:40:16.552+0000","lastSavedSerialNumber":7,"modelTransactionRunning":false}]}`))
	f.Fuzz(func(t *testing.T, data []byte) { agree(t, data) })
}

// BenchmarkDecodeModelsPageJSON is BenchmarkDecodeModelsPage without the
// shortcut, to see what it saves.
func BenchmarkDecodeModelsPageJSON(b *testing.B) {
	data := modelsPageJSON(maxPageSize)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := decodePageJSON[Model](data, "models"); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzModelsPageShortcutValues puts fuzzed text into the values of a
// well-formed page, where the shortcut does its real work.
func FuzzModelsPageShortcutValues(f *testing.F) {
	f.Add(`Plan \"A\" \u00e9`, `"1.5E9"`, `"2017-11-13T21:20:10.000+0000"`, `{"a":[1,"x"]}`, `[{"id":"1"}]`)
	f.Add("bad \xff", `12`, `1571258416552`, `null`, `[]`)
	f.Fuzz(func(t *testing.T, name, size, date, extra, categories string) {
		data := `{"meta":{"paging":{"currentPageSize":1,"totalSize":1,"offset":0}},"models":[{"id":"A","name":"` + name +
			`","memoryUsage":` + size + `,"lastModified":` + date + `,"extra":` + extra + `,"categoryValues":` + categories + `}]}`
		agree(t, []byte(data))
	})
}
