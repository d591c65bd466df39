package config

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/actorlog/actorlog/actors/file"
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
// Parse never touches the file system; Check does, and only stats.
func (c *Config) Check() Errors {
	var ws Errors
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
