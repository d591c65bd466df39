package eventlog

import (
	"errors"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/record"
)

// TestTypeOfIsPythonsTypemap: Information for DEBUG and INFO, Warning for
// WARNING, Error for ERROR, CRITICAL and any level the map lacks.
func TestTypeOfIsPythonsTypemap(t *testing.T) {
	for l, want := range map[record.Level]Type{
		0: Error, 5: Error, 10: Information, 15: Error, 20: Information, 25: Error,
		30: Warning, 35: Error, 40: Error, 45: Error, 50: Error, 60: Error,
	} {
		if got := TypeOf(l); got != want {
			t.Errorf("TypeOf(%d) = %v, want %v", l, got, want)
		}
	}
}

// TestEventDefaultsAndHooks: id 1 and category 0 (Python's getMessageID
// and getEventCategory) unless the hooks say otherwise.
func TestEventDefaultsAndHooks(t *testing.T) {
	r := &record.Record{Level: record.LevelWarning, Message: "m"}
	o := Options{AppName: "a"}
	if typ, id, cat := o.event(r); typ != Warning || id != 1 || cat != 0 {
		t.Fatalf("defaults: %v %d %d", typ, id, cat)
	}
	o.EventID = func(*record.Record) uint32 { return 7 }
	o.Category = func(*record.Record) uint16 { return 3 }
	o.EventType = func(*record.Record) Type { return Information }
	if typ, id, cat := o.event(r); typ != Information || id != 7 || cat != 3 {
		t.Fatalf("hooks: %v %d %d", typ, id, cat)
	}
	if o.logType() != "Application" || !strings.HasSuffix(o.dllName(), `EventCreate.exe`) {
		t.Fatal("defaults of LogType and DLLName")
	}
}

func TestValidate(t *testing.T) {
	err := Options{LogType: `a\b`, DLLName: "x\x00"}.Validate()
	if !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("got %v", err)
	}
	for _, f := range []string{"AppName: is required", "LogType: must not contain a backslash", "DLLName"} {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("%v lacks %q", err, f)
		}
	}
	if err := (Options{AppName: strings.Repeat("a", 256)}).Validate(); err == nil {
		t.Error("a 256-byte AppName is valid")
	}
	if err := (Options{AppName: "app"}).Validate(); err != nil {
		t.Error(err)
	}
}
