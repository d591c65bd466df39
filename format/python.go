package format

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/actorlog/actorlog/internal/optcheck"
	"github.com/actorlog/actorlog/record"
)

// ErrInvalidFormat is wrapped by every error NewPython returns for a format
// string it cannot parse.
var ErrInvalidFormat = errors.New("invalid format")

// ErrInvalidOptions is wrapped by every error that PythonOptions.Validate
// returns, and so by NewPython's error for invalid options.
var ErrInvalidOptions = errors.New("format: invalid options")

// Style selects the syntax of a Python format string, as the style argument of
// Python's logging.Formatter does.
type Style byte

// The three styles of Python's logging.Formatter.
const (
	StylePercent Style = '%' // "%(levelname)-8s %(message)s" (printf style)
	StyleBrace   Style = '{' // "{levelname:<8} {message}" (str.format style)
	StyleDollar  Style = '$' // "$levelname ${message}" (string.Template style)
)

// PythonOptions configures a Python formatter. The zero value is Python's
// logging.Formatter defaults.
type PythonOptions struct {
	// Datefmt is the strftime pattern for %(asctime)s, written as Python's
	// time.strftime writes it on Linux (glibc, C locale). Supported
	// conversions: %a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m
	// %M %n %p %P %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%, with
	// glibc's optional flags (- no padding, _ pad with spaces, 0 pad with
	// zeros, ^ upper case), a minimum width, and the E and O modifiers
	// (ignored in the C locale). Anything else, %f included, is copied through
	// unchanged, as glibc does; a lone % at the end is written as %.
	// Default "": Python's default_time_format "%Y-%m-%d %H:%M:%S" followed by
	// default_msec_format ",%03d" of msecs, as in "2024-03-31 02:59:59,999".
	Datefmt string
	// Location is the time zone of asctime, Python's converter. Default nil:
	// time.Local (Python's converter is time.localtime).
	Location *time.Location
	// UTC, when set, formats asctime in UTC, as converter = time.gmtime does;
	// it overrides Location. Default false.
	UTC bool
	// Style is the format string's syntax: StylePercent, StyleBrace or
	// StyleDollar. Default 0: StylePercent.
	Style Style
	// Defaults gives values for fields that a record lacks (Python 3.10's
	// defaults): a record's own fields and attributes take precedence.
	// Default nil: none.
	Defaults map[string]any
}

// Validate reports every problem with the options, each a FieldError of
// package optcheck wrapping ErrInvalidOptions; nil when they are usable.
func (o PythonOptions) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	switch o.Style {
	case 0, StylePercent, StyleBrace, StyleDollar:
	default:
		p.Addf("Style", "unknown style %q (want '%%', '{' or '$')", rune(o.Style))
	}
	return p.Err()
}

// Python formats records as Python's logging.Formatter does. It is immutable
// and safe for concurrent use.
//
// A field that neither the record, its top-level attributes, nor Defaults
// provide is written as %!(MISSING key); a value whose type does not suit the
// conversion (a string for %d, say) is written as %!d(str='text'). Python would
// raise instead and report the record through handleError.
type Python struct {
	ops      []op
	datefmt  string
	loc      *time.Location
	defaults map[string]pyValue
	asctime  secCache // the text of Datefmt, or of the default without msecs
}

var (
	_ Formatter    = (*Python)(nil)
	_ CallerNeeder = (*Python)(nil)
)

// fieldID names a LogRecord attribute, or fieldLiteral / fieldExtra.
type fieldID uint8

const (
	fieldLiteral fieldID = iota
	fieldExtra
	fieldName
	fieldMsg
	fieldArgs
	fieldLevelname
	fieldLevelno
	fieldPathname
	fieldFilename
	fieldModule
	fieldExcInfo
	fieldExcText
	fieldStackInfo
	fieldLineno
	fieldFuncName
	fieldCreated
	fieldMsecs
	fieldRelativeCreated
	fieldThread
	fieldThreadName
	fieldProcessName
	fieldProcess
	fieldTaskName
	fieldMessage
	fieldAsctime
	fieldAttrs
)

