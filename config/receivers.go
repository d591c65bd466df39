package config

import (
	"errors"
	"net"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/actorlog/actorlog/internal/optcheck"
	"github.com/actorlog/actorlog/receiver"
)

// receiverType is one row of the receiver table: a type's name, the
// options its keys bind to (tagged `config:"key"`, judged by their
// Validate), and the address it listens on. Adding a receiver type (http,
// unix, syslog, jetstream) is adding a row.
type receiverType struct {
	Name       string
	schema     *schema
	newOptions func() any
	listen     func(o any) string
}

// receiverRow makes a row of the receiver table for options of type O.
func receiverRow[O any](name string, listen func(o *O) string) *receiverType {
	return &receiverType{
		Name:       name,
		schema:     schemaOf(reflect.TypeFor[O]()),
		newOptions: func() any { return new(O) },
		listen:     func(o any) string { return listen(o.(*O)) },
	}
}

// receiverTypes is every receiver type, one row each.
var receiverTypes = []*receiverType{
	receiverRow("tcp", func(o *SocketReceiverOptions) string { return o.Listen }),
	receiverRow("udp", func(o *SocketReceiverOptions) string { return o.Listen }),
	receiverRow(receiver.JetStream, func(o *receiver.JetStreamOptions) string { return o.Name() }),
}

func receiverTypeNames() []string {
	out := make([]string, len(receiverTypes))
	for i, r := range receiverTypes {
		out[i] = r.Name
	}
	return out
}

// ErrInvalidOptions is wrapped by the errors of this package's options'
// Validate (SocketReceiverOptions.Validate).
var ErrInvalidOptions = errors.New("config: invalid options")

// SocketReceiverOptions are the keys of a tcp or udp receiver: Python's
// SocketHandler and DatagramHandler send to it.
type SocketReceiverOptions struct {
	// Listen is the address, "host:port". Required.
	Listen string `config:"listen"`
	// MaxFrame is the largest frame accepted, in bytes; 0 for the
	// receiver's default; at most MaxFrameLimit (64 MiB), since a receiver
	// may hold a frame whole.
	MaxFrame int `config:"maxFrame"`
	// Key is the shared HMAC key; "" for none.
	Key string `config:"key"`
}

// MaxFrameLimit bounds SocketReceiverOptions.MaxFrame.
const MaxFrameLimit = 64 << 20

// Validate reports a missing or malformed Listen and a MaxFrame out of
// bounds.
func (o SocketReceiverOptions) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	if o.Listen == "" {
		p.Addf("Listen", `missing (want "host:port")`)
	} else if _, _, err := net.SplitHostPort(o.Listen); err != nil {
		p.Addf("Listen", `want "host:port", got %s`, quote(o.Listen))
	}
	switch {
	case o.MaxFrame < 0:
		p.Addf("MaxFrame", "must not be negative (got %d)", o.MaxFrame)
	case o.MaxFrame > MaxFrameLimit:
		p.Addf("MaxFrame", "must be at most %d (64 MiB) (got %d)", MaxFrameLimit, o.MaxFrame)
	}
	return p.Err()
}

func (d *decoder) receiver(n *yaml.Node, path string) *ReceiverSpec {
	es, ok := d.mapping(n, path)
	if !ok {
		return nil
	}
	r := &ReceiverSpec{Pos: posOf(d.resolve(n)), Path: path}
	n0 := len(d.errs)
	var typ *receiverType
	names := receiverTypeNames()
	want := "want " + strings.Join(names, " or ")
	typeGiven := false
	for _, e := range es {
		if e.key != "type" {
			continue
		}
		typeGiven = true
		p := joinKey(path, "type")
		if s, ok := d.str(e.val, p); ok {
			for _, t := range receiverTypes {
				if strings.EqualFold(s, t.Name) {
					typ, r.Type = t, t.Name
				}
			}
			if typ == nil {
				d.errorf(d.resolve(e.val), p, ErrValue, "unknown receiver type %s (%s)", quote(s), want)
			}
		}
	}
	if !typeGiven {
		d.add(d.resolve(n), joinKey(path, "type"), ErrMissing, "missing ("+want+")")
	}
	if typ == nil {
		// Without a type its keys cannot be judged; those of the first type
		// still are, so that a list of mistakes is reported at once.
		typ = receiverTypes[0]
	}
	r.Options = typ.newOptions()
	b := typ.schema.value(r.Options)
	n1 := len(d.errs)
	d.block(b, es, path, []string{"type"})
	if len(d.errs) == n1 {
		d.validate(b, d.resolve(n), path)
	}
	if len(d.errs) > n0 {
		return nil
	}
	r.Listen = typ.listen(r.Options)
	return r
}
