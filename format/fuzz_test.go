package format

import (
	"errors"
	"testing"
	"time"
)

// FuzzPythonFormat feeds arbitrary format strings (and date formats) to the
// parser: NewPython never panics, any error wraps ErrInvalidFormat (or, for
// a style byte that names no style, ErrInvalidOptions), and a
// parsed format formats every golden record without panicking.
func FuzzPythonFormat(f *testing.F) {
	for _, s := range []string{
		"%(message)s", "%(asctime)s %(levelname)-8s %(name)s: %(message)s", "%(msecs)03d %(created)f",
		"%(count)#010.3x %(ratio)+e %(user)r %(neg)c %%", "%(a(b))s", "%(", "%", "%(x)*d",
		"{message}", "{levelname:*^10.3} {created:,.2f} {name!r}", "{", "}", "{0}", "{a:{b}}",
		"$message ${name} $$", "$", "${", "%(message)s\x00\xff",
	} {
		for _, st := range []byte{'%', '{', '$'} {
			f.Add(s, st, "")
		}
	}
	f.Add("%(asctime)s", byte('%'), "%Y-%m-%d %-H %_5M %^a %E %O %q %")
	recs := make([]goldenRecord, 0, len(goldenRecords))
	recs = append(recs, goldenRecords...)
	f.Fuzz(func(t *testing.T, format string, style byte, datefmt string) {
		p, err := NewPython(format, PythonOptions{Style: Style(style), Datefmt: datefmt, Location: time.UTC,
			Defaults: map[string]any{"d": 1}})
		if err != nil {
			if !errors.Is(err, ErrInvalidFormat) && !(errors.Is(err, ErrInvalidOptions) && PythonOptions{Style: Style(style)}.Validate() != nil) {
				t.Fatalf("error %v wraps neither ErrInvalidFormat nor, for style %q, ErrInvalidOptions", err, style)
			}
			return
		}
		var buf []byte
		for _, g := range recs {
			buf = p.Append(buf[:0], g.record())
		}
	})
}