var fieldIDs = map[string]fieldID{
	"name": fieldName, "msg": fieldMsg, "args": fieldArgs, "levelname": fieldLevelname,
	"levelno": fieldLevelno, "pathname": fieldPathname, "filename": fieldFilename,
	"module": fieldModule, "exc_info": fieldExcInfo, "exc_text": fieldExcText,
	"stack_info": fieldStackInfo, "lineno": fieldLineno, "funcName": fieldFuncName,
	"created": fieldCreated, "msecs": fieldMsecs, "relativeCreated": fieldRelativeCreated,
	"thread": fieldThread, "threadName": fieldThreadName, "processName": fieldProcessName,
	"process": fieldProcess, "taskName": fieldTaskName, "message": fieldMessage,
	"asctime": fieldAsctime, AttrsField: fieldAttrs,
}

// AttrsField is the name of the field that writes the record's attributes
// (slog's per-call attributes and those of WithAttrs and WithGroup) as
// logfmt, the way slog's TextHandler writes them: k=v separated by spaces,
// keys inside groups dotted (g.k=v), keys and values quoted as slog quotes
// them. A record with no attributes writes nothing, and then a space just
// before the field is dropped too, so that "%(message)s %(attrs)s" ends with
// the message. Python has no such field (its extras are named one by one in
// the format); a record attribute called "attrs" is reached as %(attrs)s only
// through this field.
const AttrsField = "attrs"

// callerFields are the LogRecord attributes that need the record's caller.
func (id fieldID) needsCaller() bool {
	switch id {
	case fieldPathname, fieldFilename, fieldModule, fieldFuncName, fieldLineno:
		return true
	}
	return false
}

// IsRecordField reports whether name is a field every record has: a
// LogRecord attribute (levelname, funcName...) or AttrsField. Any other name
// in a format string is looked up among the record's attributes.
func IsRecordField(name string) bool {
	_, ok := fieldIDs[name]
	return ok
}

// RecordFields returns the names IsRecordField accepts, in no order.
func RecordFields() []string {
	out := make([]string, 0, len(fieldIDs))
	for k := range fieldIDs {
		out = append(out, k)
	}
	return out
}

// CallerNeeder is implemented by a Formatter that writes the record's
// caller (file, line, function). The engine asks it once, when handlers
// change, and captures the caller of Logger.Log only for records that reach
// a formatter that needs it; slog records carry their caller always.
type CallerNeeder interface {
	NeedsCaller() bool
}

// NeedsCaller reports whether the format names pathname, filename, module,
// funcName or lineno.
func (p *Python) NeedsCaller() bool {
	for i := range p.ops {
		if p.ops[i].field.needsCaller() {
			return true
		}
	}
	return false
}

// Fields returns the field names of the format string, in order, repeats
// included; for checks such as actorlog check's warnings.
func (p *Python) Fields() []string {
	var out []string
	for i := range p.ops {
		if p.ops[i].field != fieldLiteral {
			out = append(out, p.ops[i].key)
		}
	}
	return out
}

// Conversion flags of a printf-style field.
const (
	flagMinus uint8 = 1 << iota
	flagZero
	flagPlus
	flagSpace
	flagAlt
)

// op is one piece of a parsed format string: literal text or a field.
type op struct {
	lit   string
	field fieldID
	key   string
	plain bool // str() with no width, precision or flags: append directly
	brace bool // str.format semantics rather than printf
	verb  byte // printf conversion, or str.format type (0 for none)
	flags uint8
	width int // -1: none
	prec  int // -1: none
	// str.format only
	conv     byte // 0, 'r', 's', 'a'
	fill     rune
	align    byte // 0, '<', '>', '^', '='
	grouping byte // 0, ',', '_'
}

