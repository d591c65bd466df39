// Command zerologsend is the zerolog side of procbench: it writes the
// records `actorlog send --count N MESSAGE` writes with a JSON FileHandler
// (time in RFC 3339 with nanoseconds, level, msg, seq from 1 to N) to a
// file through a 256 KiB bufio.Writer, as a zerolog user would.
//
//	zerologsend -count 1000000 -out FILE hello there
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

func main() {
	count := flag.Int("count", 1, "records to write")
	out := flag.String("out", "zerolog.log", "the file, appended to")
	flag.Parse()
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriterSize(f, 256<<10)
	zerolog.TimeFieldFormat = time.RFC3339Nano
	zerolog.TimestampFieldName, zerolog.MessageFieldName = "time", "msg"
	// Python's upper-case names, made once: an array lookup per record, the
	// cheapest way (a map costs a hash, ToUpper an allocation).
	var upper [zerolog.PanicLevel - zerolog.TraceLevel + 1]string
	for l := zerolog.TraceLevel; l <= zerolog.PanicLevel; l++ {
		upper[l-zerolog.TraceLevel] = strings.ToUpper(l.String())
	}
	zerolog.LevelFieldMarshalFunc = func(l zerolog.Level) string {
		if l < zerolog.TraceLevel || l > zerolog.PanicLevel {
			return l.String()
		}
		return upper[l-zerolog.TraceLevel]
	}
	zerolog.TimestampFunc = func() time.Time { return time.Now().UTC() }
	l := zerolog.New(w).Level(zerolog.InfoLevel)
	msg := strings.Join(flag.Args(), " ")
	for i := 1; i <= *count; i++ {
		l.Info().Timestamp().Int("seq", i).Msg(msg)
	}
	if err := w.Flush(); err != nil || f.Close() != nil {
		fmt.Fprintln(os.Stderr, "write:", err)
		os.Exit(1)
	}
}
