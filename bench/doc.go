// Package bench compares actorlog with other Go loggers: zap, zerolog,
// log/slog's JSONHandler and a naive channel-based asynchronous logger
// (ChanLogger, defined here so that the comparison has an honest baseline for
// "hand the record to another goroutine").
//
// It is a module of its own so that the library's go.mod does not carry the
// dependencies of the loggers it is compared with. Its tests are not run by
// the library's CI.
//
// # What is measured
//
//   - Producer: the cost to the calling goroutine of logging one record
//     (a message and four attributes: a string, an int, a float and a bool)
//     into a sink that discards, serially and with b.RunParallel, and the cost
//     of a call at a disabled level.
//   - End to end: b.N records through each logger into a file, flushed inside
//     the timed part, reported as records/s.
//   - Rotating: actorlog's Rotating sink against zap writing to lumberjack,
//     and against actorlog's plain File sink.
//
// # Running
//
//	cd bench
//	go test -run '^$' -bench . -benchmem -benchtime 0.5s -count 6 | tee new.txt
//	benchstat new.txt
//	/usr/bin/python3 ratios.py new.txt
//
// README.md holds the numbers of the last run and the ratios against the
// targets of the design.
package bench
