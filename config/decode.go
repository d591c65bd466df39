package config

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/actorlog/actorlog/record"
)

// maxNodes bounds the nodes a decoder visits, aliases expanded, so that a
// "billion laughs" document is an error rather than an exhausted machine.
const maxNodes = 1 << 20

// decoder walks a YAML node tree, collecting every error it meets.
type decoder struct {
	file  string
	errs  Errors
	nodes int
	over  bool
}

func (d *decoder) add(n *yaml.Node, path string, sentinel error, msg string) {
	d.errs = append(d.errs, d.newError(n, path, msg, sentinel))
}

// newError makes an error at n (nil for none). A message longer than
// maxMessage (one that quotes a huge value it did not cut) is cut.
func (d *decoder) newError(n *yaml.Node, path, msg string, err error) *Error {
	if len(msg) > maxMessage {
		msg = cut(msg, maxMessage) + fmt.Sprintf("... (%d bytes)", len(msg))
	}
	e := &Error{File: d.file, Path: path, Msg: msg, Err: err}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	return e
}

// Bounds of what a message repeats of the file.
const (
	// maxQuoted is how much of a value a message quotes.
	maxQuoted = 64
	// maxMessage bounds a whole message.
	maxMessage = 1024
)

// quote quotes s for a message, cut to maxQuoted bytes with its length
// when it is longer: "aaaa..."... (52428800 bytes).
func quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	return strconv.Quote(cut(s, maxQuoted)) + fmt.Sprintf("... (%d bytes)", len(s))
}

// plain shows a value as written, quoted and cut when it is long.
func plain(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	return quote(s)
}

// cut returns at most n bytes of s, not splitting a UTF-8 sequence.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func (d *decoder) errorf(n *yaml.Node, path string, sentinel error, format string, args ...any) {
	d.add(n, path, sentinel, fmt.Sprintf(format, args...))
}

// resolve follows aliases and counts the node against maxNodes.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node {
	for depth := 0; n != nil && n.Kind == yaml.AliasNode; depth++ {
		if depth > 100 {
			return nil
		}
		n = n.Alias
	}
	d.nodes++
	if d.nodes > maxNodes {
		if !d.over {
			d.over = true
			d.add(n, "", ErrValue, fmt.Sprintf("document too large: more than %d nodes once aliases are expanded", maxNodes))
		}
		return nil
	}
	return n
}

// joinKey appends a mapping key to a path, quoting keys that hold dots or
// are empty so the path stays readable: loggers."app.db".level. A long
// key is cut, as quote does.
func joinKey(path, key string) string {
	k := key
	if key == "" || len(key) > maxQuoted || strings.ContainsAny(key, ".[]()\" ") {
		k = quote(key)
	}
	if path == "" {
		return k
	}
	return path + "." + k
}

func joinIndex(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// isNull reports an absent or null value (`key:` or `key: ~`).
func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// describe names a node's value for "want X, got Y" messages.
func describe(n *yaml.Node) string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return describe(n.Alias)
	case yaml.DocumentNode:
		return "a document"
	}
	switch n.ShortTag() {
	case "!!null":
		return "null"
	case "!!str":
		return quote(n.Value)
	case "!!binary":
		return "binary data"
	}
	return plain(n.Value)
}

// entry is one key of a mapping, with its nodes.
type entry struct {
	key     string
	keyNode *yaml.Node
	val     *yaml.Node
}

// mapping returns the entries of a mapping node in file order, following
// aliases and merge keys (<<), and reports duplicate keys. ok is false (and
// an error recorded) when n is not a mapping.
func (d *decoder) mapping(n *yaml.Node, path string) ([]entry, bool) {
	n = d.resolve(n)
	if n == nil {
		return nil, false
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, ErrType, "want a mapping, got %s", describe(n))
		return nil, false
	}
	var out []entry
	seen := map[string]*yaml.Node{}
	var merged []entry
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := d.resolve(n.Content[i]), n.Content[i+1]
		if k == nil {
			return nil, false
		}
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, path, ErrType, "want a string key, got %s", describe(k))
			continue
		}
		if k.ShortTag() == "!!merge" {
			merged = append(merged, d.merge(v, path)...)
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.errorf(k, joinKey(path, k.Value), ErrValue, "duplicate key (first at line %d)", first.Line)
			continue
		}
		seen[k.Value] = k
		out = append(out, entry{key: k.Value, keyNode: k, val: v})
	}
	// Keys written in the mapping override merged ones, as YAML's merge says.
	for _, e := range merged {
		if _, ok := seen[e.key]; !ok {
			seen[e.key] = e.keyNode
			out = append(out, e)
		}
	}
	return out, true
}

