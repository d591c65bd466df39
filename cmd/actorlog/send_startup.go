package main

import cmap "github.com/orcaman/concurrent-map"

// protoactor's process registry is 1024 concurrent maps, each split into
// cmap.SHARD_COUNT shards (32 by default): 32768 Go maps made when the
// engine starts its actor system, about 20 million instructions and a
// garbage collection before send logs its first record (a tenth of a
// million-record run), and a few MB of its peak memory. The registry's
// 1024 buckets already spread the few lookups a handler's control
// messages make; one shard each is plenty. The count is read on every
// access, so it is set here, before any map exists, once for the process.
func init() { cmap.SHARD_COUNT = 1 }
