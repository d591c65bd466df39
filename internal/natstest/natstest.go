// Package natstest runs a real JetStream cluster of nats-server processes on
// loopback ports for tests: each node with its own store directory under
// the test's temporary directory, all of them killed and waited for when the
// test ends, so that no process outlives it.
//
// It is for tests only.
package natstest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/actorlog/actorlog/internal/oracle"
	"github.com/actorlog/actorlog/internal/testcerts"
)

// Cluster is a running cluster.
type Cluster struct {
	t     testing.TB
	bin   string
	o     Options
	Nodes []*Node
	// Certs are the TLS files of a cluster started with Options.TLS.
	Certs testcerts.Files
}

// Options ask for a cluster that checks its clients.
type Options struct {
	// Token, when set, is the authorization token every client must give.
	Token string
	// TLS makes the client ports speak TLS only, with a certificate of an
	// authority made for the test (Cluster.Certs), and ask each client for
	// a certificate that authority signed.
	TLS bool
}

// Node is one server of a cluster.
type Node struct {
	Name        string
	Port        int // client port on 127.0.0.1
	ClusterPort int
	conf        string
	log         string
	cmd         *exec.Cmd
	done        chan struct{}
}

// URL is the node's client URL.
func (n *Node) URL() string { return fmt.Sprintf("nats://127.0.0.1:%d", n.Port) }

// Start starts an n-node JetStream cluster (n 1 or more) and waits, at most
// 30 s, until JetStream answers. It skips or fails the test as
// oracle.NeedNATSServer does when the server is missing.
func Start(t testing.TB, n int) *Cluster {
	t.Helper()
	return StartWith(t, n, Options{})
}

// StartWith starts a cluster as Start does, checking its clients as o
// asks.
func StartWith(t testing.TB, n int, o Options) *Cluster {
	t.Helper()
	bin := oracle.NeedNATSServer(t)
	dir := t.TempDir()
	ports := freePorts(t, 2*n)
	c := &Cluster{t: t, bin: bin, o: o}
	if o.TLS {
		c.Certs = testcerts.Make(t, dir)
	}
	for i := range n {
		c.Nodes = append(c.Nodes, &Node{Name: fmt.Sprintf("n%d", i+1), Port: ports[2*i], ClusterPort: ports[2*i+1]})
	}
	for _, nd := range c.Nodes {
		var routes []string
		for _, o := range c.Nodes {
			if o != nd {
				routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", o.ClusterPort))
			}
		}
		store := filepath.Join(dir, nd.Name)
		conf := fmt.Sprintf(`server_name: %s
listen: 127.0.0.1:%d
jetstream { store_dir: %q, max_memory_store: 64MB, max_file_store: 2GB }
`, nd.Name, nd.Port, store)
		if o.Token != "" {
			conf += fmt.Sprintf("authorization { token: %q }\n", o.Token)
		}
		if o.TLS {
			conf += fmt.Sprintf("tls { cert_file: %q, key_file: %q, ca_file: %q, verify: true }\n",
				c.Certs.ServerCert, c.Certs.ServerKey, c.Certs.CA)
		}
		if n > 1 {
			conf += fmt.Sprintf(`cluster { name: actorlog, listen: 127.0.0.1:%d, routes: [%s] }
`, nd.ClusterPort, strings.Join(routes, ", "))
		}
		nd.conf = filepath.Join(dir, nd.Name+".conf")
		nd.log = filepath.Join(dir, nd.Name+".log")
		if err := os.WriteFile(nd.conf, []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(c.Stop)
	for i := range c.Nodes {
		c.start(i)
	}
	c.WaitReady(30 * time.Second)
	return c
}

// URLs are the client URLs of every node.
func (c *Cluster) URLs() []string {
	var out []string
	for _, n := range c.Nodes {
		out = append(out, n.URL())
	}
	return out
}

func (c *Cluster) start(i int) {
	c.t.Helper()
	nd := c.Nodes[i]
	logf, err := os.OpenFile(nd.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		c.t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(c.bin, "-c", nd.conf)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("start %s: %v", nd.Name, err)
	}
	nd.cmd, nd.done = cmd, make(chan struct{})
	go func(done chan struct{}) { _ = cmd.Wait(); close(done) }(nd.done)
	// Wait until it listens (bounded).
	deadline := time.Now().Add(15 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", nd.Port), time.Second)
		if err == nil {
			conn.Close()
			return
		}
		select {
		case <-nd.done:
			c.t.Fatalf("%s exited: %s", nd.Name, c.Log(i))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("%s does not listen: %s", nd.Name, c.Log(i))
		}
	}
}

// Log returns the tail of node i's log.
func (c *Cluster) Log(i int) string {
	b, _ := os.ReadFile(c.Nodes[i].log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// Kill kills node i (SIGKILL) and waits until it is gone.
func (c *Cluster) Kill(i int) {
	nd := c.Nodes[i]
	if nd.cmd == nil {
		return
	}
	_ = nd.cmd.Process.Kill()
	<-nd.done
	nd.cmd = nil
}

// Restart starts node i again, on its ports and store, after Kill.
func (c *Cluster) Restart(i int) { c.start(i) }

// Stop kills every node; the test's cleanup calls it.
func (c *Cluster) Stop() {
	for i := range c.Nodes {
		c.Kill(i)
	}
}

// WaitReady waits until JetStream answers through every node, at most d.
func (c *Cluster) WaitReady(d time.Duration) {
	c.t.Helper()
	deadline := time.Now().Add(d)
	for i, nd := range c.Nodes {
		if nd.cmd == nil {
			continue
		}
		for {
			err := c.jsReady(nd.URL())
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				c.t.Fatalf("JetStream not ready through %s: %v\n%s", nd.Name, err, c.Log(i))
			}
			time.Sleep(100 * time.Millisecond) // polling a server's state; bounded above
		}
	}
}

// ClientOptions are what a client of the cluster needs to be let in: the
// token and the TLS files the cluster asks for.
func (c *Cluster) ClientOptions() []nats.Option {
	var opts []nats.Option
	if c.o.Token != "" {
		opts = append(opts, nats.Token(c.o.Token))
	}
	if c.o.TLS {
		opts = append(opts, nats.RootCAs(c.Certs.CA), nats.ClientCert(c.Certs.ClientCert, c.Certs.ClientKey))
	}
	return opts
}

func (c *Cluster) jsReady(url string) error {
	nc, err := nats.Connect(url, append(c.ClientOptions(), nats.Timeout(time.Second), nats.NoReconnect())...)
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err = js.AccountInfo(ctx)
	return err
}

func freePorts(t testing.TB, n int) []int {
	var ls []net.Listener
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}
