package record

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// wireCase is one record of the shared round-trip table, with the attributes
// DecodeMsgpack must give back (in their canonical, sorted form).
type wireCase struct {
	name string
	rec  func() Record
	want []slog.Attr
}

var testTime = time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.UTC)

type point struct {
	X, Y int
}

type hexer int

func (h hexer) String() string { return "0x" + strconv.FormatInt(int64(h), 16) }

type lazy struct{ v slog.Value }

func (l lazy) LogValue() slog.Value { return l.v }

func recordWith(attrs ...slog.Attr) Record {
	r := Record{Time: testTime, Level: LevelInfo, Logger: "app.db", Message: "hello"}
	r.AddAttrs(attrs...)
	return r
}

func hereRecord() Record {
	var pcs [1]uintptr
	runtime.Callers(1, pcs[:])
	r := recordWith(slog.Int("n", 1))
	r.PC = pcs[0]
	return r
}

var wireCases = []wireCase{
	{
		name: "empty",
		rec:  func() Record { return Record{} },
	},
	{
		name: "kinds",
		rec: func() Record {
			return recordWith(
				slog.String("s", "text"),
				slog.Int("i", -42),
				slog.Int64("i64", math.MinInt64),
				slog.Uint64("u_small", 7),
				slog.Uint64("u_big", math.MaxUint64),
				slog.Float64("f", 1.5),
				slog.Float64("nan", math.NaN()),
				slog.Float64("inf", math.Inf(-1)),
				slog.Bool("b", true),
				slog.Duration("d", 1500*time.Millisecond),
				slog.Time("t", testTime.In(time.FixedZone("X", 3600))),
				slog.Any("err", errors.New("disk full")),
				slog.Any("nil", nil),
				slog.Any("bytes", []byte{0, 1, 0xff}),
				slog.Any("list", []any{int64(1), "a", true, nil, 2.5, []any{"x"}}),
				slog.Any("strs", []string{"a", "b"}),
				slog.Any("ints", []int{3, 4}),
				slog.Any("map", map[string]any{"b": 2, "a": "x"}),
				slog.Any("point", point{1, 2}),
				slog.Any("hex", hexer(255)),
				slog.Any("lazy", lazy{slog.IntValue(9)}),
				slog.Any("lazygroup", lazy{slog.GroupValue(slog.String("in", "side"))}),
			)
		},
		want: []slog.Attr{
			slog.Bool("b", true),
			slog.Any("bytes", []byte{0, 1, 0xff}),
			slog.Int64("d", int64(1500*time.Millisecond)),
			slog.String("err", "disk full"),
			slog.Float64("f", 1.5),
			slog.String("hex", "0xff"),
			slog.Int64("i", -42),
			slog.Int64("i64", math.MinInt64),
			slog.Float64("inf", math.Inf(-1)),
			slog.Any("ints", []any{int64(3), int64(4)}),
			slog.Int64("lazy", 9),
			slog.Group("lazygroup", slog.String("in", "side")),
			slog.Any("list", []any{int64(1), "a", true, nil, 2.5, []any{"x"}}),
			slog.Group("map", slog.String("a", "x"), slog.Int64("b", 2)),
			slog.Float64("nan", math.NaN()),
			slog.Any("nil", nil),
			slog.Group("point", slog.Int64("X", 1), slog.Int64("Y", 2)),
			slog.String("s", "text"),
			slog.Any("strs", []any{"a", "b"}),
			slog.String("t", "2026-03-04T06:06:07.123456789+01:00"),
			slog.Uint64("u_big", math.MaxUint64),
			slog.Int64("u_small", 7),
		},
	},
	{
		name: "groups",
		rec: func() Record {
			return recordWith(
				slog.Group("g", slog.Int("a", 1), slog.Group("h", slog.String("b", "2"))),
				slog.Group("empty"),
				slog.Group("onlyempty", slog.Any("", nil), slog.Group("e")),
				slog.Group("", slog.Int("inl", 3)),
				slog.Any("", nil),
				slog.String("", "emptykey"),
			)
		},
		want: []slog.Attr{
			slog.String("", "emptykey"),
			slog.Group("g", slog.Int64("a", 1), slog.Group("h", slog.String("b", "2"))),
			slog.Int64("inl", 3),
		},
	},
	{
		name: "scope",
		rec: func() Record {
			var s *Scope
			s = s.WithAttrs([]slog.Attr{slog.String("svc", "api")})
			s = s.WithGroup("req")
			s = s.WithAttrs([]slog.Attr{slog.Int("id", 7)})
			s = s.WithGroup("unused").WithGroup("inner")
			r := recordWith(slog.Int("z", 1), slog.Int("a", 2))
			r.Scope = s
			return r
		},
		want: []slog.Attr{
			slog.Group("req", slog.Int64("id", 7), slog.Group("unused", slog.Group("inner", slog.Int64("a", 2), slog.Int64("z", 1)))),
			slog.String("svc", "api"),
		},
	},
	{
		name: "scope with nothing logged inside",
		rec: func() Record {
			r := recordWith()
			r.Scope = (*Scope)(nil).WithGroup("g").WithAttrs([]slog.Attr{slog.Group("x")})
			return r
		},
	},
	{
		name: "reserved names",
		rec: func() Record {
			return recordWith(
				slog.String("name", "n"),
				slog.String("msg", "m"),
				slog.String("message", "mm"),
				slog.String("attr_x", "ax"),
				slog.String("created", "c"),
				slog.Group("levelno", slog.String("name", "inner")),
				slog.Group("", slog.String("args", "inlined")),
			)
		},
		want: []slog.Attr{
			slog.String("args", "inlined"),
			slog.String("attr_x", "ax"),
			slog.String("created", "c"),
			slog.Group("levelno", slog.String("name", "inner")),
			slog.String("message", "mm"),
			slog.String("msg", "m"),
			slog.String("name", "n"),
		},
	},
	{
		name: "origin",
		rec: func() Record {
			r := recordWith(slog.String("k", "v"))
			r.Level = 25
			r.Logger = "py.worker"
			r.ErrText = "Traceback (most recent call last):\n  ...\nZeroDivisionError: division by zero"
			r.Stack = "Stack (most recent call last):\n  File \"x.py\""
			r.Origin = &Origin{
				Pathname: "/srv/app/x.py", Filename: "x.py", Module: "x", FuncName: "work",
				Lineno: 12, Thread: 140234567890123, ThreadName: "Worker-1",
				Process: 4242, ProcessName: "SpawnProcess-1", TaskName: "Task-3",
				RelativeCreated: 1234.5,
			}
			return r
		},
		want: []slog.Attr{slog.String("k", "v")},
	},
	{
		name: "caller from PC",
		rec:  hereRecord,
		want: []slog.Attr{slog.Int64("n", 1)},
	},
	{
		name: "invalid UTF-8",
		rec: func() Record {
			r := recordWith(slog.String("bad\xffkey", "a\xff\xfeb"))
			r.Message = "x\xc3"
			return r
		},
		want: []slog.Attr{slog.String("bad\uFFFDkey", "a\uFFFDb")},
	},
	{
		name: "many attributes",
		rec: func() Record {
			var attrs, inner []slog.Attr
			for i := range 20 {
				attrs = append(attrs, slog.Int(fmt.Sprintf("a%02d", i), i))
				inner = append(inner, slog.Int(fmt.Sprintf("b%02d", i), i))
			}
			attrs = append(attrs, slog.Group("big", slog.Group("", toAny(inner)...)))
			return recordWith(attrs...)
		},
		want: func() []slog.Attr {
			var attrs, inner []slog.Attr
			for i := range 20 {
				attrs = append(attrs, slog.Int64(fmt.Sprintf("a%02d", i), int64(i)))
				inner = append(inner, slog.Int64(fmt.Sprintf("b%02d", i), int64(i)))
			}
			return append(attrs, slog.Group("big", toAny(inner)...))
		}(),
	},
	{
		name: "duplicate keys, the last wins",
		rec: func() Record {
			return recordWith(slog.Int("k", 1), slog.Int("k", 2), slog.Group("g", slog.Int("a", 1)), slog.Group("g", slog.Int("b", 2)))
		},
		want: []slog.Attr{slog.Group("g", slog.Int64("b", 2)), slog.Int64("k", 2)},
	},
	{
		name: "time before 1678 and root logger",
		rec: func() Record {
			r := recordWith()
			r.Time = time.Date(1500, 1, 2, 3, 4, 5, 600000000, time.UTC)
			r.Logger = ""
			return r
		},
	},
}

