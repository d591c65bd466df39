package record_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/actorlog/actorlog/record"
	"github.com/vmihailenco/msgpack/v5"
)

// A record travels as a frame: a length, a msgpack map of Python's LogRecord
// attributes, and (with a shared key) an HMAC tag. The sender appends frames
// to a buffer; the receiver reads them from a stream with a size limit and
// decodes each payload, which DecodeMsgpack checks before it decodes.
func ExampleAppendFrame() {
	key := record.NewFrameKey([]byte("shared secret")) // nil: no tag, as Python sends

	// The sending side.
	r := record.Record{
		Time:    time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC),
		Level:   record.LevelWarning,
		Logger:  "app.db",
		Message: "slow query",
	}
	r.AddAttrs(slog.Int("ms", 1200), slog.String("name", "orders"))
	frame := record.AppendFrame(nil, &r, key)

	// The receiving side.
	conn := bytes.NewReader(frame)
	var buf []byte
	for {
		payload, err := record.ReadFrame(conn, buf, 64<<10, key)
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err) // out of step: close the connection
			return
		}
		buf = payload
		got, err := record.DecodeMsgpack(payload)
		if err != nil {
			fmt.Println(err) // a bad record: count it and go on
			continue
		}
		fmt.Println(got.Logger, got.Level, got.Message, got.Time.UTC().Format(time.RFC3339))
		got.Attrs(func(a slog.Attr) bool {
			fmt.Println(a.Key, a.Value) // "name" travelled as "attr_name"
			return true
		})
	}
	// Output:
	// app.db WARNING slow query 2026-03-04T05:06:07Z
	// ms 1200
	// name orders
}

// A frame whose tag does not match is refused, as is one that declares more
// than the limit, before any of it is read.
func ExampleReadFrame() {
	r := record.Record{Level: record.LevelInfo, Message: "hi"}
	frame := record.AppendFrame(nil, &r, record.NewFrameKey([]byte("theirs")))
	_, err := record.ReadFrame(bytes.NewReader(frame), nil, 0, record.NewFrameKey([]byte("ours")))
	fmt.Println(errors.Is(err, record.ErrBadTag))

	huge := []byte{0x7f, 0xff, 0xff, 0xff} // declares 2 GiB
	_, err = record.ReadFrame(bytes.NewReader(huge), nil, 0, nil)
	fmt.Println(err)
	// Output:
	// true
	// record: frame too large: frame declares 2147483647 bytes, limit is 1048576
}

// DecodeMsgpack refuses a declared length the input cannot hold before any
// decoder allocates for it.
func ExampleDecodeMsgpack() {
	bomb := []byte{0xdd, 0x80, 0x00, 0x00, 0x00} // an array of 2^31 elements, in 5 bytes
	_, err := record.DecodeMsgpack(bomb)
	fmt.Println(errors.Is(err, record.ErrMalformed))
	fmt.Println(err)
	// Output:
	// true
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