// merge returns the entries a merge key brings in: a mapping or a list of them.
func (d *decoder) merge(v *yaml.Node, path string) []entry {
	v = d.resolve(v)
	if v == nil {
		return nil
	}
	if v.Kind == yaml.SequenceNode {
		var out []entry
		seen := map[string]bool{}
		for _, m := range v.Content {
			es, _ := d.mapping(m, path)
			for _, e := range es {
				if !seen[e.key] { // earlier maps in the list win
					seen[e.key] = true
					out = append(out, e)
				}
			}
		}
		return out
	}
	es, _ := d.mapping(v, path)
	return es
}

// fields returns a mapping's entries by key, reporting every key not in
// allowed (with a suggestion when one is close).
func (d *decoder) fields(n *yaml.Node, path string, allowed []string) (map[string]entry, bool) {
	es, ok := d.mapping(n, path)
	if !ok {
		return nil, false
	}
	out := make(map[string]entry, len(es))
	for _, e := range es {
		if path == "" && strings.HasPrefix(e.key, "x-") {
			continue // room for YAML anchors at the top level, as docker compose has
		}
		if !contains(allowed, e.key) {
			d.unknownKey(e, path, allowed)
			continue
		}
		out[e.key] = e
	}
	return out, true
}

func (d *decoder) unknownKey(e entry, path string, allowed []string) {
	msg := "unknown key"
	if s := suggest(e.key, allowed); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else if len(allowed) > 0 {
		msg += " (want one of " + strings.Join(allowed, ", ") + ")"
	}
	d.add(e.keyNode, joinKey(path, e.key), ErrUnknownKey, msg)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// suggest returns the candidate closest to s, if it is close enough to be
// a likely typo: equal ignoring case, or within an edit distance of 2
// (1 for short words).
func suggest(s string, candidates []string) string {
	best, bestD := "", math.MaxInt
	for _, c := range candidates {
		if strings.EqualFold(s, c) {
			return c
		}
		if dist := editDistance(strings.ToLower(s), strings.ToLower(c)); dist < bestD {
			best, bestD = c, dist
		}
	}
	limit := 2
	switch {
	case len(s) <= 2:
		limit = 0
	case len(s) <= 4:
		limit = 1
	}
	if bestD <= limit {
		return best
	}
	return ""
}

// editDistance is the Levenshtein distance of a and b, in bytes.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return math.MaxInt
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// scalar resolves n and reports it unless it is a scalar.
func (d *decoder) scalar(n *yaml.Node, path, want string) (*yaml.Node, bool) {
	n = d.resolve(n)
	if n == nil {
		return nil, false
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, path, ErrType, "want %s, got %s", want, describe(n))
		return nil, false
	}
	return n, true
}

// str reads a string. Numbers are taken as written (a filename of 2024),
// booleans and nulls are not.
func (d *decoder) str(n *yaml.Node, path string) (string, bool) {
	s, ok := d.scalar(n, path, "a string")
	if !ok {
		return "", false
	}
	switch s.ShortTag() {
	case "!!str", "!!int", "!!float":
		return s.Value, true
	}
	d.errorf(s, path, ErrType, "want a string, got %s", describe(s))
	return "", false
}

// integer reads an integer.
func (d *decoder) integer(n *yaml.Node, path string) (int64, bool) {
	s, ok := d.scalar(n, path, "an integer")
	if !ok {
		return 0, false
	}
	var v int64
	if s.ShortTag() != "!!int" || s.Decode(&v) != nil {
		d.errorf(s, path, ErrType, "want an integer, got %s", describe(s))
		return 0, false
	}
	return v, true
}

// nonNegative reads an integer that must be 0 or more.
func (d *decoder) nonNegative(n *yaml.Node, path string) (int64, bool) {
	v, ok := d.integer(n, path)
	if !ok {
		return 0, false
	}
	if v < 0 {
		d.errorf(d.resolve(n), path, ErrValue, "want an integer of 0 or more, got %d", v)
		return 0, false
	}
	return v, true
}

// boolean reads true or false.
func (d *decoder) boolean(n *yaml.Node, path string) (bool, bool) {
	s, ok := d.scalar(n, path, "true or false")
	if !ok {
		return false, false
	}
	var v bool
	if s.ShortTag() != "!!bool" || s.Decode(&v) != nil {
		d.errorf(s, path, ErrType, "want true or false, got %s", describe(s))
		return false, false
	}
	return v, true
}

