package history

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"

	"modernc.org/sqlite"
)

// A version row's digest stands for its value columns, so that a run reads
// only the ids and digests of the current rows to find what changed (see
// schema.sql). It is 64-bit FNV-1a of the values in column order, each
// tagged with its type and a text with its length, so that no two
// different rows run together into the same bytes. An accidental change is
// missed only if old and new values hash alike: one chance in 2^64.

const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// digester accumulates a digest, one value at a time.
type digester uint64

func newDigester() digester { return fnvOffset64 }

func (d *digester) write(b []byte) {
	h := uint64(*d)
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime64
	}
	*d = digester(h)
}

func (d *digester) text(s string) {
	var buf [binary.MaxVarintLen64 + 1]byte
	buf[0] = 's'
	d.write(buf[:1+binary.PutUvarint(buf[1:], uint64(len(s)))])
	h := uint64(*d)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime64
	}
	*d = digester(h)
}

func (d *digester) integer(n int64) {
	var buf [9]byte
	buf[0] = 'i'
	binary.BigEndian.PutUint64(buf[1:], uint64(n))
	d.write(buf[:])
}

func (d *digester) boolean(b bool) {
	if b {
		d.integer(1)
	} else {
		d.integer(0)
	}
}

func (d digester) sum() int64 { return int64(d) }

// digestOf is the digest of a row's values as stored: strings, integers
// and bools (stored as 0 or 1). Each table's digest function computes the
// same from its typed values without boxing them.
func digestOf(values []any) (int64, error) {
	d := newDigester()
	for _, v := range values {
		switch v := v.(type) {
		case string:
			d.text(v)
		case int64:
			d.integer(v)
		case int:
			d.integer(int64(v))
		case bool:
			d.boolean(v)
		default:
			return 0, fmt.Errorf("history: no digest for a %T column value", v)
		}
	}
	return d.sum(), nil
}

// digestFunction is digestOf as the SQL function history_digest(value, ...),
// for the migration that fills the digests of rows written before they
// existed. The sqlite3 command does not know it; nothing stored calls it.
const digestFunction = "history_digest"

func init() {
	err := sqlite.RegisterDeterministicScalarFunction(digestFunction, -1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			values := make([]any, len(args))
			for i, a := range args {
				if b, ok := a.([]byte); ok { // a text SQLite hands over as bytes
					a = string(b)
				}
				values[i] = a
			}
			return digestOf(values)
		})
	if err != nil {
		panic(err)
	}
}