// NewPython parses format once and returns a formatter for it. The format
// string is validated as Python's logging.Formatter validates it (it must
// name at least one field) and, beyond that, every conversion must be well
// formed: Python would only fail later, on every record. Invalid options give
// an error wrapping ErrInvalidOptions; a format that does not parse, one
// wrapping ErrInvalidFormat.
func NewPython(format string, opts PythonOptions) (*Python, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	p := &Python{datefmt: opts.Datefmt, loc: opts.Location}
	if p.loc == nil {
		p.loc = time.Local
	}
	if opts.UTC {
		p.loc = time.UTC
	}
	style := opts.Style
	if style == 0 {
		style = StylePercent
	}
	var err error
	switch style {
	case StylePercent:
		p.ops, err = parsePercent(format)
	case StyleBrace:
		p.ops, err = parseBrace(format)
	default: // StyleDollar, as Validate checked
		p.ops, err = parseDollar(format)
	}
	if err != nil {
		return nil, fmt.Errorf("%w %q for '%c' style: %s", ErrInvalidFormat, format, rune(style), err.Error())
	}
	if len(opts.Defaults) > 0 {
		p.defaults = make(map[string]pyValue, len(opts.Defaults))
		for k, v := range opts.Defaults {
			p.defaults[k] = fromAny(v)
		}
	}
	return p, nil
}

// MustPython is NewPython that panics on an invalid format or invalid
// options, as regexp.MustCompile does; for formats fixed in the program's
// source.
func MustPython(format string, opts PythonOptions) *Python {
	p, err := NewPython(format, opts)
	if err != nil {
		panic(err)
	}
	return p
}

func fieldOp(key string) op {
	id, ok := fieldIDs[key]
	if !ok {
		id = fieldExtra
	}
	return op{field: id, key: key, width: -1, prec: -1}
}

// isWord reports whether s matches Python's \w+ (the key pattern of the
// validation regular expression).
func isWord(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// parsePercent parses a printf-style format: %(key)[flags][width][.prec][hlL]conv.
func parsePercent(f string) ([]op, error) {
	var ops []op
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			ops = append(ops, op{lit: lit.String()})
			lit.Reset()
		}
	}
	valid := false
	for i := 0; i < len(f); {
		c := f[i]
		if c != '%' {
			j := strings.IndexByte(f[i:], '%')
			if j < 0 {
				j = len(f) - i
			}
			lit.WriteString(f[i : i+j])
			i += j
			continue
		}
		at := i
		i++
		if i >= len(f) {
			return nil, fmt.Errorf("incomplete format at offset %d", at)
		}
		if f[i] == '%' {
			lit.WriteByte('%')
			i++
			continue
		}
		if f[i] != '(' {
			return nil, fmt.Errorf("conversion at offset %d has no (key); only %%(key) fields are allowed", at)
		}
		// The key runs to the matching ')', counting nested parentheses as Python does.
		depth := 1
		j := i + 1
		for ; j < len(f) && depth > 0; j++ {
			switch f[j] {
			case '(':
				depth++
			case ')':
				depth--
			}
		}
		if depth > 0 {
			return nil, fmt.Errorf("incomplete format key at offset %d", at)
		}
		o := fieldOp(f[i+1 : j-1])
		i = j
		for ; i < len(f); i++ {
			switch f[i] {
			case '-':
				o.flags |= flagMinus
				continue
			case '0':
				o.flags |= flagZero
				continue
			case '+':
				o.flags |= flagPlus
				continue
			case ' ':
				o.flags |= flagSpace
				continue
			case '#':
				o.flags |= flagAlt
				continue
			}
			break
		}
		if i < len(f) && f[i] == '*' {
			return nil, fmt.Errorf("* width at offset %d needs positional arguments", i)
		}
		o.width, i = parseNum(f, i)
		if i < len(f) && f[i] == '.' {
			i++
			if i < len(f) && f[i] == '*' {
				return nil, fmt.Errorf("* precision at offset %d needs positional arguments", i)
			}
			o.prec, i = parseNum(f, i)
			if o.prec < 0 {
				o.prec = 0
			}
		}
		for i < len(f) && (f[i] == 'h' || f[i] == 'l' || f[i] == 'L') {
			i++
		}
		if i >= len(f) {
			return nil, fmt.Errorf("incomplete format at offset %d", at)
		}
		switch v := f[i]; v {
		case 's', 'r', 'a', 'd', 'i', 'u', 'o', 'x', 'X', 'e', 'E', 'f', 'F', 'g', 'G', 'c':
			o.verb = v
		default:
			r, _ := utf8.DecodeRuneInString(f[i:])
			return nil, fmt.Errorf("unsupported format character %q at offset %d", r, i)
		}
		i++
		o.plain = o.verb == 's' && o.flags == 0 && o.width < 0 && o.prec < 0
		if isDottedName(o.key) {
			valid = true
		}
		flush()
		ops = append(ops, o)
	}
	flush()
	if !valid {
		return nil, errors.New("no %(key) field")
	}
	return ops, nil
}

