package config

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/actorlog/actorlog/actors/file"
	"github.com/actorlog/actorlog/format"
)

// Check looks at the file system for what may not work as meant in a valid
// config, for `actorlog check` to print as warnings (not errors): a file
// handler whose filename is a FIFO, a device, a directory or a socket,
// where Python would also block or fail (file.CheckPath says why), and a
// handler of a class this system lacks (NTEventLogHandler off Windows,
// wrapping eventlog.ErrUnsupported). Each
// warning is placed at the handler's filename and wraps
// file.ErrNotRegular, or the error of looking. A missing directory is not
// reported: serve and Build's MakeDirs create it.
//
// It also warns about a Python format's field that is neither a LogRecord
// attribute (nor the attrs field) nor in the formatter's defaults: a typo
// such as %(levelnam)s (with the name it probably meant) prints
// %!(MISSING levelnam) for every record, and an attribute only some records
// carry prints that for the others. Those warnings wrap ErrFormatField.
//
// Parse never touches the file system; Check does, and only stats.
func (c *Config) Check() Errors {
	ws := c.checkFormats()
	for _, name := range c.HandlerOrder() {
		h := c.Handlers[name]
		if h.Class != nil && h.Class.check != nil && h.Options != nil {
			if err := h.Class.check(h.Options); err != nil {
				ws = append(ws, &Error{File: c.File, Line: h.Line, Column: h.Column, Path: joinKey("handlers", name),
					Msg: h.Class.Name + " cannot work here: " + err.Error(), Err: err})
			}
		}
		dest, isFile := h.Dest()
		if !isFile || dest == "" {
			continue
		}
		err := file.CheckPath(dest)
		if err == nil || errors.Is(err, fs.ErrNotExist) {
			continue
		}
		msg := strings.TrimSuffix(err.Error(), ": "+file.ErrNotRegular.Error())
		w := &Error{File: c.File, Line: h.Line, Column: h.Column, Path: joinKey("handlers", name), Msg: msg, Err: err}
		if k, n := h.params.keyOf(dest); n != nil {
			w.Line, w.Column, w.Path = n.Line, n.Column, joinKey(w.Path, k)
		}
		ws = append(ws, w)
	}
	return ws
}

// checkFormats warns about format fields that records may lack.
func (c *Config) checkFormats() Errors {
	var ws Errors
	known := format.RecordFields()
	for _, name := range sortedKeys(c.Formatters) {
		f := c.Formatters[name]
		p, ok := f.built.(*format.Python)
		if !ok {
			continue
		}
		seen := map[string]bool{}
		for _, field := range p.Fields() {
			if seen[field] || format.IsRecordField(field) {
				continue
			}
			seen[field] = true
			if _, ok := f.Defaults[field]; ok {
				continue
			}
			var msg string
			if s := suggest(field, known); s != "" {
				msg = fmt.Sprintf("field %q is not a LogRecord attribute (did you mean %q?): every record prints %%!(MISSING %s)", field, s, field)
			} else {
				msg = fmt.Sprintf("field %q is not a LogRecord attribute: records without an attribute %q print %%!(MISSING %s) (give it a default under defaults)", field, field, field)
			}
			ws = append(ws, &Error{File: c.File, Line: f.Line, Column: f.Column, Path: joinKey(joinKey("formatters", name), "format"),
				Msg: msg, Err: ErrFormatField})
		}
	}
	return ws
}