func toAny(attrs []slog.Attr) []any {
	out := make([]any, len(attrs))
	for i, a := range attrs {
		out[i] = a
	}
	return out
}

// dumpAttrs prints attributes with their kinds, for exact comparison.
func dumpAttrs(attrs []slog.Attr) string {
	var b strings.Builder
	for i, a := range attrs {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%q=", a.Key)
		v := a.Value
		switch v.Kind() {
		case slog.KindGroup:
			b.WriteString("{" + dumpAttrs(v.Group()) + "}")
		case slog.KindFloat64:
			fmt.Fprintf(&b, "float64(%x)", math.Float64bits(v.Float64()))
		default:
			fmt.Fprintf(&b, "%s(%#v)", v.Kind(), v.Any())
		}
	}
	return b.String()
}

func recordAttrs(r *Record) []slog.Attr {
	var out []slog.Attr
	r.Attrs(func(a slog.Attr) bool { out = append(out, a); return true })
	return out
}

// checkDecoded compares what DecodeMsgpack gave back with the source record.
func checkDecoded(t *testing.T, src, got *Record, want []slog.Attr) {
	t.Helper()
	if got.Logger != src.Logger || got.Message != validText(src.Message) || got.Level != src.Level ||
		got.ErrText != src.ErrText || got.Stack != src.Stack {
		t.Errorf("fields: got %q %q %d %q %q, want %q %q %d %q %q", got.Logger, got.Message, got.Level, got.ErrText, got.Stack,
			src.Logger, src.Message, src.Level, src.ErrText, src.Stack)
	}
	c1, m1 := CreatedMsecs(src.Time)
	c2, m2 := CreatedMsecs(got.Time)
	if c1 != c2 || m1 != m2 || src.Time.IsZero() != got.Time.IsZero() {
		t.Errorf("time: got %v (created %v msecs %v), want %v (created %v msecs %v)", got.Time, c2, m2, src.Time, c1, m1)
	}
	if d := got.Time.Sub(src.Time); src.Time.Unix() > minNanoSec && (d > time.Microsecond || d < -time.Microsecond) {
		t.Errorf("time: got %v, want %v", got.Time, src.Time)
	}
	wantCaller, ok := src.Caller()
	if !ok {
		wantCaller = Caller{Pathname: unknownFile, Filename: unknownFile, Module: unknownFile, FuncName: unknownFunc}
	}
	if gotCaller, _ := got.Caller(); gotCaller != wantCaller {
		t.Errorf("caller: got %+v, want %+v", gotCaller, wantCaller)
	}
	pid, pname := src.Process()
	tid, tname := src.Thread()
	o := got.Origin
	if o.Process != pid || o.ProcessName != pname || o.Thread != tid || o.ThreadName != tname {
		t.Errorf("origin: got %+v, want process %d %q thread %d %q", o, pid, pname, tid, tname)
	}
	if src.Origin != nil && (o.TaskName != src.Origin.TaskName || got.RelativeCreated() != src.RelativeCreated()) {
		t.Errorf("origin: got %+v, want %+v", o, src.Origin)
	}
	if g, w := dumpAttrs(recordAttrs(got)), dumpAttrs(want); g != w {
		t.Errorf("attrs:\n got %s\nwant %s", g, w)
	}
}

