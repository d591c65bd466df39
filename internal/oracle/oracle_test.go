package oracle

import (
	"errors"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// recorder is a testing.TB that notes how it was stopped.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Fatalf(f string, a ...any) { r.fatal = f }
func (r *recorder) Skipf(f string, a ...any)  { r.skip = f }

func TestRequireFailsUnderCIAndSkipsElsewhere(t *testing.T) {
	t.Setenv("CI", "true")
	r := &recorder{TB: t}
	Require(r, "thing", errors.New("missing"))
	if r.fatal == "" || r.skip != "" {
		t.Fatalf("under CI: fatal %q skip %q", r.fatal, r.skip)
	}
	t.Setenv("CI", "")
	r = &recorder{TB: t}
	Require(r, "thing", errors.New("missing"))
	if r.skip == "" || r.fatal != "" {
		t.Fatalf("outside CI: fatal %q skip %q", r.fatal, r.skip)
	}
	r = &recorder{TB: t}
	Require(r, "thing", nil)
	if r.skip != "" || r.fatal != "" {
		t.Fatal("stopped a test whose reference exists")
	}
}

func TestNeedPythonReportsAMissingModule(t *testing.T) {
	t.Setenv("CI", "")
	r := &recorder{TB: t}
	NeedPython(r, "no_such_module_for_actorlog")
	if r.skip == "" {
		t.Fatal("a missing module did not stop the test")
	}
}
