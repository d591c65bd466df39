package record_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/actorlog/actorlog/record"
	"github.com/vmihailenco/msgpack/v5"
)

// A record travels as a frame: a length, a msgpack map of Python's LogRecord
// attributes, and (with a shared key) an HMAC tag.
func ExampleAppendFrame() {
	r := record.Record{
		Time:    time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC),
		Level:   record.LevelWarning,
		Logger:  "app.db",
		Message: "slow query",
	}
	r.AddAttrs(slog.Int("ms", 1200), slog.String("name", "orders"))
	key := []byte("shared secret")
	frame := record.AppendFrame(nil, &r, key)

	// The receiving side.
	payload, err := record.ReadFrame(bytes.NewReader(frame), nil, 0, key)
	if err != nil {
		panic(err)
	}
	got, err := record.DecodeMsgpack(payload)
	if err != nil {
		panic(err)
	}
	fmt.Println(got.Logger, got.Level, got.Message, got.Time.UTC().Format(time.RFC3339))
	got.Attrs(func(a slog.Attr) bool {
		fmt.Println(a.Key, a.Value) // "name" travelled as "attr_name"
		return true
	})
	// Output:
	// app.db WARNING slow query 2026-03-04T05:06:07Z
	// ms 1200
	// name orders
}

// CheckMsgpack refuses a declared length the input cannot hold before any
// decoder allocates for it.
func ExampleCheckMsgpack() {
	bomb := []byte{0xdd, 0x80, 0x00, 0x00, 0x00} // an array of 2^31 elements, in 5 bytes
	fmt.Println(record.CheckMsgpack(bomb, 0))
	// Output:
	// record: malformed msgpack: container at offset 0 declares 2147483648 elements but only 0 bytes remain
}

// The map's keys are Python's LogRecord attribute names, then the record's
// attributes, a reserved name escaped.
func ExampleAppendMsgpack() {
	r := record.Record{Level: record.LevelInfo, Logger: "app", Message: "hi"}
	r.AddAttrs(slog.String("user", "bob"), slog.Int("lineno", 7))
	b := record.AppendMsgpack(nil, &r)

	var m map[string]any
	if err := msgpack.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	keys := slices.Sorted(maps.Keys(m))
	fmt.Println(keys)
	fmt.Println(m["name"], m["levelname"], m["msg"], m["user"], m["attr_lineno"], m["lineno"])
	// Output:
	// [args attr_lineno created exc_text filename funcName levelname levelno lineno module msecs msg name pathname process processName relativeCreated stack_info taskName thread threadName user]
	// app INFO hi bob 7 0
}