func TestWireRoundTrip(t *testing.T) {
	for _, tc := range wireCases {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.rec()
			b := AppendMsgpack(nil, &src)
			if err := checkMsgpack(b, 0); err != nil {
				t.Fatalf("checkMsgpack: %v", err)
			}
			got, err := DecodeMsgpack(b)
			if err != nil {
				t.Fatalf("DecodeMsgpack: %v", err)
			}
			checkDecoded(t, &src, &got, tc.want)
			// Encode(Decode(b)) is stable: a decoded record re-encodes to
			// bytes that decode and re-encode to themselves.
			b2 := AppendMsgpack(nil, &got)
			again, err := DecodeMsgpack(b2)
			if err != nil {
				t.Fatalf("second DecodeMsgpack: %v", err)
			}
			if b3 := AppendMsgpack(nil, &again); !bytes.Equal(b2, b3) {
				t.Errorf("re-encoding is not stable:\n%x\n%x", b2, b3)
			}
			checkDecoded(t, &src, &again, tc.want)
		})
	}
}

// TestLargeAndDeep covers a map over 65535 entries (map32), Walk paths
// deeper than the depth limit (folded into keys), and group values past it
// (written as text).
func TestLargeAndDeep(t *testing.T) {
	big := make([]any, 70000)
	for i := range big {
		big[i] = slog.Int(strconv.Itoa(i), i)
	}
	var s *Scope
	for i := range 40 {
		s = s.WithGroup("g" + strconv.Itoa(i))
	}
	deepValue := slog.Int("leaf", 1)
	for range 40 {
		deepValue = slog.Group("v", deepValue)
	}
	r := recordWith(slog.Group("big", big...), deepValue, slog.Any("list", []any{slog.GroupValue(slog.Int("a", 1)), []slog.Attr{slog.Int("b", 2)}}))
	b := AppendMsgpack(nil, &r)
	got, err := DecodeMsgpack(b)
	if err != nil {
		t.Fatal(err)
	}
	attrs := recordAttrs(&got)
	if len(attrs) != 3 || attrs[0].Key != "big" || len(attrs[0].Value.Group()) != 70000 {
		t.Fatalf("big group lost: %d attrs", len(attrs))
	}
	if l := attrs[1].Value.Any(); !reflect.DeepEqual(l, []any{map[string]any{"a": int64(1)}, map[string]any{"b": int64(2)}}) {
		t.Errorf("list: %#v", l)
	}
	depth := 1
	for v := attrs[2].Value; v.Kind() == slog.KindGroup; v = v.Group()[0].Value {
		depth++
	}
	if depth != defaultMaxDepth {
		t.Errorf("deep group value decoded %d levels deep, want %d", depth, defaultMaxDepth)
	}

	r = recordWith(slog.Int("x", 1))
	r.Scope = s
	got, err = DecodeMsgpack(AppendMsgpack(nil, &r))
	if err != nil {
		t.Fatal(err)
	}
	v := recordAttrs(&got)[0]
	for i := 0; i < maxOpen; i++ {
		if v.Key != "g"+strconv.Itoa(i) {
			t.Fatalf("level %d: key %q", i, v.Key)
		}
		v = v.Value.Group()[0]
	}
	if want := "g31.g32.g33.g34.g35.g36.g37.g38.g39.x"; v.Key != want {
		t.Errorf("deepest key %q, want %q", v.Key, want)
	}
}

