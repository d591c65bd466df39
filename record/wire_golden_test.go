package record

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// goldenRecords are records whose wire bytes TestWireGolden pins: the
// round-trip table (but the caller from PC, whose path is this machine's)
// and the shapes the encoder's fast paths tell apart, each also with an
// Origin.
func goldenRecords() map[string]Record {
	rs := map[string]Record{}
	for _, c := range wireCases {
		if c.name != "caller from PC" {
			rs[c.name] = c.rec()
		}
	}
	long := strings.Repeat("k", 31)
	var s *Scope
	for name, attrs := range map[string][]slog.Attr{
		"key lengths": {slog.Int(long, 1), slog.Int(long+"x", 2), slog.Int(long+"xy", 3), slog.String("", "empty key")},
		"non-ASCII keys": {slog.String("clé", "v"), slog.String("bad\xffkey", "v"), slog.Int("名前", 1),
			slog.String(strings.Repeat("é", 20), "long")},
		"escapes beyond the inline attributes": {slog.Int("a", 1), slog.Int("b", 2), slog.Int("c", 3), slog.Int("d", 4),
			slog.Int("e", 5), slog.String("name", "n"), slog.String("attr_", "p"), slog.String("levelno", "l"),
			slog.Bool("relativeCreated", true), slog.Float64("thread", 1.5)},
		"near reserved": {slog.Int("latency", 1), slog.Int("nam", 2), slog.Int("msgs", 3), slog.Int("attr", 4),
			slog.Int("Attr_x", 5), slog.Int("processname", 6), slog.Int("taskName ", 7), slog.Int("message", 8),
			slog.Int("asctime", 9), slog.Int("exc_info", 10)},
		"kinds after a group": {slog.Group("g", slog.Int("a", 1)), slog.Duration("d", time.Second), slog.Any("nil", nil),
			slog.Any("", nil), slog.Uint64("u", math.MaxUint64), slog.Time("t", testTime), slog.Any("lazy", lazy{slog.StringValue("x")})},
		"long text": {slog.String("s31", long), slog.String("s32", long+"x"), slog.String("s300", strings.Repeat("v", 300)),
			slog.String("s70k", strings.Repeat("w", 70000)), slog.String("bad", "a\xffb\xfe")},
	} {
		rs[name] = recordWith(attrs...)
		r := recordWith(attrs...)
		r.Scope = s.WithAttrs([]slog.Attr{slog.String("svc", "api")})
		rs[name+", with a scope"] = r
	}
	for _, l := range []Level{LevelNotSet, LevelTrace, LevelDebug, LevelWarning, LevelError, LevelCritical, 7, -3, 1 << 40} {
		r := recordWith(slog.Int("n", 1))
		r.Level = l
		r.ErrText, r.Stack = "boom", "stack\xff"
		rs["level "+l.String()] = r
	}
	bound := s.WithAttrs([]slog.Attr{slog.String("name", "bound"), slog.Group("g", slog.Int("a", 1)), slog.Group("empty")}).
		WithAttrs([]slog.Attr{slog.Any("lazy", lazy{slog.IntValue(2)}), slog.String("attr_x", "y"), slog.Any("", nil),
			slog.Group("", slog.Int("inl", 3))})
	r := recordWith(slog.String("own", "o"), slog.Group("og", slog.Bool("b", true)))
	r.Scope = bound
	rs["bound attributes of two With calls"] = r
	r = recordWith(slog.String("own", "o"))
	r.Scope = bound.WithGroup("req").WithAttrs([]slog.Attr{slog.Int("id", 7)})
	rs["bound attributes, then a group"] = r
	r = recordWith()
	r.Logger, r.Message = strings.Repeat("l", 40), strings.Repeat("m", 300)
	rs["long logger and message"] = r
	plain := maps.Clone(rs)
	for name, r := range plain {
		r.Origin = &Origin{Pathname: "/srv/app/x.py", Filename: "x.py", Module: "x", FuncName: "work", Lineno: 70000,
			Thread: -5, ThreadName: "worker", Process: 1 << 33, ProcessName: "proc", TaskName: "task", RelativeCreated: 12.5}
		rs[name+", with an origin"] = r
	}
	return rs
}

