package main

import (
	"github.com/actorlog/actorlog/config"
)

// sendConfig is send's config when no --config is given: every record to
// standard error.
//
// TODO(network handlers): once SocketHandler exists, this becomes a
// SocketHandler to 127.0.0.1:9020 (the default collector), as the design
// says: handlers: {central: {class: SocketHandler, host: 127.0.0.1, port: 9020}}.
const sendConfig = `version: 1
formatters:
  plain: {format: "%(asctime)s %(levelname)s %(name)s: %(message)s"}
handlers:
  stderr: {class: StreamHandler, stream: stderr, formatter: plain}
root: {level: NOTSET, handlers: [stderr]}
`

// loadConfig reads path, or parses def (named name) when path is "".
func loadConfig(path string, def []byte, name string) (*config.Config, error) {
	if path == "" {
		return config.Parse(def, name)
	}
	return config.Load(path)
}