func TestAppendMsgpackAppends(t *testing.T) {
	r := recordWith(slog.Int("a", 1))
	prefix := []byte("prefix")
	b := AppendMsgpack(slices.Clone(prefix), &r)
	if !bytes.HasPrefix(b, prefix) {
		t.Fatalf("prefix lost: %q", b[:10])
	}
	if !bytes.Equal(b[len(prefix):], AppendMsgpack(nil, &r)) {
		t.Error("encoding depends on what dst held")
	}
}

// TestMsecsPython314 checks created and msecs against values computed by
// Python 3.14's LogRecord from the same nanosecond time (the cases of the
// comment in its source, and a plain one).
func TestMsecsPython314(t *testing.T) {
	for _, tc := range []struct {
		ns             int64
		created, msecs float64
	}{
		{1_677_903_920_999_998_503, 1677903920.9999986, 999},
		{1_677_903_920_999_999_900, 1677903921.0, 0},
		{1_677_903_920_123_456_789, 1677903920.1234567, 123},
		{-1_500_000_000, -1.5, 500},
	} {
		c, m := CreatedMsecs(time.Unix(0, tc.ns))
		if c != tc.created || m != tc.msecs {
			t.Errorf("%d: created %v msecs %v, want %v %v", tc.ns, c, m, tc.created, tc.msecs)
		}
	}
}

// TestCreatedStable checks that a decoded time re-encodes to the created it
// came from, for times a float64 cannot hold to the nanosecond.
func TestCreatedStable(t *testing.T) {
	ns := testTime.UnixNano()
	for i := range int64(5000) {
		f, _ := CreatedMsecs(time.Unix(0, ns+i*37))
		tm, err := timeFromCreated(f)
		if err != nil {
			t.Fatal(err)
		}
		if g, _ := CreatedMsecs(tm); g != f {
			t.Fatalf("created %v decodes to %v, which encodes to %v", f, tm, g)
		}
		if d := tm.UnixNano() - (ns + i*37); d > 300 || d < -300 {
			t.Fatalf("created %v decodes %d ns away", f, d)
		}
	}
}

func TestReservedKeyEscaping(t *testing.T) {
	r := recordWith(slog.String("name", "n"), slog.String("attr_x", "ax"), slog.String("plain", "p"),
		slog.Group("g", slog.String("msg", "inner")))
	b := AppendMsgpack(nil, &r)
	for _, want := range []string{"\xa9attr_name", "\xabattr_attr_x", "\xa5plain", "\xa3msg"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("encoding lacks key %q", want[1:])
		}
	}
	if bytes.Count(b, []byte("\xa4name")) != 1 {
		t.Error("the logger name key should appear once")
	}
}

