package config

import (
	"errors"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/actorlog/actorlog/receiver"
)

// receiverType is one row of the receiver table: a type's name, the
// options its keys bind to (receiver.Options, tagged `config:"key"`, judged
// by its Validate), and the address it listens on. Adding a receiver type
// (syslog, jetstream) is adding a row.
type receiverType struct {
	Name       string
	schema     *schema
	newOptions func() any
	listen     func(o any) string
}

// receiverRow makes a row of the receiver table for the receiver type name,
// whose keys bind to options of type O, made by newOptions; listen names
// what it listens on.
func receiverRow[O any](name string, newOptions func() *O, listen func(o *O) string) *receiverType {
	return &receiverType{
		Name:       name,
		schema:     schemaOf(reflect.TypeFor[O]()),
		newOptions: func() any { return newOptions() },
		listen:     func(o any) string { return listen(o.(*O)) },
	}
}

// socketRow is a row of a receiver of frames on a socket (receiver.Options).
func socketRow(name string) *receiverType {
	return receiverRow(name, func() *receiver.Options { return &receiver.Options{Type: name} },
		func(o *receiver.Options) string { return o.Listen })
}

// receiverTypes is every receiver type, one row each.
var receiverTypes = []*receiverType{
	socketRow(receiver.TCP),
	socketRow(receiver.UDP),
	socketRow(receiver.Unix),
	socketRow(receiver.HTTP),
	receiverRow(receiver.JetStream, func() *receiver.JetStreamOptions { return new(receiver.JetStreamOptions) },
		func(o *receiver.JetStreamOptions) string { return o.Name() }),
}

func receiverTypeNames() []string {
	out := make([]string, len(receiverTypes))
	for i, r := range receiverTypes {
		out[i] = r.Name
	}
	return out
}

// ErrInvalidOptions is wrapped by the errors of this package's own options'
// Validate. (Receiver options are receiver.Options, whose errors wrap
// receiver.ErrInvalidOptions.)
var ErrInvalidOptions = errors.New("config: invalid options")

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
