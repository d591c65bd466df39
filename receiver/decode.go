package receiver

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/actorlog/actorlog/internal/pickle"
	"github.com/actorlog/actorlog/record"
)

// errNotRecord is a payload that is neither a msgpack map nor a pickle.
var errNotRecord = errors.New("receiver: neither a msgpack map nor a pickled dict")

// decodePayload turns one frame's payload into *rec (overwritten; the zero
// Record on error): our msgpack map (checked as it is decoded,
// record.Decoder), or the pickled dict of Python's SocketHandler and
// DatagramHandler. A pickle starts with PROTO (0x80 and a version) or, in
// protocols 0 and 1, with EMPTY_DICT '}' or MARK '('; a msgpack map starts
// with 0x80-0x8f, 0xde or 0xdf; only a one-byte payload 0x80 is the empty
// map. dc is the connection's (or socket's) decoder.
func decodePayload(dc *record.Decoder, p []byte, rec *record.Record) (reason, error) {
	if len(p) == 0 {
		*rec = record.Record{}
		return reasonMalformed, errNotRecord
	}
	switch c := p[0]; {
	case c == '}' || c == '(' || (c == 0x80 && len(p) > 1):
		var why reason
		var err error
		*rec, why, err = decodePickle(p)
		return why, err
	case c&0xf0 == 0x80 || c == 0xde || c == 0xdf:
		if err := dc.DecodeInto(rec, p); err != nil {
			return reasonMalformed, err
		}
		return 0, nil
	}
	*rec = record.Record{}
	return reasonMalformed, errNotRecord
}

// decodePickle decodes a Python pickle of a LogRecord's dict and maps it as
// the wire map (through msgpack, so that one set of rules names the
// fields).
func decodePickle(p []byte) (record.Record, reason, error) {
	v, err := pickle.Decode(p)
	if err != nil {
		if errors.Is(err, pickle.ErrUnsupported) {
			return record.Record{}, reasonUnsupported, err
		}
		return record.Record{}, reasonMalformed, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return record.Record{}, reasonMalformed, fmt.Errorf("%w: a pickle of %T, want a dict", errNotRecord, v)
	}
	return fromMap(m)
}

// fromMap decodes a record's fields given as Go values (from a pickle, a
// form or JSON) by the wire map's rules.
func fromMap(m map[string]any) (record.Record, reason, error) {
	b, err := msgpack.Marshal(m)
	if err != nil {
		return record.Record{}, reasonMalformed, err
	}
	r, err := record.DecodeMsgpack(b)
	if err != nil {
		return r, reasonMalformed, err
	}
	return r, 0, nil
}

// Fields of a Python LogRecord that a form (all text) carries as numbers.
var (
	intFields   = map[string]bool{"levelno": true, "lineno": true, "thread": true, "process": true}
	floatFields = map[string]bool{"created": true, "msecs": true, "relativeCreated": true}
	// noneFields are the LogRecord attributes whose "None" means nothing.
	noneFields = map[string]bool{
		"exc_info": true, "exc_text": true, "stack_info": true, "args": true, "taskName": true,
		"thread": true, "threadName": true, "process": true, "processName": true,
	}
)

// formValue types one field of an HTTPHandler form: Python's urlencode
// sent str(value) of each attribute of the record.
func formValue(k, v string) (any, error) {
	if noneFields[k] && v == "None" {
		return nil, nil
	}
	switch {
	case intFields[k]:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("field %s: %q is not an integer", k, v)
		}
		return n, nil
	case floatFields[k]:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("field %s: %q is not a number", k, v)
		}
		return f, nil
	}
	return v, nil
}