// TestWireGolden: AppendMsgpack writes exactly the bytes it wrote before its
// fast paths (SHA-256 of each encoding).
func TestWireGolden(t *testing.T) {
	defer func(s time.Time, p int64) { startTime, localPID = s, p }(startTime, localPID)
	startTime, localPID = testTime.Add(-1500*time.Millisecond), 4242
	if _, name := (&Record{}).Thread(); name != localThreadName {
		t.Fatalf("Record.Thread names this process's thread %q, AppendMsgpack %q", name, localThreadName)
	}
	for name, r := range goldenRecords() {
		sum := sha256.Sum256(AppendMsgpack(nil, &r))
		if got := hex.EncodeToString(sum[:]); got != wireGolden[name] {
			t.Errorf("%q: %s, want %s", name, got, wireGolden[name])
		}
	}
}

// wireGolden holds the SHA-256 of each golden record's encoding.
var wireGolden = map[string]string{
	"bound attributes of two With calls":                 "130d579f872a8c24a100ca3e0cf00f313ca505f49c034710f5bc5b3318a5307c",
	"bound attributes of two With calls, with an origin": "d3679d2c5f15e2e4de187b0aad39f0ba741efb7ba4f8a9f30fff927060cea8c8",
	"bound attributes, then a group":                     "7e7255101504e3fd29c19c9282f3ac05d3c4a8a1b2e17c0343fac15a263b0497",
	"bound attributes, then a group, with an origin":     "4d6ab7a918554cd8005303bd61136f50123c6ef9ca39aca9f6c782582ed78f7f",
	"duplicate keys, the last wins":                      "e9d8f417f5eb64eb42c02ac662a4c4e00c0f3d83aa4a8c46f02713acc8e115a7",
	"duplicate keys, the last wins, with an origin":      "62a333cd564da79022d382650b94f407e7799ea812e05f5d0a6268b908159495",
	"empty":                                "05aba81158dd69a631b827d61aa97a8bab42f11644b489d4c680a72285ce725b",
	"empty, with an origin":                "b2d22d0e69ca9c357ad1ba8cf8c4b686a40bf34fb09838b81a343007762ddc93",
	"escapes beyond the inline attributes": "2482ce46a02a2a0b6fbe14739647eb18cf2f70f096b4ea632e46a0a2b4775dc4",
	"escapes beyond the inline attributes, with a scope":                 "4c9323606ab958eca0c72e163373d8420f819f7f7c8a7afb6959e93173e566e3",
	"escapes beyond the inline attributes, with a scope, with an origin": "ae3bf34b75fe7d18d0af16b9d1497f53a4ccead99dd8585206df3a77994340fe",
	"escapes beyond the inline attributes, with an origin":               "1add268ef2427905e62576969b73353d9cf8547d4959d323afa955d573894a6c",
	"groups":                                            "b82e2e2675c0a240f9387d7df1dc2891b879cdf753e6e835a57c343c51dc3a3f",
	"groups, with an origin":                            "c15828893655f6faa400e983298892b3e31cf24d135622d43f69cd4512fa1dac",
	"invalid UTF-8":                                     "0801d92d7bd738c76d63e337a40388629ebc93d2fa037db75161514ee1e0b329",
	"invalid UTF-8, with an origin":                     "4a94ecc56bbc1739ff29ca0bee12fee0250a3aa8d054748cb957fc133e97d609",
	"key lengths":                                       "b270ed2b1fe2a42dd09524afdda1df48f2d5ba4dbb200799e46500bcafb16efe",
	"key lengths, with a scope":                         "0977e956363477fb96f17f8b39fc2e096a4eeaef28d987113fcc95a2d35d17b4",
	"key lengths, with a scope, with an origin":         "29a07f5ff739abe26113cf8873c4a1297ae9bed874b37b6a393a2f496fdf345e",
	"key lengths, with an origin":                       "d3f45a8ae2ecd7a3ff2750aaf36a3769549092f3e87d2fc5611c764cec7b874d",
	"kinds after a group":                               "59d8aebead5a96ace42c2f8926ce857d434d19590cc8cf631b9a20cf64378efb",
	"kinds after a group, with a scope":                 "5f9fe0694e9db716e20e043af4fa923c0c4b2012db412b783e16de9106db8da0",
	"kinds after a group, with a scope, with an origin": "166effe13267a4a2b3a50145b14baefd95ffff93cf11b0054239d9043cc21236",
	"kinds after a group, with an origin":               "a3fdddc12db9b97067b426cbfa00171fd77d91e097410c67c8e9bfe4e951f343",
	"kinds":                                             "7a49545c7802b2341e8695278c81d8d4d5d47a771050d5e36a8679cb26a9c0c9",
	"kinds, with an origin":                             "5c07a7e8b02be10113743eca57b5abc6bb9f68fa373c1f2fa02fe68865505337",
	"level CRITICAL":                                    "a78877712b262b3a95a8e01d3dcc134dd232dc7bd00a9c8df6a3cbe985ee400d",
	"level CRITICAL, with an origin":                    "fc8177b10224c6502005316bbbfe46667f54eca0e9e70b7d315f85b76a94aceb",
	"level DEBUG":                                       "75d362d181f2b04a46d9993e80e8ba7e6ca54c38681a9d6fc2941dac4d88dec3",
	"level DEBUG, with an origin":                       "36308984e4f7054a796ac00246497ed323544807b5abe72e41075f3510d5d255",
	"level ERROR":                                       "2f3f124a0f6baa9a8fdabf184de3b0e0264aa586a265c5863a59a503ce52a93b",
	"level ERROR, with an origin":                       "abdd54020f7d68f4cb50aece6c587eb94512b996be0a64ba0c7869ad6a6ecd99",
	"level Level -3":                                    "95f8d61763ead60f88b16c9944831c12e313ab6fa1e088887e1396b6d6637da1",
	"level Level -3, with an origin":                    "0fe93facc102ec7d492bbb4df19c67592c82ff01d610d2008f3e5bb6d815b126",
	"level Level 1099511627776":                         "6c7dfa4deba49200e78e58d6a7c5371775ab24297d1c7f4b26ab32c628c56acb",
	"level Level 1099511627776, with an origin":         "ee15cd95b90d948492206cb33b9611a56fdfe0a336d228eff8eba87850d50373",
	"level Level 7":                                     "f7813063a9818c89afc8fd58b46ebe6ab06e9309055df029fed8e73402adb7e5",
	"level Level 7, with an origin":                     "27bf67701f6c075465be50068e3b4e128bba1ddd98b312d1d3794e8c411d2268",
	"level NOTSET":                                      "5ccccdce23d2df92f483fe1d42db157223155b180116e67c96f022ad5ab12a6a",
	"level NOTSET, with an origin":                      "fb4a216a2370596b95feb61bc151bbe348748b29927aae82525ae4814571ea1c",
	"level TRACE":                                       "13dce576326c7ae9fbb0fd50cdafbcabc8e5fe0bb98332b6e7c835937b9f3d1d",
	"level TRACE, with an origin":                       "31de436db778c100221ca7edbd4f19b4be362a4b00f076e35da9e1872f2b29e5",
	"level WARNING":                                     "48f668a926d0601227df2443e135ce798c7beb139a76ac72fa417b0f4690b552",
	"level WARNING, with an origin":                     "fc3e24ccf4b617cc125603713e0ea2d41d20ae42a29ccd4244c574391d94cd1a",
	"long logger and message":                           "974ac63c74b1e1f371260bf66e0f694244c5401747e0ccc64f07b4e6ad45da8b",
	"long logger and message, with an origin":           "8fadb4306a45632bceb686ae23de40d710f2dedd7e45da9892161c79b935388d",
	"long text":                                         "2ed7e2c560ebac37d22ab34e0aece1821bc53c5af1a60ae7ded94bcdd298e671",
	"long text, with a scope":                           "fa4888dba71e8e229b7201ef6606536b8190881b9d6ef8c379a3e85e3dff54d3",
	"long text, with a scope, with an origin":           "f0a914e9ac8b655e97b54f4e6268c0753b862e9fc95f418222f4d1a2594f6c12",
	"long text, with an origin":                         "a1381fc2f9ff29c781809c103440cdf7f27a9c8926b0b2c8ec7bffe7ee11e90c",
	"many attributes":                                   "23dfa53b1fe18b6a92154d343845dff318d8a5b8fc4919e708acf0adab787750",
	"many attributes, with an origin":                   "4947b8a27b572e20ad729c3cd89b9764f25bfd7a0e65229aaaddfbdb3636dcbe",
	"near reserved":                                     "ded4255cb430c6340228bef9c2e4ba060f366f2ed7258134cb51eac1cfe4ad3f",
	"near reserved, with a scope":                       "74ca213a60c4cacb2e40b26039166adc60c19c351ecc57173b6abeb16a5c1617",
	"near reserved, with a scope, with an origin":       "ea4e55cbf3cb1ef44b59d311530153913aa6a4bdb8d56a61102a18a393c44873",
	"near reserved, with an origin":                     "304be6d6156bf6b6dd10588a1614c48946b14b02fef3ae8ec68f0bc1546f714b",
	"non-ASCII keys":                                    "e7a892d94cff7d3e1a8202ea62549dce07392a2690439332b51ce2c46f3302c4",
	"non-ASCII keys, with a scope":                      "b00e0d1fe60da13481929d85439458c0e2c7077cb2231f9204a9f1dc095c9143",
	"non-ASCII keys, with a scope, with an origin":      "3078f9fc04197bba00ee51d7647acae075022170abe84cff0f27113637b83540",
	"non-ASCII keys, with an origin":                    "57cebd246ec32b98482008fb34ce855ff31e168dee7ec0d27ff14ede44084a18",
	"origin":                                            "aceb1a513166523846cd89381eeab4223b60dacfd75950aa21f4e77ce57fd5d8",
	"origin, with an origin":                            "34afb189ca6955a89c239f1ed00a79a6b8076d51ae9c41e5307e8037da76f3dd",
	"reserved names":                                    "0747f637bfe2c12427ae11ac716e4acce3b77c7fdd6c985a706cb9e6df874a69",
	"reserved names, with an origin":                    "93aea078193d2c0a1832d7bb508096d05629fdf82b5b02cbbd1edd297a77ebe2",
	"scope with nothing logged inside":                  "4f1023bc98df24a9bd0f25b5766702a1d42b604e73a28e97f7faa805014fab9e",
	"scope with nothing logged inside, with an origin":  "a1fd7846ae8b94da9d9bf1d1ec8b71927c790cc6c89ed5565662ab769abb1319",
	"scope":                            "93d1f9e7f8ab6113642b5a3e13ad7e3b0b3756faa6ea575ecfa755c0437d8921",
	"scope, with an origin":            "a96379d0b9ccad7de05c52cbeb14dfa385192eecfb424d3371f31e5a60f9d49c",
	"time before 1678 and root logger": "6eb1bbd50341fb3272726ea11e3cb29bdbd6011742a2a3f16aa6fd4f96037f69",
	"time before 1678 and root logger, with an origin": "1eb536203d3e9f7d73fc5653610813a6575c1161921fd5b79546101c7c9ed7c3",
}

