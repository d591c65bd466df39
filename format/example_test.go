package format_test

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/record"
)

// exampleRecord is a warning from logger app.db with two attributes.
func exampleRecord() *record.Record {
	r := &record.Record{
		Time:    time.Date(2024, 3, 31, 1, 2, 3, 456789000, time.UTC),
		Level:   record.LevelWarning,
		Logger:  "app.db",
		Message: "pool exhausted",
	}
	r.AddAttrs(slog.String("user", "alice"), slog.Int("conns", 64))
	return r
}

func ExampleNewPython() {
	f, err := format.NewPython("%(asctime)s %(levelname)-8s %(name)s: %(message)s [%(user)s]",
		format.PythonOptions{Location: time.UTC})
	if err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(append(f.Append(nil, exampleRecord()), '\n'))
	// Output:
	// 2024-03-31 01:02:03,456 WARNING  app.db: pool exhausted [alice]
}

func ExampleNewPython_datefmt() {
	f := format.MustPython("%(asctime)s.%(msecs)03d %(levelno)d %(name)s %(conns)05d %(missing)s",
		format.PythonOptions{Datefmt: "%d/%b/%Y:%H:%M:%S %z", UTC: true})
	os.Stdout.Write(append(f.Append(nil, exampleRecord()), '\n'))
	// Output:
	// 31/Mar/2024:01:02:03 +0000.456 30 app.db 00064 %!(MISSING missing)
}

func ExampleNewPython_braceStyle() {
	f := format.MustPython("{levelname:<8}|{name!r}|{message:.4}|{conns:#x}",
		format.PythonOptions{Style: format.StyleBrace})
	os.Stdout.Write(append(f.Append(nil, exampleRecord()), '\n'))
	// Output:
	// WARNING |'app.db'|pool|0x40
}

func ExampleNewPython_error() {
	_, err := format.NewPython("%(message)s %d", format.PythonOptions{})
	fmt.Println(err)
	// Output:
	// invalid format "%(message)s %d" for '%' style: conversion at offset 12 has no (key); only %(key) fields are allowed
}

func ExampleNewPython_exception() {
	r := exampleRecord()
	r.ErrText = "Traceback (most recent call last):\nValueError: bad"
	f := format.MustPython("%(levelname)s:%(name)s:%(message)s", format.PythonOptions{})
	os.Stdout.Write(append(f.Append(nil, r), '\n'))
	// Output:
	// WARNING:app.db:pool exhausted
	// Traceback (most recent call last):
	// ValueError: bad
}

func ExamplePythonOptions_Validate() {
	_, err := format.NewPython("%(message)s", format.PythonOptions{Style: '#'})
	fmt.Println(errors.Is(err, format.ErrInvalidOptions))
	fmt.Println(err)
	// Output:
	// true
	// format: invalid options: Style: unknown style '#' (want '%', '{' or '$')
}

// The formatter a handler uses when given none: the message, then the
// exception and stack texts.
func ExampleDefault() {
	r := exampleRecord()
	r.ErrText = "Traceback (most recent call last):\nValueError: bad"
	os.Stdout.Write(append(format.Default().Append(nil, r), '\n'))
	// Output:
	// pool exhausted
	// Traceback (most recent call last):
	// ValueError: bad
}

func ExampleNewJSON() {
	r := exampleRecord()
	r.Scope = (*record.Scope)(nil).WithAttrs([]slog.Attr{slog.String("svc", "api")}).WithGroup("req")
	f := format.NewJSON(format.JSONOptions{})
	os.Stdout.Write(append(f.Append(nil, r), '\n'))
	// Output:
	// {"time":"2024-03-31T01:02:03.456789Z","level":"WARNING","logger":"app.db","msg":"pool exhausted","svc":"api","req":{"user":"alice","conns":64}}
}

func ExampleNewLogfmt() {
	r := exampleRecord()
	r.Scope = (*record.Scope)(nil).WithGroup("req")
	f := format.NewLogfmt(format.LogfmtOptions{})
	os.Stdout.Write(append(f.Append(nil, r), '\n'))
	// Output:
	// time=2024-03-31T01:02:03.456Z level=WARNING logger=app.db msg="pool exhausted" req.user=alice req.conns=64
}

func ExamplePythonOptions_datefmt() {
	f := format.MustPython("%(asctime)s %(message)s",
		format.PythonOptions{Datefmt: "%a %d %b %Y %H:%M:%S %Z, day %j, week %W, %f", UTC: true})
	os.Stdout.Write(append(f.Append(nil, exampleRecord()), '\n'))
	// Output:
	// Sun 31 Mar 2024 01:02:03 UTC, day 091, week 13, %f pool exhausted
}
