package jetstream_test

import (
	"fmt"

	"github.com/actorlog/actorlog/actors/jetstream"
)

// The subject of a record is the prefix and its logger's name.
func ExampleAppendSubject() {
	for _, name := range []string{"app.db", "", "odd name.*", "a..b"} {
		fmt.Println(string(jetstream.AppendSubject(nil, "logs", name)))
	}
	// Output:
	// logs.app.db
	// logs.root
	// logs.odd_name._
	// logs.a._.b
}

// A handler that creates an R3 stream on a three-node cluster.
func ExampleNew() {
	s, err := jetstream.New(jetstream.Options{
		StreamOptions: jetstream.StreamOptions{
			Servers:      []string{"nats://10.0.0.1:4222", "nats://10.0.0.2:4222", "nats://10.0.0.3:4222"},
			Stream:       "LOGS",
			CreateStream: true,
			Replicas:     3,
		},
	})
	fmt.Println(err)
	_ = s.Close() // it connects at its first batch; an engine's NewHandler would own it
	_, err = jetstream.New(jetstream.Options{StreamOptions: jetstream.StreamOptions{Replicas: 9}})
	fmt.Println(err)
	// Output:
	// <nil>
	// jetstream: invalid options: Replicas: must be 0 to 5 (got 9)
}