func TestDecodeErrors(t *testing.T) {
	valid := func(extra ...byte) []byte {
		// {"name": "x", <extra pair>}
		return append([]byte{0x82, 0xa4, 'n', 'a', 'm', 'e', 0xa1, 'x'}, extra...)
	}
	for _, tc := range []struct {
		name string
		in   []byte
		err  error
		text string
	}{
		{"empty", nil, ErrMalformed, "values missing"},
		{"array at top", []byte{0x91, 0x01}, ErrBadRecord, "top level is an array"},
		{"int key", []byte{0x81, 0x01, 0x02}, ErrBadRecord, "top-level key 0 is an integer"},
		{"levelno string", valid(0xa7, 'l', 'e', 'v', 'e', 'l', 'n', 'o', 0xa1, '5'), ErrBadRecord, "levelno is a string"},
		{"created map", valid(0xa7, 'c', 'r', 'e', 'a', 't', 'e', 'd', 0x80), ErrBadRecord, "created is a map"},
		{"created NaN", valid(append([]byte{0xa7, 'c', 'r', 'e', 'a', 't', 'e', 'd'}, appendFloat(nil, math.NaN())...)...), ErrBadRecord, "out of range"},
		{"msg map", valid(0xa3, 'm', 's', 'g', 0x80), ErrBadRecord, "msg is a map"},
		{"array as map key", valid(0xa1, 'g', 0x81, 0x90, 0x01), ErrBadRecord, "map key is an array"},
		{"thread too big", valid(0xa6, 't', 'h', 'r', 'e', 'a', 'd', 0xcf, 0xff, 0, 0, 0, 0, 0, 0, 0), ErrBadRecord, "thread"},
		{"trailing", append(valid(0xa1, 'k', 0x01), 0x00), ErrMalformed, "trailing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeMsgpack(tc.in)
			if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("got %v, want %v mentioning %q", err, tc.err, tc.text)
			}
		})
	}
}

func TestDecodeLenient(t *testing.T) {
	// msg as a number, non-string keys inside a group, a timestamp, levelname
	// without levelno, a nil levelno.
	in := []byte{0x86,
		0xa3, 'm', 's', 'g', 0x2a,
		0xa9, 'l', 'e', 'v', 'e', 'l', 'n', 'a', 'm', 'e', 0xa8, 'L', 'e', 'v', 'e', 'l', ' ', '2', '5',
		0xa7, 'l', 'e', 'v', 'e', 'l', 'n', 'o', 0xc0,
		0xa1, 'g', 0x83, 0x01, 0xa1, 'a', 0xc3, 0x02, 0xc0, 0x03,
		0xa2, 't', 's', 0xd6, 0xff, 0, 0, 0, 0,
		0xa1, 'b', 0xc4, 0x00,
	}
	r, err := DecodeMsgpack(in)
	if err != nil {
		t.Fatal(err)
	}
	if r.Message != "42" || r.Level != 25 {
		t.Errorf("got msg %q level %d", r.Message, r.Level)
	}
	want := []slog.Attr{
		slog.Any("b", []byte{}),
		slog.Group("g", slog.String("1", "a"), slog.Int64("True", 2), slog.Int64("None", 3)),
		slog.String("ts", "1970-01-01T00:00:00Z"),
	}
	slices.SortFunc(want[1].Value.Group(), func(a, b slog.Attr) int { return strings.Compare(a.Key, b.Key) })
	if g, w := dumpAttrs(recordAttrs(&r)), dumpAttrs(want); g != w {
		t.Errorf("attrs:\n got %s\nwant %s", g, w)
	}
}

func TestCheckMsgpack(t *testing.T) {
	deep := bytes.Repeat([]byte{0x91}, 100000)
	deep = append(deep, 0x01)
	for _, tc := range []struct {
		name string
		in   []byte
		err  error
	}{
		{"fixint", []byte{0x01}, nil},
		{"nested ok", append(bytes.Repeat([]byte{0x91}, 31), 0x80), nil},
		{"nested 32", append(bytes.Repeat([]byte{0x91}, 32), 0x80), ErrTooDeep},
		{"100000 nested arrays", deep, ErrTooDeep},
		{"array32 of 2^31", []byte{0xdd, 0x80, 0, 0, 0}, ErrMalformed},
		{"map32 of 2^31", []byte{0xdf, 0x80, 0, 0, 0}, ErrMalformed},
		{"map32 of 2^32-1", []byte{0xdf, 0xff, 0xff, 0xff, 0xff}, ErrMalformed},
		{"str32 truncated", []byte{0xdb, 0, 0, 0, 10, 'a'}, ErrMalformed},
		{"bin32 huge", []byte{0xc6, 0xff, 0xff, 0xff, 0xff}, ErrMalformed},
		{"ext32 huge", []byte{0xc9, 0x10, 0, 0, 0, 0xff}, ErrMalformed},
		{"header truncated", []byte{0xda, 0}, ErrMalformed},
		{"map needs two bytes an entry", []byte{0x82, 0x01, 0x02, 0x03}, ErrMalformed},
		{"nested counts share the bytes", []byte{0x92, 0x92, 0x01, 0x02}, ErrMalformed},
		{"c1", []byte{0xc1}, ErrMalformed},
		{"trailing", []byte{0x01, 0x02}, ErrMalformed},
		{"empty", nil, ErrMalformed},
		{"unknown ext", []byte{0xd4, 0x05, 0x00}, ErrMalformed},
		{"timestamp bad length", []byte{0xd5, 0xff, 0, 0}, ErrMalformed},
		{"timestamp64 bad nanos", []byte{0xd7, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}, ErrMalformed},
		{"timestamp96 ok", []byte{0xc7, 12, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, nil},
		{"map with int keys", []byte{0x81, 0x01, 0x02}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkMsgpack(tc.in, 0)
			if tc.err == nil && err != nil || tc.err != nil && !errors.Is(err, tc.err) {
				t.Errorf("got %v, want %v", err, tc.err)
			}
			if _, err2 := DecodeMsgpack(tc.in); err2 == nil {
				t.Error("DecodeMsgpack accepted a non-record")
			}
		})
	}
}

