package optcheck

import (
	"errors"
	"fmt"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	errOuter = errors.New("outer: invalid options")
	errInner = errors.New("inner: invalid options")
)

func TestErrors(t *testing.T) {
	inner := New(errInner)
	inner.Addf("Capacity", "must be at most %d (got %d)", 10, 11)
	outer := New(errOuter)
	outer.Addf("MaxBytes", "must not be negative (got %d)", -1)
	outer.Nested("Mailbox", inner.Err())
	outer.Nested("Other", fmt.Errorf("plain"))
	err := outer.Err()
	if !errors.Is(err, errOuter) || !errors.Is(err, errInner) {
		t.Fatalf("sentinels lost: %v", err)
	}
	want := "outer: invalid options: MaxBytes: must not be negative (got -1)\n" +
		"inner: invalid options: Mailbox.Capacity: must be at most 10 (got 11)\nplain"
	if err.Error() != want {
		t.Fatalf("got %q\nwant %q", err.Error(), want)
	}
	fs := Fields(err)
	if len(fs) != 2 || fs[0].Field != "MaxBytes" || fs[1].Field != "Mailbox.Capacity" {
		t.Fatalf("fields %+v", fs)
	}
	if New(errOuter).Err() != nil {
		t.Fatal("no problems must be nil")
	}
}
