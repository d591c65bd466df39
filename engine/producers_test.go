package engine

import (
	"log/slog"
	"sync"

	"github.com/actorlog/actorlog/record"
)

// logFromProducers logs each records with message msg from each of producers
// goroutines through l, with attributes p (the producer) and seq (0 up), and
// returns when all are logged. Tests format records with "%(p)d %(seq)d" and
// check every (p, seq) pair afterwards.
func logFromProducers(l *Logger, producers, each int, msg string) {
	var wg sync.WaitGroup
	for p := 0; p < producers; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				l.Log(record.LevelInfo, msg, slog.Int("p", p), slog.Int("seq", i))
			}
		}()
	}
	wg.Wait()
}
