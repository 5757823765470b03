package cli

import (
	"flag"
	"fmt"
	"strconv"
)

// IntRangeVar defines an int flag that takes only lo to hi. A value
// outside is refused while the flags are parsed, so the script stops with
// a usage error naming the flag and the range before it reads a file or
// opens a connection; the help shows the range after usage. There is no
// "0 means the default": the default is value, and it is shown.
func IntRangeVar(fs *flag.FlagSet, p *int, name string, value, lo, hi int, usage string) {
	*p = value
	fs.Var(&intRange{p: p, lo: lo, hi: hi}, name, fmt.Sprintf("%s, %d to %d", usage, lo, hi))
}

// intRange is the flag.Value of IntRangeVar.
type intRange struct {
	p      *int
	lo, hi int
}

func (r *intRange) String() string {
	if r == nil || r.p == nil {
		return "0"
	}
	return strconv.Itoa(*r.p)
}

// Set accepts a whole number from lo to hi; flag prefixes the error with
// the value and the flag's name.
func (r *intRange) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("not a whole number; use %d to %d", r.lo, r.hi)
	}
	if n < r.lo || n > r.hi {
		return fmt.Errorf("out of range; use %d to %d", r.lo, r.hi)
	}
	*r.p = n
	return nil
}
