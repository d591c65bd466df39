package receiver

import "github.com/actorlog/actorlog/actors"

type actorsBatch = actors.Batch

func anyOptions() actors.HandlerOptions { return actors.HandlerOptions{} }
