package pickle

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/internal/oracle"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// pyCases are Python expressions pickled by Python itself in every protocol;
// each must decode to what json.loads(json.dumps(value)) gives (with bytes
// shown as their text and tuples and sets as lists).
var pyCases = []string{
	`{"name": "app.db", "msg": "héllo ☃ \U0001F600", "args": None, "levelno": 20, "created": 1700000000.125}`,
	`{"i": [0, 1, -1, 255, 256, 65535, 65536, -2**31, 2**31-1, 2**31, 2**63-1, -2**63]}`,
	`{"big": 2**64, "neg": -2**70}`,
	`{"t": (1, "a", None), "t1": (1,), "t2": (1, 2), "t3": (1, 2, 3), "e": (), "l": [], "d": {}}`,
	`{"nested": {"a": [1, {"b": [True, False, None]}]}, "f": -0.5}`,
	`{1: "int key", None: "none key", True: "bool key", 2.5: "float key"}`,
	`{"shared": [["x"]] * 3, "s": "x" * 300}`,
	// Sets and bytes need GLOBAL below protocols 4 and 3: refused there.
	`#4 {"set": {1}, "fs": frozenset([2])}`,
	`#3 {"b": b"\x00\xff"}`,
}

// TestDecodesPythonPickles compares Decode with Python for every protocol.
func TestDecodesPythonPickles(t *testing.T) {
	py := oracle.NeedPython(t)
	script := `
import base64, json, pickle, sys
def plain(v):
    if isinstance(v, dict): return {str(k) if not isinstance(k, str) else k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set, frozenset)): return [plain(x) for x in v]
    if isinstance(v, int) and not isinstance(v, bool) and not -2**63 <= v < 2**63: return str(v)
    if isinstance(v, bytes): return base64.b64encode(v).decode()
    return v
for expr in sys.stdin.read().split("\n\x00\n"):
    low = 0
    if expr.startswith("#"):
        low, expr = int(expr[1]), expr[3:]
    v = eval(expr)
    for proto in range(low, 6):
        print(json.dumps({"proto": proto, "hex": pickle.dumps(v, proto).hex(), "want": plain(v)}))
`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(strings.Join(pyCases, "\n\x00\n"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var c struct {
			Proto int
			Hex   string
			Want  any
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatal(err)
		}
		b, _ := hex.DecodeString(c.Hex)
		got, err := Decode(b)
		if err != nil {
			t.Errorf("protocol %d %s: %v", c.Proto, c.Hex, err)
			continue
		}
		if g, w := viaJSON(t, got), viaJSON(t, c.Want); !reflect.DeepEqual(g, w) {
			t.Errorf("protocol %d:\n got %v\nwant %v", c.Proto, g, w)
		}
		n++
	}
	if want := 6*len(pyCases) - 4 - 3; n != want {
		t.Errorf("%d cases decoded, want %d", n, want)
	}
}

func viaJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// bombs are hostile pickles: each must be refused, quickly and cheaply.
var bombs = map[string]struct {
	data string
	want error
}{
	"global os.system":  {"cos\nsystem\n(S'true'\ntR.", ErrUnsupported},
	"stack_global":      {"\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x8c\x06system\x93.", ErrUnsupported},
	"reduce":            {"N(tR.", ErrUnsupported},
	"build":             {"}}b.", ErrUnsupported},
	"binunicode length": {"X\xff\xff\xff\x7f.", ErrMalformed},
	"binbytes8 length":  {"\x8e\xff\xff\xff\xff\xff\xff\xff\xff.", ErrMalformed},
	"long4 length":      {"\x8b\xff\xff\xff\x00.", ErrTooLarge},
	"long text":         {"L" + strings.Repeat("9", 10000) + "L\n.", ErrTooLarge},
	// A list of two references to the previous one, 40 times: 2^40 nodes.
	"memo doubling": {memoBomb(40), ErrTooLarge},
	"self cycle":    {"]q\x00h\x00a.", ErrTooLarge},
	"deep nesting":  {strings.Repeat("]", 100) + strings.Repeat("a", 99) + ".", ErrTooLarge},
	"no stop":       {"}", ErrMalformed},
	"empty":         {"", ErrMalformed},
	"trailing":      {"N.N", ErrMalformed},
	"pop empty":     {"a.", ErrMalformed},
	"bad memo":      {"h\x05.", ErrMalformed},
	"mark left":     {"(N.", ErrMalformed},
	"container key": {"}]Ns.", ErrUnsupported},
}

func memoBomb(n int) string {
	var b strings.Builder
	b.WriteString("]q\x00")
	for i := range n {
		b.WriteString("(h")
		b.WriteByte(byte(i))
		b.WriteString("h")
		b.WriteByte(byte(i))
		b.WriteString("lq")
		b.WriteByte(byte(i + 1))
	}
	b.WriteString(".")
	// The stack holds every list: pop all but the last so STOP sees one.
	s := b.String()
	return strings.Replace(s, "lq", "lq", -1)
}

func TestRefusesBombs(t *testing.T) {
	for name, c := range bombs {
		t.Run(name, func(t *testing.T) {
			v, err := Decode([]byte(c.data))
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, %v; want an error wrapping %v", v, err, c.want)
			}
		})
	}
}
