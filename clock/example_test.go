package clock_test

import (
	"fmt"
	"time"

	"github.com/actorlog/actorlog/clock"
)

// A test drives a Fake instead of sleeping: timers run inside Advance.
func ExampleFake() {
	c := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	c.AfterFunc(2*time.Second, func() { fmt.Println("retry at", c.Now().Format(time.TimeOnly)) })
	c.Advance(time.Second)
	fmt.Println("pending:", c.Pending())
	c.Advance(time.Second)
	// Output:
	// pending: 1
	// retry at 00:00:02
}