func TestCheckMsgpackDepthLimit(t *testing.T) {
	in := append(bytes.Repeat([]byte{0x91}, 99), 0x80)
	if err := checkMsgpack(in, 100); err != nil {
		t.Errorf("depth 100 at limit 100: %v", err)
	}
	if err := checkMsgpack(in, 99); !errors.Is(err, ErrTooDeep) {
		t.Errorf("depth 100 at limit 99: %v", err)
	}
}

// TestDecodeMemoryBound checks that hostile, valid-looking inputs make the
// decoder allocate at most a small multiple of their size.
func TestDecodeMemoryBound(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	const n = 1 << 16
	arrayOfInts := append([]byte{0x81, 0xa1, 'a', 0xdd, 0, 1, 0, 0}, bytes.Repeat([]byte{0x01}, n)...)
	mapOfNils := []byte{0x81, 0xa1, 'm', 0xdf, 0, 0, 0x80, 0}
	for i := range n / 2 {
		mapOfNils = append(mapOfNils, 0xa2, byte(i>>8), byte(i), 0xc0)
	}
	emptyMapsInArray := append([]byte{0x81, 0xa1, 'a', 0xdd, 0, 1, 0, 0}, bytes.Repeat([]byte{0x80}, n)...)
	mapsInArray := append([]byte{0x81, 0xa1, 'a', 0xdd, 0, 0, 0x40, 0}, bytes.Repeat([]byte{0x81, 0xa1, 'k', 0xc0}, n/4)...)
	for i, in := range [][]byte{arrayOfInts, mapOfNils, emptyMapsInArray, mapsInArray} {
		// A map inside an array becomes a Go map: a few hundred bytes
		// for the smallest one (4 bytes of input); everything else stays
		// within 32 times its input.
		limit := uint64(32)
		if i == 3 {
			limit = 128
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := DecodeMsgpack(in); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		got := after.TotalAlloc - before.TotalAlloc
		t.Logf("decoding %d bytes allocated %d bytes (%.1fx)", len(in), got, float64(got)/float64(len(in)))
		if got > limit*uint64(len(in))+64<<10 {
			t.Errorf("decoding %d bytes allocated %d bytes (%.1fx)", len(in), got, float64(got)/float64(len(in)))
		}
	}
}

func TestAppendMsgpackAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	r := recordWith(slog.String("user", "bob"), slog.Int("n", 3), slog.Float64("ratio", 0.5), slog.Bool("ok", true))
	r.Origin = &Origin{Pathname: "/a/b.go", Filename: "b.go", Module: "b", FuncName: "f", Lineno: 3}
	buf := make([]byte, 0, 4096)
	if n := testing.AllocsPerRun(100, func() { buf = AppendMsgpack(buf[:0], &r) }); n != 0 {
		t.Errorf("AppendMsgpack with Origin: %v allocs, want 0", n)
	}
	r.Origin = nil
	if n := testing.AllocsPerRun(100, func() { buf = AppendMsgpack(buf[:0], &r) }); n != 0 {
		t.Errorf("AppendMsgpack without caller: %v allocs, want 0", n)
	}
	var s *Scope
	r.Scope = s.WithAttrs([]slog.Attr{slog.String("svc", "api")}).WithGroup("req")
	r.Time = time.Now()
	if n := testing.AllocsPerRun(100, func() { buf = AppendMsgpack(buf[:0], &r) }); n != 0 {
		t.Errorf("AppendMsgpack with a scope: %v allocs, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { buf = AppendFrame(buf[:0], &r, nil) }); n != 0 {
		t.Errorf("AppendFrame: %v allocs, want 0", n)
	}
	r = hereRecord()
	t.Logf("AppendMsgpack with a caller from PC: %v allocs", testing.AllocsPerRun(100, func() { buf = AppendMsgpack(buf[:0], &r) }))
}

// TestDecoderBlocks: records a Decoder made keep their text and Origin while
// it fills and replaces its blocks, and while the payload buffer is reused.
func TestDecoderBlocks(t *testing.T) {
	var dc Decoder
	var recs []Record
	var want []string
	buf := make([]byte, 0, 4096)
	for i := range 200 {
		r := Record{Logger: fmt.Sprintf("app.%d", i), Message: strings.Repeat("x", i*7), Level: LevelInfo}
		r.AddAttrs(slog.Int("i", i), slog.String("s", fmt.Sprint(i)))
		buf = AppendMsgpack(buf[:0], &r)
		got, err := dc.Decode(buf)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, got)
		want = append(want, wireDump(&got)+fmt.Sprintf("%#v", originOf(&got)))
	}
	clear(buf[:cap(buf)])
	for i := range recs {
		if got := wireDump(&recs[i]) + fmt.Sprintf("%#v", originOf(&recs[i])); got != want[i] {
			t.Fatalf("record %d changed:\n%s\nwant\n%s", i, got, want[i])
		}
	}
	// A failed decode hands out no Origin and leaves the next one zero.
	if _, err := dc.Decode([]byte{0x81, 0xa4, 'n', 'a', 'm', 'e', 0x01}); err == nil {
		t.Fatal("want an error")
	}
	r, err := dc.Decode([]byte{0x80})
	if err != nil || originOf(&r) != (Origin{}) {
		t.Fatalf("after a failure: %v %#v", err, r.Origin)
	}
}