// TestDecodeFixedLayoutDeviations: a payload laid out as AppendMsgpack lays
// it out but for one entry (its key spelt otherwise, its value of another
// type or form, out of range, invalid, or two entries swapped) decodes as
// the reference decoder decodes it, with DecodeMsgpack and with a Decoder
// that has just decoded the usual layout: the decoder's fast path for the
// usual layout gives way to its general path at every place.
func TestDecodeFixedLayoutDeviations(t *testing.T) {
	r := recordWith(slog.String("user", "bob"), slog.Int("rows", 42), slog.Float64("ms", 3.25), slog.Bool("cached", false))
	r.Origin = &Origin{Pathname: "/srv/app/db.go", Filename: "db.go", Module: "db", FuncName: "Query", Lineno: 120, Process: 1, TaskName: "t"}
	r.ErrText = "err"
	usual := AppendMsgpack(nil, &r)
	// The entries of the usual payload, as spans of key and value.
	d := decoder{s: string(usual), pending: 1}
	n := d.mapLen(1)
	type entry struct{ k, v string }
	var entries []entry
	for range n {
		ks := d.pos
		d.skip(2)
		vs := d.pos
		d.skip(2)
		entries = append(entries, entry{string(usual[ks:vs]), string(usual[vs:d.pos])})
	}
	if d.bad || d.pos != len(usual) || len(entries) != numFields+4 {
		t.Fatalf("splitting the usual payload: %d entries, bad %v", len(entries), d.bad)
	}
	build := func(es []entry) []byte {
		b := appendMapHeader(nil, len(es))
		for _, e := range es {
			b = append(append(b, e.k...), e.v...)
		}
		return b
	}
	values := []string{
		"\xc0", "\x05", "\xd0\x9c", "\xcd\x01\x00", "\xd2\x80\x00\x00\x00", "\xcf\xff\xff\xff\xff\xff\xff\xff\xff",
		"\xd3\x7f\xff\xff\xff\xff\xff\xff\xff", "\xcb\x3f\xf8\x00\x00\x00\x00\x00\x00", "\xca\x3f\xc0\x00\x00",
		"\xcb\x7f\xf8\x00\x00\x00\x00\x00\x01", "\xcb\x41\xd8\x00\x00\x00\x00\x00\x00", "\xcb\xc3\x00\x00\x00\x00\x00\x00\x00",
		"\xa3abc", "\xa4root", "\xa4INFO", "\xa9Level 17", "\xd9\x28" + strings.Repeat("x", 40), "\xda\x01\x2c" + strings.Repeat("y", 300),
		"\xa2\xff\xfe", "\xc4\x02ab", "\x91\x01", "\x81\xa1a\x01", "\xc3", "\xc2", "\xd6\xff\x00\x00\x00\x01", "\xc1", "\xa5ab",
	}
	var dc Decoder
	check := func(what string, p []byte) {
		t.Helper()
		want, werr := decodeMsgpackRef(p)
		for i, dec := range []func([]byte) (Record, error){DecodeMsgpack, dc.Decode, dc.Decode} {
			if i == 1 {
				if _, err := dc.Decode(usual); err != nil {
					t.Fatal(err)
				}
			}
			got, err := dec(bytes.Clone(p))
			if (err == nil) != (werr == nil) || (err != nil && err.Error() != werr.Error()) {
				t.Fatalf("%s, decoder %d: error %v, reference %v\n%x", what, i, err, werr, p)
			}
			if err == nil {
				if g, w := refDump(&got), refDump(&want); g != w {
					t.Fatalf("%s, decoder %d:\n%s\nreference:\n%s\n%x", what, i, g, w, p)
				}
			}
		}
	}
	check("usual", usual)
	for i := range entries {
		for _, v := range values {
			es := slices.Clone(entries)
			es[i].v = v
			check(fmt.Sprintf("entry %d (%q) = %x", i, entries[i].k, v), build(es))
		}
		es := slices.Clone(entries)
		es[i].k = "\xd9" + string(rune(len(entries[i].k)-1)) + entries[i].k[1:] // the same key as a str8
		check(fmt.Sprintf("entry %d as str8", i), build(es))
		if i+1 < len(entries) {
			es := slices.Clone(entries)
			es[i], es[i+1] = es[i+1], es[i]
			check(fmt.Sprintf("entries %d and %d swapped", i, i+1), build(es))
		}
		check(fmt.Sprintf("cut after entry %d", i), build(entries[:i+1]))
		p := build(entries)
		check(fmt.Sprintf("truncated in entry %d", i), p[:len(build(entries[:i]))+len(entries[i].k)+len(entries[i].v)/2])
	}
}

