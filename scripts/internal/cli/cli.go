// Package cli holds the conventions every script shares: signal handling,
// exit codes, one-line errors and the -format flag. Scripts stay thin:
// flags -> run(ctx, args, stdout, stderr) -> lib.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// RunFunc is a script's body. It returns nil on success; main turns an
// error into a one-line message on stderr and a non-zero exit.
type RunFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// Main runs run with the process's arguments, stops it on Ctrl-C or
// SIGTERM, and exits: 0 on success or -h, 2 on a usage error, 1 otherwise.
func Main(run RunFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(ExitCode(err, os.Stderr))
}

// UsageError marks an error in how the script was called (exit code 2).
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// ExitCode reports err on w as one line prefixed with the program name and
// returns the exit code for it.
func ExitCode(err error, w io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, context.Canceled):
		var ie *anaplan.UploadInterruptedError
		if errors.As(err, &ie) { // say what became of the half-sent file
			fmt.Fprintf(w, "%s: interrupted during the upload to Anaplan file %s: %s\n", progName(), ie.FileID, ie.Settled())
			return 130
		}
		fmt.Fprintf(w, "%s: interrupted\n", progName())
		return 130
	}
	fmt.Fprintf(w, "%s: %s\n", progName(), oneLine(err.Error()))
	var usage UsageError
	if errors.As(err, &usage) {
		return 2
	}
	return 1
}

// NewFlagSet returns a flag set that reports errors instead of exiting,
// prints usage on stderr, and describes the script in its -h output.
func NewFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\nUsage of %s:\n", synopsis, name)
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses args; a bad flag becomes a UsageError, -h returns flag.ErrHelp.
func Parse(fs *flag.FlagSet, args []string) error {
	// The flag package prints its own error, before the usage; muted, the
	// usage comes first and the error once, as the last line ExitCode
	// prints, in plainer words where flag's are "parse error".
	out, usage := fs.Output(), fs.Usage
	if usage == nil { // a flag set not made by NewFlagSet: flag's default usage
		usage = func() {
			fmt.Fprintf(out, "Usage of %s:\n", fs.Name())
			fs.PrintDefaults()
		}
	}
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(out)
	fs.Usage = usage
	if err != nil {
		usage()
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return UsageError{plainFlagError(fs, err)}
	}
	if fs.NArg() > 0 {
		return UsageError{fmt.Errorf("unexpected argument %q (flags go before arguments; see -h)", fs.Arg(0))}
	}
	return nil
}

// flagValueError matches the flag package's error for a value its own
// number, duration or bool flags cannot parse, which ends in a bare
// "parse error" or "value out of range".
var flagValueError = regexp.MustCompile(`^invalid (?:boolean )?value ("[^"]*") for (?:flag )?-([^:]+): (?:parse error|value out of range)$`)

// plainFlagError says what a number, duration or bool flag wants instead
// of "parse error": `invalid value "abc" for flag -seed: not a whole
// number; e.g. 0`.
func plainFlagError(fs *flag.FlagSet, err error) error {
	m := flagValueError.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	f := fs.Lookup(m[2])
	if f == nil {
		return err
	}
	getter, ok := f.Value.(flag.Getter)
	if !ok {
		return err
	}
	var want string
	switch getter.Get().(type) {
	case int, int64:
		want = "not a whole number (or too large); e.g. " + f.DefValue
	case uint, uint64:
		want = "not a whole number of 0 or more (or too large); e.g. " + f.DefValue
	case float64:
		want = "not a number; e.g. " + f.DefValue
	case time.Duration:
		want = "not a duration; e.g. 500ms, 10s, 2m or 1h30m"
	case bool:
		want = "want true or false"
	default:
		return err
	}
	return fmt.Errorf("invalid value %s for flag -%s: %s", m[1], m[2], want)
}

func progName() string { return filepath.Base(os.Args[0]) }

// oneLine keeps an error on one line, so logs and cron mails stay readable.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
