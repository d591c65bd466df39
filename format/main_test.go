package format

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/record"
)

func TestMain(m *testing.M) {
	record.AddLevelName(levelNotice, "NOTICE")
	goleak.VerifyTestMain(m)
}
