package receiver_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/receiver"
	"github.com/actorlog/actorlog/record"
)

// A collector: a TCP receiver handing what arrives to the engine's loggers,
// here one handler printing every record.
func Example() {
	eng := engine.New(engine.Options{})
	h, _ := eng.NewHandler("stdout", actors.NewStream(os.Stdout), actors.HandlerOptions{
		Formatter: format.MustPython("%(name)s %(levelname)s %(message)s user=%(user)s", format.PythonOptions{}),
	})
	eng.Logger("").AddHandler(h)
	rcv, err := receiver.Listen(eng, receiver.Options{Type: receiver.TCP, Listen: "127.0.0.1:0"})
	if err != nil {
		fmt.Println(err)
		return
	}

	// A sender: one msgpack frame, as a Socket handler writes it.
	var r record.Record
	r.Level, r.Logger, r.Message = record.LevelWarning, "app.db", "slow query"
	r.AddAttrs(slog.String("user", "ann"))
	c, _ := net.Dial("tcp", rcv.Addr())
	_, _ = c.Write(record.AppendFrame(nil, &r, nil))
	_ = c.Close()

	// Stop the receivers first, then drain the handlers.
	for rcv.Stats().Frames < 1 {
		time.Sleep(time.Millisecond)
	}
	_ = rcv.Close()
	_ = eng.Shutdown(context.Background())
	// Output:
	// app.db WARNING slow query user=ann
}