// parseNum reads decimal digits at i; it returns -1 when there are none. Values
// are capped so that a hostile width cannot make a record huge.
func parseNum(f string, i int) (int, int) {
	n := -1
	for i < len(f) && f[i] >= '0' && f[i] <= '9' {
		if n < 0 {
			n = 0
		}
		if n < maxWidth {
			n = n*10 + int(f[i]-'0')
		}
		i++
	}
	if n > maxWidth {
		n = maxWidth
	}
	return n, i
}

// maxWidth caps widths and precisions (Python would allocate them; a log line
// has no use for more).
const maxWidth = 4096

// parseDollar parses a string.Template format: $name, ${name} and $$.
func parseDollar(f string) ([]op, error) {
	var ops []op
	var lit strings.Builder
	fields := 0
	for i := 0; i < len(f); {
		c := f[i]
		if c != '$' {
			lit.WriteByte(c)
			i++
			continue
		}
		i++
		if i < len(f) && f[i] == '$' {
			lit.WriteByte('$')
			i++
			continue
		}
		braced := i < len(f) && f[i] == '{'
		if braced {
			i++
		}
		j := i
		for j < len(f) && (f[j] == '_' || isASCIILetter(f[j]) || (j > i && f[j] >= '0' && f[j] <= '9')) {
			j++
		}
		if j == i || (braced && (j >= len(f) || f[j] != '}')) {
			return nil, fmt.Errorf("bare '$' at offset %d", i-1)
		}
		if lit.Len() > 0 {
			ops = append(ops, op{lit: lit.String()})
			lit.Reset()
		}
		o := fieldOp(f[i:j])
		o.verb, o.plain = 's', true
		ops = append(ops, o)
		fields++
		i = j
		if braced {
			i++
		}
	}
	if lit.Len() > 0 {
		ops = append(ops, op{lit: lit.String()})
	}
	if fields == 0 {
		return nil, errors.New("no fields")
	}
	return ops, nil
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// Append implements Formatter: the formatted message, then the exception text
// and the stack text, each after a newline unless the text so far ends in one
// (Python's Formatter.format).
func (p *Python) Append(dst []byte, r *record.Record) []byte {
	start := len(dst)
	var c pyCtx
	c.r = r
	for i := range p.ops {
		o := &p.ops[i]
		if o.field == fieldLiteral {
			dst = append(dst, o.lit...)
			continue
		}
		if o.field == fieldAsctime && o.plain {
			dst = p.appendAsctime(dst, &c)
			continue
		}
		if o.field == fieldAttrs && o.plain {
			dst = appendAttrsField(dst, r, i > 0 && p.ops[i-1].field == fieldLiteral)
			continue
		}
		if o.plain {
			var done bool
			if dst, done = appendPlain(dst, r, o); done {
				continue
			}
		}
		v, ok := p.value(&c, o)
		if !ok {
			dst = append(dst, "%!(MISSING "...)
			dst = append(dst, o.key...)
			dst = append(dst, ')')
			continue
		}
		if o.plain {
			dst = appendPyStr(dst, v)
			continue
		}
		if o.brace {
			dst = appendBrace(dst, o, v)
		} else {
			dst = appendPrintf(dst, o, v)
		}
	}
	if r.ErrText != "" {
		if len(dst) == start || dst[len(dst)-1] != '\n' {
			dst = append(dst, '\n')
		}
		dst = append(dst, r.ErrText...)
	}
	if r.Stack != "" {
		if len(dst) == start || dst[len(dst)-1] != '\n' {
			dst = append(dst, '\n')
		}
		dst = append(dst, r.Stack...)
	}
	return dst
}

// appendPlain writes the common fields with no conversion (str(), no width)
// without building a pyValue: the logger name, the message, the level name
// and a string or integer extra attribute. done is false for anything else,
// which the general path writes.
func appendPlain(dst []byte, r *record.Record, o *op) (out []byte, done bool) {
	switch o.field {
	case fieldName:
		if r.Logger == "" {
			return append(dst, "root"...), true
		}
		return append(dst, r.Logger...), true
	case fieldMsg, fieldMessage:
		return append(dst, r.Message...), true
	case fieldLevelname:
		return r.Level.AppendName(dst), true
	case fieldExtra:
		if v, ok := lookupAttr(r, o.key); ok {
			switch v.Kind() {
			case slog.KindString:
				return append(dst, v.String()...), true
			case slog.KindInt64:
				return strconv.AppendInt(dst, v.Int64(), 10), true
			}
			return appendPyStr(dst, fromSlog(v)), true
		}
	}
	return dst, false
}

// pyCtx caches what several fields of one record share.
type pyCtx struct {
	r         *record.Record
	haveTime  bool
	created   float64
	msecs     float64
	sec       int64
	haveCalle bool
	caller    record.Caller
}

func (c *pyCtx) times() {
	if !c.haveTime {
		c.created, c.msecs, c.sec = timeCreated(c.r.Time)
		c.haveTime = true
	}
}

func (c *pyCtx) call() *record.Caller {
	if !c.haveCalle {
		cl, ok := c.r.Caller()
		if !ok {
			// Python's findCaller fallback.
			cl = record.Caller{Pathname: "(unknown file)", Filename: "(unknown file)",
				Module: "(unknown file)", FuncName: "(unknown function)"}
		}
		c.caller, c.haveCalle = cl, true
	}
	return &c.caller
}

func (p *Python) appendAsctime(dst []byte, c *pyCtx) []byte {
	c.times()
	if p.datefmt != "" {
		return p.asctime.appendStrftimeSec(dst, p.datefmt, c.sec, p.loc)
	}
	dst = p.asctime.appendStrftimeSec(dst, "%Y-%m-%d %H:%M:%S", c.sec, p.loc)
	dst = append(dst, ',')
	return appendPadded(dst, int64(c.msecs), 3, '0')
}

func strOrNone(s string) pyValue {
	if s == "" {
		return pyValue{kind: pyNone}
	}
	return pyString(s)
}

// value returns the field's value for the record; ok is false when no
// source has it.
func (p *Python) value(c *pyCtx, o *op) (pyValue, bool) {
	r := c.r
	switch o.field {
	case fieldName:
		if r.Logger == "" {
			return pyString("root"), true
		}
		return pyString(r.Logger), true
	case fieldMsg, fieldMessage:
		return pyString(r.Message), true
	case fieldArgs:
		return pyValue{kind: pyRaw, s: "()"}, true
	case fieldLevelname:
		return pyString(r.Level.String()), true
	case fieldLevelno:
		return pyInteger(int64(r.Level)), true
	case fieldPathname:
		return pyString(c.call().Pathname), true
	case fieldFilename:
		return pyString(c.call().Filename), true
	case fieldModule:
		return pyString(c.call().Module), true
	case fieldFuncName:
		return pyString(c.call().FuncName), true
	case fieldLineno:
		return pyInteger(int64(c.call().Lineno)), true
	case fieldExcInfo:
		return pyValue{kind: pyNone}, true
	case fieldExcText:
		return strOrNone(r.ErrText), true
	case fieldStackInfo:
		return strOrNone(r.Stack), true
	case fieldCreated:
		c.times()
		return pyFloating(c.created), true
	case fieldMsecs:
		c.times()
		return pyFloating(c.msecs), true
	case fieldRelativeCreated:
		return pyFloating(r.RelativeCreated()), true
	case fieldThread:
		id, _ := r.Thread()
		return pyInteger(id), true
	case fieldThreadName:
		_, name := r.Thread()
		return pyString(name), true
	case fieldProcess:
		id, _ := r.Process()
		return pyInteger(id), true
	case fieldProcessName:
		_, name := r.Process()
		return pyString(name), true
	case fieldTaskName:
		if r.Origin != nil {
			return strOrNone(r.Origin.TaskName), true
		}
		return pyValue{kind: pyNone}, true
	case fieldAttrs:
		return pyString(string(appendAttrsField(nil, r, false))), true
	case fieldAsctime:
		// Only reached with a width, precision or conversion; rare, so a
		// string is built.
		var buf [64]byte
		return pyString(string(p.appendAsctime(buf[:0], c))), true
	}
	if v, ok := lookupAttr(r, o.key); ok {
		return fromSlog(v), true
	}
	if v, ok := lookupDotted(r, o.key); ok {
		return fromSlog(v), true
	}
	if v, ok := p.defaults[o.key]; ok {
		return v, true
	}
	return pyValue{}, false
}

// lookupDotted finds key as the dotted name of an attribute inside groups,
// "g.k" for k in group g (from WithGroup or a slog.Group value), as the
// attrs field and logfmt write it. Only names with a dot get here, after
// the top-level lookup failed; the last match wins.
func lookupDotted(r *record.Record, key string) (slog.Value, bool) {
	if strings.IndexByte(key, '.') < 0 {
		return slog.Value{}, false
	}
	var out slog.Value
	found := false
	r.FlatAttrs(func(k string, v slog.Value) bool {
		if k == key {
			out, found = v, true
		}
		return true
	})
	return out, found
}

// lookupAttr finds key among the record's top-level attributes (Python's
// extra): those outside any group, including the members of groups with an
// empty key. The last match wins, as later keys overwrite earlier ones in
// Python's record dict.
func lookupAttr(r *record.Record, key string) (slog.Value, bool) {
	var out slog.Value
	found := false
	if sc := r.Scope; sc == nil || len(sc.Groups) == 0 {
		// Every attribute is top-level: no Walk, no closure.
		if sc != nil {
			for _, p := range sc.Parts {
				if v, ok := lookupGroup(p.Attrs, key); ok {
					out, found = v, true
				}
			}
		}
		inline, rest := r.AttrSlices()
		if v, ok := lookupGroup(inline, key); ok {
			out, found = v, true
		}
		if v, ok := lookupGroup(rest, key); ok {
			out, found = v, true
		}
		return out, found
	}
	r.Walk(func(path []string, a slog.Attr) bool {
		if len(path) != 0 {
			return false // paths only grow: nothing top-level follows
		}
		if a.Key == key {
			out, found = a.Value.Resolve(), true
			return true
		}
		if a.Key == "" {
			if v := a.Value.Resolve(); v.Kind() == slog.KindGroup {
				if gv, ok := lookupGroup(v.Group(), key); ok {
					out, found = gv, true
				}
			}
		}
		return true
	})
	return out, found
}

func lookupGroup(as []slog.Attr, key string) (slog.Value, bool) {
	var out slog.Value
	found := false
	for k := range as {
		a := &as[k]
		if a.Key == key {
			out, found = resolve(a.Value), true
		} else if a.Key == "" {
			if v := resolve(a.Value); v.Kind() == slog.KindGroup {
				if gv, ok := lookupGroup(v.Group(), key); ok {
					out, found = gv, true
				}
			}
		}
	}
	return out, found
}
