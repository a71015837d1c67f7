package area

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// table streams one CSV file with a header row. Every error it makes names
// the file (base name) and the 1-based line, counting the header as line 1.
type table struct {
	name     string
	f        *os.File
	r        *csv.Reader
	head     []string
	cols     map[string]int
	rec      []string
	line     int
	rows     int                // data rows read
	progress func(FileProgress) // nil: silent
}

// Loader reads the ONS files of one data folder (shared/data) into areas.
// LoadTrafford and LoadEnglandWales are its methods with no progress.
type Loader struct {
	// Dir is the data folder.
	Dir string
	// Progress, when set, is told how far each file has been read: every
	// ProgressEvery data rows and once more when the file is done.
	Progress func(FileProgress)
}

// ProgressEvery is how many data rows a file is read between two reports.
const ProgressEvery = 10000

// FileProgress is how far the Loader has read one file.
type FileProgress struct {
	File string // path relative to the data folder
	Rows int    // data rows read so far
	Done bool   // the whole file has been read
}

// open opens a file of the data folder and reads its header; every column
// in required must be present.
func (l *Loader) open(file string, required ...string) (*table, error) {
	t, err := openTable(filepath.Join(l.Dir, file), required...)
	if err != nil {
		return nil, err
	}
	if l.Progress != nil {
		t.progress = func(p FileProgress) { p.File = file; l.Progress(p) }
	}
	return t, nil
}

// openTable opens path and reads its header; every column in required must
// be present.
func openTable(path string, required ...string) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	t := &table{name: filepath.Base(path), f: f, r: csv.NewReader(f)}
	t.r.ReuseRecord = true
	head, err := t.r.Read()
	if err != nil {
		f.Close()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file, no header", t.name)
		}
		return nil, t.wrap(err)
	}
	t.head = make([]string, len(head))
	t.cols = make(map[string]int, len(head))
	for i, h := range head {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		t.head[i] = h
		if _, dup := t.cols[h]; !dup {
			t.cols[h] = i
		}
	}
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			f.Close()
			return nil, fmt.Errorf("%s line 1: missing column %q", t.name, c)
		}
	}
	t.line = 1
	return t, nil
}

// col returns the index of a column named at openTable.
func (t *table) col(name string) int {
	i, ok := t.cols[name]
	if !ok {
		panic("area: column " + name + " was not required at open")
	}
	return i
}

// next reads the next row; it returns false at the end of the file.
func (t *table) next() (bool, error) {
	rec, err := t.r.Read()
	if errors.Is(err, io.EOF) {
		if t.progress != nil {
			t.progress(FileProgress{Rows: t.rows, Done: true})
		}
		return false, nil
	}
	if err != nil {
		return false, t.wrap(err)
	}
	t.rec = rec
	t.line, _ = t.r.FieldPos(0)
	t.rows++
	if t.progress != nil && t.rows%ProgressEvery == 0 {
		t.progress(FileProgress{Rows: t.rows})
	}
	return true, nil
}

func (t *table) close() { t.f.Close() }

func (t *table) wrap(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s line %d: %w", t.name, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %w", t.name, err)
}

// errf makes an error about the current row.
func (t *table) errf(format string, args ...any) error {
	return fmt.Errorf("%s line %d: "+format, append([]any{t.name, t.line}, args...)...)
}

// str returns column i of the current row, which must not be empty. The
// string is copied so that it does not pin the reader's line buffer.
func (t *table) str(i int) (string, error) {
	s := t.rec[i]
	if strings.TrimSpace(s) == "" {
		return "", t.errf("%s: empty", t.head[i])
	}
	return strings.Clone(s), nil
}

// code returns column i as a 9-character ONS code starting with one of
// prefixes and ending with 6 digits, e.g. E01006074.
func (t *table) code(i int, prefixes ...string) (string, error) {
	s := t.rec[i]
	if !validCode(s, prefixes) {
		return "", t.errf("%s: not a code %s…: %q", t.head[i], strings.Join(prefixes, "/"), s)
	}
	return strings.Clone(s), nil
}

func validCode(s string, prefixes []string) bool {
	if len(s) != 9 {
		return false
	}
	ok := false
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			ok = true
			break
		}
	}
	if !ok {
		return false
	}
	for i := 3; i < 9; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// count returns column i as a whole number >= 0.
func (t *table) count(i int) (int, error) {
	s := t.rec[i]
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, t.errf("%s: not a number %q", t.head[i], s)
	}
	if n < 0 {
		return 0, t.errf("%s: negative count %d", t.head[i], n)
	}
	return n, nil
}

// intIn returns column i as a whole number in lo..hi.
func (t *table) intIn(i, lo, hi int) (int, error) {
	s := t.rec[i]
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, t.errf("%s: not a number %q", t.head[i], s)
	}
	if n < lo || n > hi {
		return 0, t.errf("%s: %d is outside %d..%d", t.head[i], n, lo, hi)
	}
	return n, nil
}

// floatIn returns column i as a finite number in lo..hi.
func (t *table) floatIn(i int, lo, hi float64) (float64, error) {
	s := t.rec[i]
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, t.errf("%s: not a number %q", t.head[i], s)
	}
	if x < lo || x > hi {
		return 0, t.errf("%s: %s is outside %g..%g", t.head[i], s, lo, hi)
	}
	return x, nil
}
