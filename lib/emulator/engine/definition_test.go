package engine_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// A broken definition is reported with every problem, each naming the
// object and what to do.
func TestDefinitionErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		def  string
		want []string
	}{
		{
			name: "unknown list",
			def: `{"name":"M","lists":[{"name":"A","parent":"Nope"}],
				"modules":[{"name":"Mod","dimensions":["Ghost"],"lineItems":[{"name":"X","format":"NUMBER"}]}]}`,
			want: []string{`list "A": parent list "Nope" is not defined`, `module "Mod": dimension list "Ghost" is not defined`},
		},
		{
			name: "bad format",
			def: `{"name":"M","lists":[{"name":"A","properties":[{"name":"P","format":"DATE"}]}],
				"modules":[{"name":"Mod","dimensions":["A"],"lineItems":[{"name":"X","format":"MONEY"},{"name":"Y","format":"LIST"}]}]}`,
			want: []string{
				`list "A" property "P": format "DATE" is not supported (use TEXT or NUMBER)`,
				`module "Mod" line item "X": format "MONEY" is not supported (use TEXT, NUMBER or LIST)`,
				`module "Mod" line item "Y": format LIST needs "list" naming the list its values come from`,
			},
		},
		{
			name: "cyclic parent",
			def:  `{"name":"M","lists":[{"name":"A","parent":"C"},{"name":"B","parent":"A"},{"name":"C","parent":"B"},{"name":"D","parent":"D"}]}`,
			want: []string{`list "D": a list cannot be its own parent`, `lists "A" -> "C" -> "B" -> "A": the parent hierarchy is cyclic`},
		},
		{
			name: "unknown column",
			def: `{"name":"M","lists":[{"name":"A","numbered":true}],"files":[{"name":"a.csv","headers":["Code","Name"]}],
				"imports":[{"name":"I","type":"HIERARCHY_DATA","file":"a.csv","list":"A","mapping":{"code":"ID","name":"Name"}}]}`,
			want: []string{`import "I": code maps column "ID", which is not a header of file "a.csv" (headers: Code, Name)`},
		},
		{
			name: "unsupported formula",
			def: `{"name":"M","lists":[{"name":"A"}],
				"modules":[{"name":"Mod","dimensions":["A"],"lineItems":[{"name":"X","format":"NUMBER","formula":"SUM(1,2)"}]}]}`,
			want: []string{`module "Mod" line item "X": unsupported formula "SUM(1,2)": the emulator supports only '<List>'.<Property> (a property of a dimension list) and PARENT(ITEM('<List>'))`},
		},
		{
			name: "formula of the wrong format or list",
			def: `{"name":"M","lists":[{"name":"P","properties":[{"name":"N","format":"TEXT"}]},{"name":"C","parent":"P"}],
				"modules":[{"name":"Mod","dimensions":["C"],"lineItems":[
				  {"name":"X","format":"TEXT","formula":"PARENT(ITEM('C'))"},
				  {"name":"Y","format":"TEXT","formula":"'P'.N"},
				  {"name":"Z","format":"NUMBER","formula":"PARENT(ITEM('P'))"}]}]}`,
			want: []string{
				`module "Mod" line item "X": formula "PARENT(ITEM('C'))" returns an item of "P", so the line item must have format LIST and list "P"`,
				`module "Mod" line item "Y": formula "'P'.N": list "P" is not a dimension of module "Mod"`,
				`module "Mod" line item "Z": formula "PARENT(ITEM('P'))": list "P" is not a dimension of module "Mod"`,
			},
		},
		{
			name: "import mapping",
			def: `{"name":"M","lists":[{"name":"A","numbered":true,"properties":[{"name":"P","format":"TEXT"}]}],
				"modules":[{"name":"Mod","dimensions":["A"],"lineItems":[{"name":"F","format":"TEXT","formula":"'A'.P"}]}],
				"files":[{"name":"a.csv","headers":["Code","Name","Parent"]}],
				"imports":[
				  {"name":"I","type":"HIERARCHY_DATA","file":"a.csv","list":"A","mapping":{"name":"Name","parent":"Parent","properties":{"Q":"Name"}}},
				  {"name":"J","type":"MODULE_DATA","file":"b.csv","module":"Mod","mapping":{"dimensions":{"B":"Code"},"lineItems":{"F":"Name"}}},
				  {"name":"K","type":"USERS","file":"a.csv"}]}`,
			want: []string{
				`import "I": list "A" is numbered, so its items are identified by code: map "code"`,
				`import "I": maps a parent but list "A" has no parent list`,
				`import "I": list "A" has no property "Q"`,
				`import "J": file "b.csv" is not defined`,
				`import "J": dimension "A" of module "Mod" is not mapped; map it to the column holding its item codes`,
				`import "J": "B" is not a dimension of module "Mod"`,
				`import "J": line item "F" is calculated by a formula and cannot be imported into`,
				`import "K": type "USERS" is not supported (use HIERARCHY_DATA or MODULE_DATA)`,
			},
		},
		{
			name: "files, exports, processes, names",
			def: `{"lists":[{"name":"A"},{"name":"A"}],
				"files":[{"name":"f","headers":[],"separator":";;","delimiter":"'","encoding":"UTF-16LE","headerRow":2,"firstDataRow":1}],
				"exports":[{"name":"E","type":"GRID_ALL_PAGES","module":"Nope"}],
				"processes":[{"name":"P","actions":["Ghost"]}]}`,
			want: []string{
				`the model has no "name"`,
				`list "A" is defined twice; names must be unique`,
				`file "f" has no "headers": list the column names the imports map from`,
				`file "f": separator ";;" must be one character other than a quote or newline (for example "," or "\t")`,
				`file "f": text delimiter "'" is not supported; the emulator reads "\"" only`,
				`file "f": encoding "UTF-16LE" is not supported (use UTF-8 or ISO-8859-1)`,
				`file "f": headerRow 2 and firstDataRow 1 must satisfy 0 <= headerRow < firstDataRow`,
				`export "E": type "GRID_ALL_PAGES" is not supported (use TABULAR_MULTI_COLUMN)`,
				`export "E": module "Nope" is not defined`,
				`process "P": action "Ghost" is not an import or export of this model`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := engine.Load(strings.NewReader(tc.def))
			var de *engine.DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want a *DefinitionError", err)
			}
			diff(t, "problems", de.Problems, tc.want)
			if !strings.HasPrefix(err.Error(), "engine: invalid model definition (") {
				t.Errorf("Error() = %q", err)
			}
		})
	}
}

func TestDefinitionJSONErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ def, want string }{
		{`{"name":"M","lists":[{"name":"A","numberd":true}]}`, `unknown field "numberd"`},
		{"{\n\"name\":\"M\",\n\"lists\":[}", "line 3: invalid character '}'"},
		{`{"name":"M","lists":[{"name":7}]}`, "line 1: json: cannot unmarshal number"},
		{`{"name":"M","lists":[]} {}`, "data after the JSON object"},
	}
	for _, tc := range tests {
		_, err := engine.Load(strings.NewReader(tc.def))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%q) = %v, want an error containing %q", tc.def, err, tc.want)
		}
	}
}

// The README's example is a valid definition.
func TestReadmeExampleLoads(t *testing.T) {
	t.Parallel()
	readme := readFile(t, "README.md")
	start := strings.Index(readme, "```json\n")
	end := strings.Index(readme[start+8:], "```")
	if start < 0 || end < 0 {
		t.Fatal("README.md has no ```json example")
	}
	m := mustLoad(t, readme[start+8:start+8+end])
	if len(m.Imports()) == 0 || len(m.Exports()) == 0 {
		t.Errorf("README example has %d imports and %d exports", len(m.Imports()), len(m.Exports()))
	}
}