// TestDecoderAllocs: a Decoder's allocations per frame, amortized.
func TestDecoderAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations differ under -race")
	}
	r := Record{Logger: "app.db", Message: "query done", Level: LevelInfo, Time: time.Unix(1700000000, 5e8)}
	r.AddAttrs(slog.String("path", "/api/v1/users"), slog.Int("status", 200), slog.Float64("latency_ms", 12.345), slog.Bool("cached", true))
	p := AppendMsgpack(nil, &r)
	// The next record, a millisecond later: another created and
	// relativeCreated, the same caller, thread and process.
	r.Time = r.Time.Add(time.Millisecond)
	q := AppendMsgpack(nil, &r)
	var dc Decoder
	var rec Record
	i := 0
	n := testing.AllocsPerRun(1000, func() {
		i++
		if i%2 == 0 {
			_ = dc.DecodeInto(&rec, p)
		} else {
			_ = dc.DecodeInto(&rec, q)
		}
	})
	if n > 0 {
		t.Fatalf("%.3f allocations per frame, want none", n)
	}
}

// TestDecoderSharesOrigin: consecutive records with the same caller,
// thread and process share one Origin, each keeping its own
// relativeCreated, and re-encode to the bytes they came from; a record
// with another caller gets an Origin of its own.
func TestDecoderSharesOrigin(t *testing.T) {
	o := Origin{Pathname: "/srv/app/db.py", Filename: "db.py", Module: "db", FuncName: "query", Lineno: 42,
		Thread: 7, ThreadName: "MainThread", Process: 4242, ProcessName: "MainProcess"}
	var payloads [][]byte
	for i := range 6 {
		oi := o
		oi.RelativeCreated = 1000.25 + float64(i)
		if i >= 4 {
			oi.Lineno = 43
		}
		r := Record{Logger: "app.db", Message: "m", Level: LevelInfo, Time: time.Unix(1700000000, int64(i)*5e8), Origin: &oi}
		payloads = append(payloads, AppendMsgpack(nil, &r))
	}
	var dc Decoder
	recs := make([]Record, len(payloads))
	for i, p := range payloads {
		if err := dc.DecodeInto(&recs[i], p); err != nil {
			t.Fatal(err)
		}
	}
	for i := range recs {
		if got, want := recs[i].RelativeCreated(), 1000.25+float64(i); got != want {
			t.Errorf("record %d: relativeCreated %v, want %v", i, got, want)
		}
		if got := AppendMsgpack(nil, &recs[i]); !bytes.Equal(got, payloads[i]) {
			t.Errorf("record %d re-encodes to\n%x\nwant\n%x", i, got, payloads[i])
		}
	}
	if recs[0].Origin != recs[3].Origin || recs[4].Origin != recs[5].Origin {
		t.Error("records of one caller do not share their Origin")
	}
	if recs[3].Origin == recs[4].Origin || recs[0].Origin.Lineno != 42 || recs[4].Origin.Lineno != 43 {
		t.Errorf("another caller shares the Origin: %+v %+v", recs[3].Origin, recs[4].Origin)
	}
}

