// Command actorlog is actorlog's command line: the collector (serve), a
// client that logs records through a config (send), and a config checker
// (check).
//
//	actorlog serve [--config FILE] [--stats-addr ADDR] [--print-default-config]
//	actorlog send  [--config FILE] [--logger NAME] [--level LEVEL] [--count N] [--attr k=v ...] [MESSAGE...]
//	actorlog check --config FILE
//
// `actorlog COMMAND --help` describes each command's flags. Flags and
// arguments may come in any order; after "--" everything is an argument.
//
// # serve
//
// serve builds the engine from the config (package config) and runs
// its handlers until SIGINT or SIGTERM; then it drains every handler's
// mailbox, at most 10 s, and exits 0 (1 if records were lost). SIGHUP makes
// every file handler reopen its file, as syslog daemons do after logrotate
// moved it. serve logs its own start, reopen and stop through the logger
// "actorlog.serve", and creates the missing directories of file handlers.
//
// With no --config it runs the embedded default.yaml: a console handler on
// stderr (INFO and above), a rotating JSON file logs/actorlog.log (10 MiB, 5
// backups) under the working directory, and receivers on TCP 127.0.0.1:9020
// and UDP 127.0.0.1:9021, Python's default logging ports. Receivers arrive
// with the network handlers; until then serve lists the configured ones as
// not started and runs the handlers alone.
//
// # Stats
//
// With --stats-addr host:port, serve answers GET /metrics with the engine's
// per-handler counters in Prometheus's text format
// (actorlog_handler_received_total, _accepted_total, _written_total,
// _filtered_total, _dropped_total by reason, _errors_total,
// _restarts_total, and the gauges _in_flight, _queue_depth,
// _queue_high_water, all labelled handler="NAME"; and
// actorlog_unhandled_total), and GET /stats with the same as JSON. Port 0
// picks a free port; serve prints the address.
//
// # send
//
// send logs MESSAGE, or each line of standard input, through the configured
// handlers at --level on --logger, then flushes and prints
// "sent N, written W, dropped D" (W and D summed over the handlers). With
// --count N it logs N records with an attribute seq from 1 to N. It exits 1
// if any record was dropped or a handler failed. With no --config, records
// go to a StreamHandler on stderr; once the SocketHandler exists, to the
// collector on 127.0.0.1:9020.
//
// # check
//
// check validates a config and prints its resolved handler tree, or every
// error of the file (file:line:column: key path: message) on stderr; the
// exit status is 0 or 1.
package main
