package filter_test

import (
	"fmt"

	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/record"
)

// Python's logging.Filter("app.db"): the logger and its children pass.
func ExampleName() {
	f := filter.Name("app.db")
	for _, logger := range []string{"app.db", "app.db.pool", "app.dbx", "app"} {
		fmt.Println(logger, f.Filter(&record.Record{Logger: logger}))
	}
	// Output:
	// app.db true
	// app.db.pool true
	// app.dbx false
	// app false
}
