package net_test

import (
	"bufio"
	"encoding/binary"
	"fmt"
	stdnet "net"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/actorlog/actorlog/actors"
	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/record"
)

// batchOf encodes records as a handler actor does for an Encoder sink.
func batchOf(enc actors.Encoder, msgs ...string) *actors.Batch {
	b := &actors.Batch{}
	for _, m := range msgs {
		r := record.Record{Logger: "app", Level: record.LevelWarning, Message: m}
		b.Buf, _ = enc.AppendRecord(b.Buf, &r)
		b.Ends = append(b.Ends, len(b.Buf))
	}
	return b
}

func ExampleNewSocket() {
	ln, _ := stdnet.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	port := ln.Addr().(*stdnet.TCPAddr).Port

	s, err := anet.NewSocket(anet.SocketOptions{Host: "127.0.0.1", Port: port})
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := s.WriteBatch(batchOf(s, "disk almost full", "disk full"))
	fmt.Println(n, err)
	s.Close()

	// A receiver: length-prefixed msgpack frames, Python's SocketHandler framing.
	c, _ := ln.Accept()
	defer c.Close()
	br := bufio.NewReader(c)
	for {
		p, err := record.ReadFrame(br, nil, 0, nil)
		if err != nil {
			break
		}
		r, _ := record.DecodeMsgpack(p)
		fmt.Println(r.Logger, r.Level, r.Message)
	}
	// Output:
	// 2 <nil>
	// app WARNING disk almost full
	// app WARNING disk full
}

func ExampleNewDatagram() {
	pc, _ := stdnet.ListenPacket("udp", "127.0.0.1:0")
	defer pc.Close()
	d, err := anet.NewDatagram(anet.DatagramOptions{Host: "127.0.0.1", Port: pc.LocalAddr().(*stdnet.UDPAddr).Port})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Close()
	d.WriteBatch(batchOf(d, "one datagram, one frame"))
	buf := make([]byte, 65536)
	n, _, _ := pc.ReadFrom(buf)
	r, _ := record.DecodeMsgpack(buf[4:n]) // the length prefix is in the datagram too
	fmt.Println(binary.BigEndian.Uint32(buf) == uint32(n-4), r.Message)
	// Output:
	// true one datagram, one frame
}

func ExampleNewHTTP() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		fmt.Println(r.Method, r.URL.Path, r.Form.Get("name"), r.Form.Get("levelname"), r.Form.Get("msg"))
	}))
	defer srv.Close()
	h, err := anet.NewHTTP(anet.HTTPOptions{Host: strings.TrimPrefix(srv.URL, "http://"), URL: "/log", Method: "POST"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	h.WriteBatch(batchOf(h, "as Python's HTTPHandler posts it"))
	// Output:
	// POST /log app WARNING as Python's HTTPHandler posts it
}

// The acknowledgement protocol's two frames, as a receiver and a sender
// exchange them (see "Acknowledgements").
func ExampleAppendAck() {
	hello := anet.AppendHello(nil, anet.Hello{Base: 0}, nil)
	fmt.Printf("hello: % x ...\n", hello[:11])
	p, _ := record.ReadFrame(strings.NewReader(string(hello)), nil, anet.MaxControlFrame, nil)
	h, _ := anet.ParseHello(p)
	fmt.Println("version", h.Version, "base", h.Base)

	ack := anet.AppendAck(nil, 1000, nil)
	fmt.Printf("ack: % x\n", ack)
	n, _ := anet.NewAckReader(strings.NewReader(string(ack)), nil).Next()
	fmt.Println("acknowledged", n)
	// Output:
	// hello: 00 00 00 2b 94 a5 68 65 6c 6c 6f ...
	// version 1 base 0
	// ack: 00 00 00 0e 92 a3 61 63 6b cf 00 00 00 00 00 00 03 e8
	// acknowledged 1000
}
