package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/actorlog/actorlog/config"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

// shutdownTimeout bounds the drain of every mailbox when serve stops.
const shutdownTimeout = 10 * time.Second

func serve(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve", "serve [--config FILE] [--stats-addr ADDR] [--print-default-config]",
		`Run the collector: build the configured handlers and receivers, print what
it listens on, and run until SIGINT or SIGTERM; then drain every handler's
mailbox (at most 10 s) and exit 0, or 1 if records were lost. SIGHUP reopens
the file handlers' files, for logrotate. serve logs its own start, reopen and
stop through the logger "actorlog.serve".

With no --config, the embedded default config: a console handler on stderr,
a rotating file under ./logs, and receivers on TCP 127.0.0.1:9020 and UDP
127.0.0.1:9021. Missing directories of file handlers are created.`, stderr)
	path := fs.String("config", "", "the config `FILE`; default: the embedded default config")
	statsAddr := fs.String("stats-addr", "", "serve stats over HTTP on `ADDR` (host:port): Prometheus text at /metrics, JSON at /stats; default off")
	printDefault := fs.Bool("print-default-config", false, "print the embedded default config and exit")
	pos, code, done := parseFlags(fs, args, stdout)
	if done {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "actorlog serve: unexpected arguments %q\n", pos)
		return exitUsage
	}
	if *printDefault {
		_, _ = stdout.Write(defaultConfig)
		return exitOK
	}
	name := *path
	if name == "" {
		name = "default config (embedded)"
	}
	cfg, err := loadConfig(*path, defaultConfig, "default.yaml")
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	// Signals are caught before anything is announced, so that one sent as
	// soon as serve says it is ready is never lost.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)

	eng, err := config.Build(cfg, config.BuildOptions{Engine: engine.Options{ErrorOutput: stderr}, MakeDirs: true})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	fmt.Fprintf(stdout, "actorlog serve: %s\n", name)
	for _, hn := range cfg.HandlerOrder() {
		h := cfg.Handlers[hn]
		fmt.Fprintf(stdout, "  handler %s: %s%s\n", hn, h.Class.Name, destination(h))
	}
	// TCP and UDP receivers arrive with the network handlers; until then
	// serve runs the handlers alone and says so.
	if len(cfg.Receivers) == 0 {
		fmt.Fprintln(stdout, "  no receivers configured")
	} else {
		var rs []string
		for _, r := range cfg.Receivers {
			rs = append(rs, r.Type+" "+r.Listen)
		}
		fmt.Fprintf(stdout, "  no receivers exist yet in this build; configured but not started: %s\n", strings.Join(rs, ", "))
	}
	var srv *http.Server
	if *statsAddr != "" {
		ln, err := net.Listen("tcp", *statsAddr)
		if err != nil {
			fmt.Fprintf(stderr, "actorlog serve: stats: %v\n", err)
			shutdownEngine(eng, stderr)
			return exitFail
		}
		srv = &http.Server{Handler: statsHandler(eng), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		fmt.Fprintf(stdout, "  stats: http://%s/metrics (Prometheus), http://%s/stats (JSON)\n", ln.Addr(), ln.Addr())
	}
	log := eng.Logger("actorlog.serve")
	log.Log(record.LevelInfo, "started", slog.Int("pid", os.Getpid()))
	fmt.Fprintln(stdout, "ready: SIGINT or SIGTERM stops, SIGHUP reopens files")

	for s := range sigs {
		if s == syscall.SIGHUP {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := eng.Reopen(ctx)
			cancel()
			if err != nil {
				fmt.Fprintf(stderr, "actorlog serve: reopen: %v\n", err)
				log.Log(record.LevelError, "reopen failed", slog.String("error", err.Error()))
				continue
			}
			log.Log(record.LevelInfo, "reopened files")
			fmt.Fprintln(stdout, "reopened files")
			continue
		}
		fmt.Fprintf(stdout, "stopping on %v\n", s)
		log.Log(record.LevelInfo, "stopping", slog.String("signal", s.String()))
		break
	}
	code = exitOK
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = srv.Close()
		}
		cancel()
	}
	if !shutdownEngine(eng, stderr) {
		code = exitFail
	}
	fmt.Fprintln(stdout, "stopped")
	return code
}

// shutdownEngine drains the engine with the shutdown deadline; it reports
// whether everything was written.
func shutdownEngine(eng *engine.Engine, stderr io.Writer) bool {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := eng.Shutdown(ctx); err != nil {
		fmt.Fprintf(stderr, "actorlog serve: shutdown: %v\n", err)
		return false
	}
	return true
}

// destination describes where a handler writes, for serve's banner.
func destination(h *config.HandlerSpec) string {
	if d, _ := h.Dest(); d != "" {
		return " " + d
	}
	return ""
}
