package actors

import (
	"github.com/actorlog/actorlog/record"
)

// QueueOptions configure a Queue sink (Python's QueueHandler with its
// QueueListener). The handlers the listener hands records to are those
// named by HandlerOptions.Targets (the config file's key handlers).
type QueueOptions struct {
	// RespectHandlerLevel passes a record only to the handlers whose level
	// it reaches (Python's respect_handler_level). By default every handler
	// gets every record, its filters applying and its level not, as
	// Python's listener calls handler.handle.
	RespectHandlerLevel bool `config:"respect_handler_level"`
}

// Validate reports every problem of o; every QueueOptions is valid.
func (o QueueOptions) Validate() error { return nil }

// Queue is Python's QueueHandler and QueueListener in one handler: its
// mailbox is the queue and its actor the listener. Each record is prepared
// as Python's QueueHandler.prepare does (Prepare): the handler's Formatter
// merges message, exception and stack text into the message, and the
// copy passed on has no separate exception or stack text, so the
// listener's handlers write them once. The prepared records go to the
// handlers named by HandlerOptions.Targets, in order, through their
// mailboxes (engine.Handler.Listener gives Python's Start and Stop).
type Queue struct {
	o       QueueOptions
	targets []Target
	prep    record.Record // the record being passed on; Post copies it
}

var (
	_ Sink         = (*Queue)(nil)
	_ Forwarder    = (*Queue)(nil)
	_ Unterminated = (*Queue)(nil)
)

// NewQueue returns a Queue sink.
func NewQueue(o QueueOptions) (*Queue, error) { return &Queue{o: o}, nil }

// SetTargets takes the listener's handlers.
func (q *Queue) SetTargets(ts []Target) { q.targets = ts }

// Unterminated marks that the records' text comes without a terminator:
// it becomes their message.
func (*Queue) Unterminated() {}

// Prepare returns the record a QueueHandler passes on for r formatted as
// text, as Python's prepare: a copy whose message is the formatted text
// (message, exception and stack merged by the Formatter) and whose
// exception and stack text are empty. The attributes are kept. r is not
// changed.
func Prepare(r *record.Record, text string) record.Record {
	p := *r
	p.Message = text
	p.ErrText = ""
	p.Stack = ""
	return p
}

// WriteBatch prepares each record and hands it to every handler (or, with
// RespectHandlerLevel, to those whose level it reaches). A handler that
// refuses a record (its mailbox full) counts it.
//
// A Queue without handlers counts each record as dropped (reason
// no_target): in Python the records would wait in a queue nobody reads.
func (q *Queue) WriteBatch(b *Batch) (int, error) {
	if len(q.targets) == 0 {
		for i := range b.Records {
			b.Fail(i, ReasonNoTarget, nil)
		}
		return b.Len(), nil
	}
	for i, r := range b.Records {
		q.prep = Prepare(r, string(b.Record(i)))
		for _, t := range q.targets {
			if q.o.RespectHandlerLevel && q.prep.Level < t.Level() {
				continue
			}
			t.Post(&q.prep)
		}
	}
	q.prep = record.Record{} // keep nothing of the batch
	return b.Len(), nil
}

// Close does nothing: the handlers are drained after the queue.
func (q *Queue) Close() error { return nil }