// TestTimeFromCreated: the path in integers gives the general path's Time
// for created values across the years, the edges of the range
// time.UnixNano covers, and near 0.
func TestTimeFromCreated(t *testing.T) {
	var fs []float64
	for _, base := range []float64{0, 1, -1, 1e-10, -1e-10, 0.5e-9, 1.5e-9, 1.7e9, 1.7e9 + 0.123456789, -1.7e9,
		float64(minNanoSec), float64(maxNanoSec), float64(minNanoSec) + 1, float64(maxNanoSec) - 1,
		float64(maxNanoSec) - 2, minCreated, maxCreated - 1, 9.2233720368e9, -9.2233720368e9} {
		f := base
		for range 200 {
			fs = append(fs, f, -f)
			f = math.Nextafter(f, math.Inf(1))
		}
	}
	for i := range 100000 {
		fs = append(fs, 1.7e9+float64(i)*0.000123457, float64(i)*1234.5678-1e9)
	}
	for _, f := range fs {
		got, err := timeFromCreated(f)
		if err != nil {
			if !math.IsNaN(f) && f >= minCreated && f < maxCreated {
				t.Fatalf("timeFromCreated(%v): %v", f, err)
			}
			continue
		}
		if want := nearestCreated(f); f != 0 && got != want {
			t.Fatalf("timeFromCreated(%v) = %v, the general path %v", f, got, want)
		}
	}
}

