package config

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/actorlog/actorlog/format"
)

// formatterClass is one row of the formatter table: the class names that
// select it and how the formatter is made. Its keys are FormatterSpec's
// fields tagged `config:"key"` whose `formatter:"..."` tag names the
// class (no formatter tag: every class).
type formatterClass struct {
	// Name is the class as FormatterSpec.Class and the tree show it;
	// Aliases select it too, the first standing for it in messages.
	Name    string
	Aliases []string
	New     func(f *FormatterSpec) (format.Formatter, error)
}

// keys lists the keys the class takes besides class.
func (c *formatterClass) keys() []string {
	var out []string
	for _, f := range formatterSchema.fields {
		if cs, ok := f.tag.Lookup("formatter"); !ok || contains(strings.Fields(cs), c.Name) {
			out = append(out, f.key)
		}
	}
	return out
}

// formatterClasses is every formatter class, one row each; the first is
// the default, Python's logging.Formatter.
var formatterClasses = []*formatterClass{
	{
		Name: "python", Aliases: []string{"logging.Formatter", "Formatter"},
		New: func(f *FormatterSpec) (format.Formatter, error) {
			return format.NewPython(f.format(), format.PythonOptions{Datefmt: f.Datefmt, Style: f.Style, Defaults: f.Defaults, UTC: f.UTC})
		},
	},
	{
		Name: "json",
		New: func(f *FormatterSpec) (format.Formatter, error) {
			o := format.JSONOptions{AddSource: f.AddSource, Location: f.location(), TimeFormat: f.TimeFormat,
				TimeKey: f.TimeKey, LevelKey: f.LevelKey, LoggerKey: f.LoggerKey, SourceKey: f.SourceKey, MessageKey: f.MessageKey}
			if err := o.Validate(); err != nil {
				return nil, err
			}
			return format.NewJSON(o), nil
		},
	},
	{
		Name: "logfmt",
		New: func(f *FormatterSpec) (format.Formatter, error) {
			return format.NewLogfmt(format.LogfmtOptions{AddSource: f.AddSource, Location: f.location()}), nil
		},
	},
}

var formatterSchema = schemaOf(reflect.TypeFor[FormatterSpec]())

// formatterClassNamed finds a formatter class by name or alias.
func formatterClassNamed(name string) *formatterClass {
	for _, c := range formatterClasses {
		if c.Name == name || contains(c.Aliases, name) {
			return c
		}
	}
	return nil
}

// formatterClassNames lists each class by its first alias or its name, for
// messages.
func formatterClassNames() []string {
	out := make([]string, len(formatterClasses))
	for i, c := range formatterClasses {
		out[i] = c.Name
		if len(c.Aliases) > 0 {
			out[i] = c.Aliases[0]
		}
	}
	return out
}

// location is the time zone of json and logfmt times: UTC with utc, else
// nil (the formatter's default, local time).
func (f *FormatterSpec) location() *time.Location {
	if f.UTC {
		return time.UTC
	}
	return nil
}

// format returns the format string, Python's default for the style when
// none is given.
func (f *FormatterSpec) format() string {
	if f.Format != "" {
		return f.Format
	}
	return defaultFormat(f.Style)
}

func (d *decoder) formatter(e entry, path string) *FormatterSpec {
	f := &FormatterSpec{Name: e.key, Pos: posOf(e.keyNode), Class: formatterClasses[0].Name, Validate: true}
	es, ok := d.mapping(e.val, path)
	if !ok {
		return nil
	}
	n0 := len(d.errs)
	class := formatterClasses[0]
	for _, en := range es {
		if en.key != "class" {
			continue
		}
		name, ok := d.str(en.val, joinKey(path, "class"))
		if !ok {
			break
		}
		if c := formatterClassNamed(name); c != nil {
			class, f.Class = c, c.Name
			continue
		}
		known := formatterClassNames()
		msg := fmt.Sprintf("unknown formatter class %s (want one of %s)", quote(name), strings.Join(known, ", "))
		if s := suggest(name, known); s != "" {
			msg = fmt.Sprintf("unknown formatter class %s (did you mean %q?)", quote(name), s)
		}
		d.add(d.resolve(en.val), joinKey(path, "class"), ErrUnknownClass, msg)
	}
	b := formatterSchema.value(f)
	keys := class.keys()
	allowed := append([]string{"class"}, keys...)
	for _, en := range es {
		p := joinKey(path, en.key)
		switch {
		case en.key == "class":
		case contains(keys, en.key):
			d.set(b, en.key, en.val, p)
		case en.key == "()":
			d.add(en.keyNode, p, ErrUnsupported, `"()" factories are not supported (use class: json, class: logfmt or Python's format keys)`)
		default:
			d.unknownKey(en, path, allowed)
		}
	}
	if len(d.errs) > n0 {
		return f // kept, so that references to it are not reported too
	}
	built, err := class.New(f)
	if err != nil {
		at := b.written["format"]
		if at == nil {
			at = d.resolve(e.val)
		}
		d.add(at, joinKey(path, "format"), ErrValue, err.Error())
		return f
	}
	f.built = built
	return f
}