// number reads an integer or a float.
func (d *decoder) number(n *yaml.Node, path string) (float64, bool) {
	s, ok := d.scalar(n, path, "a number")
	if !ok {
		return 0, false
	}
	var v float64
	if (s.ShortTag() != "!!int" && s.ShortTag() != "!!float") || s.Decode(&v) != nil {
		d.errorf(s, path, ErrType, "want a number, got %s", describe(s))
		return 0, false
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		d.errorf(s, path, ErrValue, "want a finite number, got %s", plain(s.Value))
		return 0, false
	}
	return v, true
}

// duration reads a Go duration ("1.5s", "500ms") or a number of seconds
// (Python's way: 1.5). It must not be negative.
func (d *decoder) duration(n *yaml.Node, path string) (time.Duration, bool) {
	const want = `want a duration ("1s", "500ms") or a number of seconds`
	s, ok := d.scalar(n, path, want)
	if !ok {
		return 0, false
	}
	var v time.Duration
	switch s.ShortTag() {
	case "!!int", "!!float", "!!str":
		f, err := strconv.ParseFloat(strings.ReplaceAll(s.Value, "_", ""), 64)
		if err == nil && !math.IsNaN(f) && math.Abs(f) < float64(math.MaxInt64)/1e9 {
			v = time.Duration(f * float64(time.Second))
			break
		}
		if err == nil && !math.IsNaN(f) && f > 0 {
			d.errorf(s, path, ErrValue, "want a duration of at most %v (%d seconds), got %s seconds", time.Duration(math.MaxInt64), math.MaxInt64/int64(time.Second), plain(s.Value))
			return 0, false
		}
		if s.ShortTag() == "!!str" {
			if dd, err := time.ParseDuration(s.Value); err == nil {
				v = dd
				break
			}
		}
		d.errorf(s, path, ErrValue, "%s, got %s", want, describe(s))
		return 0, false
	default:
		d.errorf(s, path, ErrType, "%s, got %s", want, describe(s))
		return 0, false
	}
	if v < 0 {
		d.errorf(s, path, ErrValue, "want a duration of 0 or more, got %s", plain(s.Value))
		return 0, false
	}
	return v, true
}

// level reads a level name ("INFO", a name given to record.AddLevelName) or
// number, as Python's _checkLevel does: names match exactly.
func (d *decoder) level(n *yaml.Node, path string) (record.Level, bool) {
	s, ok := d.scalar(n, path, "a level")
	if !ok {
		return 0, false
	}
	switch s.ShortTag() {
	case "!!int":
		v, ok := d.integer(s, path)
		if !ok || v < math.MinInt32 || v > math.MaxInt32 {
			d.errorf(s, path, ErrValue, "level %s out of range", plain(s.Value))
			return 0, false
		}
		return record.Level(v), true
	case "!!str":
		if l, ok := record.ParseLevel(s.Value); ok {
			return l, true
		}
		msg := fmt.Sprintf("unknown level %s (want DEBUG, INFO, WARNING, ERROR, CRITICAL, NOTSET, a registered name or a number)", quote(s.Value))
		if _, ok := record.ParseLevel(strings.ToUpper(s.Value)); ok {
			msg = fmt.Sprintf("unknown level %s (did you mean %q? names are case-sensitive, as in Python)", quote(s.Value), strings.ToUpper(s.Value))
		}
		d.add(s, path, ErrLevel, msg)
		return 0, false
	}
	d.errorf(s, path, ErrType, "want a level name or number, got %s", describe(s))
	return 0, false
}

// list resolves a sequence node; a single scalar is not taken for a list.
func (d *decoder) list(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	n = d.resolve(n)
	if n == nil {
		return nil, false
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, path, ErrType, "want a list, got %s", describe(n))
		return nil, false
	}
	return n.Content, true
}

// names reads a list of names (handler or filter ids), keeping each item's
// node for later reference checks.
func (d *decoder) names(n *yaml.Node, path string) []Ref {
	items, ok := d.list(n, path)
	if !ok {
		return nil
	}
	out := make([]Ref, 0, len(items))
	for i, it := range items {
		p := joinIndex(path, i)
		if s, ok := d.str(it, p); ok {
			r := d.resolve(it)
			out = append(out, Ref{Name: s, Pos: posOf(r), Path: p})
		}
	}
	return out
}

func posOf(n *yaml.Node) Pos {
	if n == nil {
		return Pos{}
	}
	return Pos{Line: n.Line, Column: n.Column}
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// syntaxError turns an error of the YAML parser into an *Error with its line.
func (d *decoder) syntaxError(err error) {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, m := range te.Errors {
			d.add(nil, "", ErrSyntax, m)
		}
		return
	}
	msg, line := err.Error(), 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	e := d.newError(nil, "", msg, ErrSyntax)
	e.Line = line
	d.errs = append(d.errs, e)
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
