package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/aws/smithy-go/logging"

	"github.com/leanaws/workspaces/workspacestest"
)

const (
	defaultAddr     = "127.0.0.1:4566"
	shutdownTimeout = 5 * time.Second
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run serves the fake until ctx is done and returns the exit code: 0 after
// a clean stop, 1 on an error, 2 on a usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("workspaces-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", defaultAddr, "`host:port` to listen on; port 0 picks a free port")
	seedFile := fs.String("seed", "", "JSON `file` of credentials and images to start with")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "workspaces-fake: unexpected argument %q\n", fs.Arg(0))
		return 2
	}

	svc := workspacestest.NewService()
	if *seedFile != "" {
		if err := loadSeed(svc, *seedFile); err != nil {
			fmt.Fprintf(stderr, "workspaces-fake: %v\n", err)
			return 1
		}
	}
	logger := log.New(stderr, "", log.LstdFlags|log.Lmicroseconds)
	svc.SetLogger(logging.LoggerFunc(func(_ logging.Classification, format string, v ...any) {
		logger.Printf(format, v...)
	}))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "workspaces-fake: listen: %v\n", err)
		return 1
	}
	if _, err := fmt.Fprintf(stdout, "http://%s\n", ln.Addr()); err != nil {
		ln.Close()
		fmt.Fprintf(stderr, "workspaces-fake: print URL: %v\n", err)
		return 1
	}

	return serve(ctx, ln, svc, stderr)
}

// loadSeed loads the seed file at path into svc.
func loadSeed(svc *workspacestest.Service, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open seed: %w", err)
	}
	defer f.Close()

	seed, err := workspacestest.LoadSeed(f)
	if err == nil {
		err = svc.Seed(seed)
	}
	if err != nil {
		// The package's prefix would repeat ours; the text is for a person.
		msg := strings.TrimPrefix(err.Error(), "workspacestest: ")
		return fmt.Errorf("seed %s: %s", path, msg)
	}
	return nil
}

// serve serves svc on ln until ctx is done, then shuts down, waiting up
// to shutdownTimeout for requests in flight.
func serve(ctx context.Context, ln net.Listener, svc http.Handler, stderr io.Writer) int {
	srv := &http.Server{
		Handler:           svc,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(stderr, "workspaces-fake: ", log.LstdFlags),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "workspaces-fake: serve: %v\n", err)
		return 1
	case <-ctx.Done():
	}

	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		fmt.Fprintf(stderr, "workspaces-fake: shut down: %v\n", err)
		return 1
	}
	return 0
}
