// Command actorlog is actorlog's command line: the collector (serve), a
// client that logs records through a config (send), and a config checker
// (check).
//
//	actorlog serve [--config FILE] [--stats-addr ADDR] [--timeout D] [--print-default-config]
//	actorlog send  [--config FILE] [--logger NAME] [--level LEVEL] [--count N] [--attr k=v ...] [--timeout D] [MESSAGE...]
//	actorlog check --config FILE
//
// `actorlog COMMAND --help` describes each command's flags. Flags and
// arguments may come in any order; after "--" everything is an argument.
//
// # serve
//
// serve reads the config (package config), prints it as check does, binds
// its listeners, then builds the engine and runs its handlers until SIGINT
// or SIGTERM; then it drains every handler's mailbox, at most --timeout
// (10 s), and exits 0 (1 if records were lost or the drain did not
// finish); a second SIGINT or SIGTERM abandons the drain at once. SIGHUP
// makes every file handler reopen its file, as syslog daemons do after
// logrotate moved it. serve logs its own start, reopen and stop through
// the logger "actorlog.serve", and creates the missing directories of file
// handlers.
//
// The signal loop never blocks: SIGINT and SIGTERM have a channel of their
// own, and reopens run in a goroutine of their own, one at a time, each
// bounded to 10 s; a burst of SIGHUPs makes at most one reopen running and
// one pending. Reading the config and building the handlers run off the
// signal loop too, so SIGINT or SIGTERM while a handler's open blocks (a
// file that is a FIFO with no reader) stops serve at once, with status 1
// and a message naming the handlers that were starting. Listeners are
// bound before any handler opens its file, so a busy --stats-addr fails
// before a mode "w" file is truncated. Windows has no SIGHUP: there serve
// never reopens, and Ctrl-C or closing the console stops it.
//
// With no --config it runs the embedded default.yaml: a console handler on
// stderr (INFO and above), a rotating JSON file logs/actorlog.log (10 MiB, 5
// backups) under the working directory, and receivers on TCP 127.0.0.1:9020
// and UDP 127.0.0.1:9021, Python's default logging ports. serve prints each
// receiver's address ("receiving on tcp 127.0.0.1:9020"); at a stop it
// closes the receivers first, then drains the handlers. Receivers are bound
// with the stats listener, before any handler opens its file.
//
// # Stats
//
// With --stats-addr host:port, serve answers GET /metrics with the engine's
// per-handler counters in Prometheus's text format
// (actorlog_handler_received_total, _accepted_total, _written_total,
// _filtered_total, _dropped_total by reason, _errors_total,
// _restarts_total, and the gauges _in_flight, _queue_depth,
// _queue_high_water, all labelled handler="NAME"; per receiver
// actorlog_receiver_connections_total, _open_connections, _frames_total,
// _bytes_total, _acks_sent_total, _acked_total, _duplicates_total and
// _rejected_total by reason, labelled receiver="TYPE ADDRESS"; and
// actorlog_unhandled_total), and GET /stats with the same as JSON. Port 0
// picks a free port; serve prints the address, and warns on stderr when it
// is not a loopback address. The server bounds its clients (5 s to send
// the header, 10 s to read and to write a request, 30 s idle, 8 KiB of
// header), so idle connections cannot exhaust its descriptors.
//
// # send
//
// send logs MESSAGE, or each line of standard input, through the configured
// handlers at --level on --logger; with --count N it logs N records with an
// attribute seq from 1 to N (--count 0 logs none). Then it drains the
// handlers, at most --timeout (5 s), and prints
//
//	sent N, written W, dropped D
//
// With several handlers, W is the fewest records any of them wrote and D
// the most any of them dropped, each followed by the count per handler,
// as "written 6 (console 6, file 6)"; handlers the records did not reach
// are left out. When a sink is blocked past --timeout, send does not wait
// for it: ", unfinished U" counts the records still in flight. send hints
// at the level only when the level kept the records from every handler.
//
// SIGINT or SIGTERM stops send's reading; what it logged is drained within
// --timeout (a second signal cuts the drain short) and the summary
// printed, so W matches what the handlers wrote.
// send exits 1 after a signal, or if any record was dropped or unfinished
// or a handler failed. With no --config, records go to a StreamHandler on
// stderr; once the SocketHandler exists, to the collector on
// 127.0.0.1:9020.
//
// # check
//
// check validates a config and prints its resolved handler tree, or every
// error of the file (file:line:column: key path: message) on stderr; the
// exit status is 0 or 1.
package main
