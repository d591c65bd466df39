// Package recorder is an in-memory sink for a program's own tests: it keeps
// every record its handler writes, so a test can assert on what was logged,
// as zap's zaptest/observer does.
//
// # Use
//
//	rec := recorder.New()
//	eng := engine.New(engine.Options{Synchronous: true}) // every call waits until written
//	h, _ := eng.NewHandler("rec", rec, actors.HandlerOptions{})
//	eng.Logger("").AddHandler(h)
//	eng.Logger("").SetLevel(record.LevelDebug)
//	// ... run the code under test ...
//	if got := rec.FilterMessage("connected"); len(got) != 1 { t.Fatal(...) }
//
// Without Synchronous, call Engine.Flush before reading. An Entry holds a
// copy of the record: its time, level, logger, message, the attributes
// resolved and flattened to dotted keys ("req.id"), and the text the
// handler's formatter made of it.
//
// # Python parity
//
// Python's unittest has assertLogs, which attaches a handler that keeps
// records; Recorder is that handler, attached as any other.
package recorder