// TestDecoderRuns: a Decoder that takes the caller and process entries of
// the previous record when their bytes are the same makes what
// DecodeMsgpack makes, as callers, threads and processes change, with
// invalid text in them, across a record that fails.
func TestDecoderRuns(t *testing.T) {
	origins := []*Origin{
		{Pathname: "/a/b.py", Filename: "b.py", Module: "b", FuncName: "f", Lineno: 1, Thread: 1, ThreadName: "t", Process: 2, ProcessName: "p"},
		{Pathname: "/a/b.py", Filename: "b.py", Module: "b", FuncName: "f", Lineno: 2, Thread: 1, ThreadName: "t", Process: 2, ProcessName: "p"},
		{Pathname: "/a/c.py", Filename: "c.py", Module: "c", FuncName: "g\xff", Lineno: 2, Thread: 1, ThreadName: "t", Process: 2, ProcessName: "p", TaskName: "k"},
		{Pathname: "/a/b.py", Filename: "b.py", Module: "b", FuncName: "f", Lineno: 1, Thread: 3, ThreadName: "u\xfe", Process: 2, ProcessName: "p"},
		{Pathname: strings.Repeat("p", 600), Filename: "b.py", Module: "b", FuncName: "f", Lineno: 1, Thread: 3, ThreadName: strings.Repeat("t", 600), Process: 2, ProcessName: "p"},
	}
	var payloads [][]byte
	for i, o := range origins {
		for j := range 3 {
			r := recordWith(slog.Int("i", i), slog.Int("j", j))
			r.Origin = o
			if j == 1 {
				r.ErrText = "boom"
			}
			payloads = append(payloads, AppendMsgpack(nil, &r))
		}
	}
	bad := append(slices.Clone(payloads[0]), 0xc1) // fails after its runs were read
	var seq [][]byte
	for _, i := range []int{0, 1, 0, 0, 2, 2, 3, 4, 3, 5, 6, 7, 8, 6, 9, 10, 11, 12, 13, 14, 12, 0} {
		seq = append(seq, payloads[i], payloads[i])
		if i%4 == 0 {
			seq = append(seq, bad)
		}
	}
	checkDecoderStream(t, seq)
}

// TestAppendStr: appendStr's words give what appendStrLong gives, for every
// length around its word sizes, a byte that is not ASCII at every place,
// and dst with and without room.
func TestAppendStr(t *testing.T) {
	for n := range 40 {
		base := []byte(strings.Repeat("abcdefgh", 5)[:n])
		texts := []string{string(base)}
		for i := range n {
			for _, c := range []byte{0x80, 0xff, 0xc3} {
				b := bytes.Clone(base)
				b[i] = c
				texts = append(texts, string(b))
			}
		}
		if n >= 2 {
			texts = append(texts, "é"+string(base[2:]))
		}
		for _, s := range texts {
			want := appendStrLong([]byte("pre"), s)
			for _, room := range []int{0, n, n + 1, n + 8, 64} {
				dst := append(make([]byte, 0, 3+room), "pre"...)
				if got := appendStr(dst, s); !bytes.Equal(got, want) {
					t.Fatalf("appendStr(%q) with room %d = %x, want %x", s, room, got, want)
				}
			}
		}
	}
}
