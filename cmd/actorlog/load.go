package main

// sendConfig is send's config when no --config is given: every record to
// standard error.
//
// TODO(network handlers): once SocketHandler exists, this becomes a
// SocketHandler to 127.0.0.1:9020 (the default collector), as the design
// says: handlers: {central: {class: SocketHandler, host: 127.0.0.1, port: 9020}}.
const sendConfig = `version: 1
formatters:
  plain: {format: "%(asctime)s %(levelname)s %(name)s: %(message)s %(attrs)s"}
handlers:
  stderr: {class: StreamHandler, stream: stderr, formatter: plain}
root: {level: NOTSET, handlers: [stderr]}
`
