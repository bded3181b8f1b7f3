// Command receiver is a Lumberjack v2 receiver for the tests, built on
// Elastic's own server (github.com/elastic/go-lumber/server, the code
// Beats and Logstash's peers are tested against), so that the Logstash
// output is checked against more than this repository's idea of the
// protocol.
//
// It accepts windows (plain or compressed, over TCP or TLS), writes every
// event of a window to --out as one compact JSON line, flushes, and only
// then acknowledges the window, so an acked event is on disk.  It prints
// "LISTENING PORT" when it listens, writes its counters to --stats when it
// stops (SIGTERM, SIGINT) and on SIGUSR1, and with --exit-on-eof also
// stops when its standard input reaches end of file.
package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/elastic/go-lumber/server"
)

// counters is what --stats holds.
type counters struct {
	Events        int64            `json:"events"`
	Windows       int64            `json:"windows"`
	MaxWindow     int              `json:"max_window"`
	InvalidJSON   int64            `json:"invalid_json"`
	Duplicates    int64            `json:"duplicates"`
	WithoutID     int64            `json:"events_without_id"`
	Connections   int64            `json:"connections"`
	TLSHandshakes int64            `json:"tls_handshakes"`
	TLSVersions   map[string]int64 `json:"tls_versions"`
	ClientCerts   int64            `json:"client_certificates"`
	// What arrived on the wire (under TLS, if any) and the events' JSON:
	// compression shows as fewer bytes received than payload bytes.
	BytesReceived int64 `json:"bytes_received"`
	PayloadBytes  int64 `json:"payload_bytes"`
	seen          map[string]bool
}

type receiver struct {
	mu    sync.Mutex
	c     counters
	out   *bufio.Writer
	file  *os.File
	stats string
}

// decode keeps each event as the bytes it came in (compacted to one
// line), checked to be JSON; go-lumber reuses its read buffer, so they
// are copied.
func (r *receiver) decode(b []byte, v interface{}) error {
	var line bytes.Buffer
	if err := json.Compact(&line, b); err != nil {
		r.mu.Lock()
		r.c.InvalidJSON++
		r.mu.Unlock()
		return fmt.Errorf("event is not JSON: %w", err)
	}
	p, ok := v.(*interface{})
	if !ok {
		return errors.New("unexpected decode target")
	}
	*p = json.RawMessage(line.Bytes())
	return nil
}

// eventID is event.id of a document, "" when it has none.
func eventID(doc json.RawMessage) string {
	var d struct {
		Event struct {
			ID string `json:"id"`
		} `json:"event"`
	}
	if json.Unmarshal(doc, &d) != nil {
		return ""
	}
	return d.Event.ID
}

// store writes a window's events and flushes them; then it may be acked.
func (r *receiver) store(events []interface{}) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range events {
		doc, ok := e.(json.RawMessage)
		if !ok {
			return errors.New("an event that was not decoded")
		}
		if id := eventID(doc); id == "" {
			r.c.WithoutID++
		} else if r.c.seen[id] {
			r.c.Duplicates++
		} else {
			r.c.seen[id] = true
		}
		r.out.Write(doc)
		r.out.WriteByte('\n')
		r.c.PayloadBytes += int64(len(doc))
	}
	r.c.Events += int64(len(events))
	r.c.Windows++
	if len(events) > r.c.MaxWindow {
		r.c.MaxWindow = len(events)
	}
	return r.out.Flush()
}

func (r *receiver) writeStats() {
	r.mu.Lock()
	data, err := json.Marshal(&r.c)
	r.mu.Unlock()
	if err != nil || r.stats == "" {
		return
	}
	tmp := r.stats + ".tmp"
	if os.WriteFile(tmp, append(data, '\n'), 0o600) == nil {
		os.Rename(tmp, r.stats)
	}
}

// wireListener hands out connections that count the bytes they read.
type wireListener struct {
	net.Listener
	r *receiver
}

type wireConn struct {
	net.Conn
	r *receiver
}