// TestFieldOf: every LogRecord key is found wherever it comes, and an
// attribute's key is not taken for one.
func TestFieldOf(t *testing.T) {
	want := map[string]wireField{
		"name": fName, "msg": fMsg, "levelname": fLevelname, "levelno": fLevelno,
		"pathname": fPathname, "filename": fFilename, "module": fModule, "funcName": fFuncName,
		"threadName": fThreadName, "processName": fProcessName, "taskName": fTaskName,
		"exc_text": fExcText, "stack_info": fStackInfo, "lineno": fLineno, "thread": fThread,
		"process": fProcess, "relativeCreated": fRelativeCreated, "created": fCreated,
		"args": fIgnored, "msecs": fIgnored, "exc_info": fIgnored, "message": fIgnored, "asctime": fIgnored,
	}
	for k := range want {
		if !reserved(k) {
			t.Errorf("%q is not reserved", k)
		}
	}
	for _, w := range wireOrder {
		if want[w.key] != w.f {
			t.Errorf("wireOrder: %q is %d, want %d", w.key, w.f, want[w.key])
		}
	}
	for _, k := range []string{"", "nam", "names", "Name", "path", "status", "attr_name", "relativecreated", "msg "} {
		want[k] = fAttr
	}
	// The word compare at a key's own place agrees with the general path
	// for every key of that length differing from it in one byte.
	for i, w := range wireOrder {
		if len(w.key) > 16 {
			t.Fatalf("%q is longer than keyWords covers", w.key)
		}
		for j := range len(w.key) {
			for _, c := range []byte{0, 'a', 'z', 0x80, 0xff, w.key[j] ^ 1} {
				k := []byte(w.key)
				k[j] = c
				if got, ref := fieldOf(string(k), i), fieldOf(string(k), 100); got != ref {
					t.Errorf("fieldOf(%q, %d) = %d, general path %d", k, i, got, ref)
				}
			}
		}
	}
	for k, f := range want {
		for _, i := range []int{0, 5, numFields, 100} {
			if got := fieldOf(k, i); got != f {
				t.Errorf("fieldOf(%q, %d) = %d, want %d", k, i, got, f)
			}
		}
	}
	// reserved's filter on length and first byte never hides a reserved
	// key: every key of a reserved name's length, with each first byte.
	for k := range want {
		for c := range 256 {
			b := []byte(k)
			if len(b) == 0 {
				break
			}
			b[0] = byte(c)
			if got, ref := reserved(string(b)), fieldOf(string(b), 100) != fAttr; got != ref {
				t.Errorf("reserved(%q) = %v, want %v", b, got, ref)
			}
		}
	}
}

// TestDecoderOrder: a Decoder that takes the previous record's order of
// attributes for the same keys makes what DecodeMsgpack makes, as keys,
// values, their kinds and counts change from record to record.
func TestDecoderOrder(t *testing.T) {
	seq := [][]slog.Attr{
		{slog.Int("b", 1), slog.Int("a", 2), slog.Int("b", 3)},
		{slog.String("b", "x"), slog.String("a", "y"), slog.String("b", "z")},
		{slog.Int("b", 1), slog.Group("a", slog.Int("k", 1)), slog.Int("b", 2)},
		{slog.String("b", "x"), slog.String("a", "y"), slog.String("b", "z")},
		{slog.Int("b", 1), slog.Int("a", 2)},
		{slog.Int("b", 1), slog.Int("a", 2), slog.Int("b", 3)},
		{slog.Int("a", 1), slog.Int("b", 2), slog.Int("b", 3)},
		{slog.Int("a", 1), slog.Int("b", 2), slog.Int("b", 3)},
		{slog.Any("", nil), slog.Int("b", 2), slog.Int("a", 3)},
		{slog.Int("c", 1), slog.Int("b", 2), slog.Int("a", 3)},
		{},
		{slog.Int("c", 1), slog.Int("b", 2), slog.Int("a", 3)},
	}
	var dc Decoder
	for i, attrs := range seq {
		r := recordWith(attrs...)
		p := AppendMsgpack(nil, &r)
		want, err := DecodeMsgpack(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := dc.Decode(p)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := dumpAttrs(recordAttrs(&got)), dumpAttrs(recordAttrs(&want)); g != w {
			t.Errorf("record %d: got %s, want %s", i, g, w)
		}
	}
}