func (l wireListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return c, err
	}
	return wireConn{c, l.r}, nil
}

func (c wireConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.r.mu.Lock()
	c.r.c.BytesReceived += int64(n)
	c.r.mu.Unlock()
	return n, err
}

// countingListener counts connections and, for TLS, what was negotiated.
type countingListener struct {
	net.Listener
	r *receiver
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return c, err
	}
	l.r.mu.Lock()
	l.r.c.Connections++
	l.r.mu.Unlock()
	if tc, ok := c.(*tls.Conn); ok {
		go l.r.noteTLS(tc)
	}
	return c, nil
}

func (r *receiver) noteTLS(c *tls.Conn) {
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if c.Handshake() != nil {
		return
	}
	c.SetDeadline(time.Time{})
	st := c.ConnectionState()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.c.TLSHandshakes++
	r.c.TLSVersions[tls.VersionName(st.Version)]++
	if len(st.PeerCertificates) > 0 {
		r.c.ClientCerts++
	}
}

func tlsConfig(cert, key, ca string) (*tls.Config, error) {
	pair, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		return nil, err
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{pair},
		MinVersion: tls.VersionTLS12}
	if ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s: no certificate", ca)
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

func waitForEOF(stop chan<- struct{}) {
	buf := make([]byte, 256)
	for {
		if _, err := os.Stdin.Read(buf); err != nil {
			close(stop)
			return
		}
	}
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (loopback)")
	outPath := flag.String("out", "", "write every acked event here, one JSON line")
	statsPath := flag.String("stats", "", "write the counters here on stop and SIGUSR1")
	cert := flag.String("tls-cert", "", "server certificate (PEM): TLS")
	key := flag.String("tls-key", "", "server key (PEM)")
	ca := flag.String("tls-ca", "", "require client certificates signed by this CA")
	exitOnEOF := flag.Bool("exit-on-eof", false, "stop when standard input ends")
	flag.Parse()
	if *outPath == "" {
		fmt.Fprintln(os.Stderr, "receiver: --out is required")
		os.Exit(2)
	}
	f, err := os.OpenFile(*outPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "receiver:", err)
		os.Exit(1)
	}
	r := &receiver{out: bufio.NewWriter(f), file: f, stats: *statsPath}
	r.c.seen = map[string]bool{}
	r.c.TLSVersions = map[string]int64{}

	l, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "receiver:", err)
		os.Exit(1)
	}
	var ln net.Listener = wireListener{l, r}
	if *cert != "" {
		cfg, err := tlsConfig(*cert, *key, *ca)
		if err != nil {
			fmt.Fprintln(os.Stderr, "receiver: TLS:", err)
			os.Exit(1)
		}
		ln = tls.NewListener(ln, cfg)
	}
	srv, err := server.NewWithListener(countingListener{ln, r},
		server.V1(false), server.V2(true),
		server.JSONDecoder(r.decode),
		server.Keepalive(time.Second), server.Timeout(30*time.Second))
	if err != nil {
		fmt.Fprintln(os.Stderr, "receiver:", err)
		os.Exit(1)
	}
	fmt.Printf("LISTENING %d\n", l.Addr().(*net.TCPAddr).Port)
	os.Stdout.Sync()

	stop := make(chan struct{})
	if *exitOnEOF {
		go waitForEOF(stop)
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGUSR1)
	batches := srv.ReceiveChan()
	for {
		select {
		case b, ok := <-batches:
			if !ok {
				r.writeStats()
				os.Exit(1)
			}
			if err := r.store(b.Events); err != nil {
				fmt.Fprintln(os.Stderr, "receiver: storing a window:", err)
				os.Exit(1)
			}
			b.ACK()
		case s := <-sigs:
			if s == syscall.SIGUSR1 {
				r.writeStats()
				continue
			}
			r.writeStats()
			os.Exit(0)
		case <-stop:
			r.writeStats()
			os.Exit(0)
		}
	}
}
