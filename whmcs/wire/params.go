package wire

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Params are a request's form fields. Empty values count as absent: some clients send every
// field they know, set or not.
type Params struct {
	v url.Values
	// Action is the action asked for, lower case, letters and digits only.
	Action string
	// Format is the responsetype asked for.
	Format Format
}

const maxForm = 1 << 20

// Parse reads a request's form, urlencoded or multipart, as WHMCS's api.php takes it.
func Parse(r *http.Request) (Params, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, maxForm)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if ct == "multipart/form-data" {
		err = r.ParseMultipartForm(maxForm)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return Params{}, fmt.Errorf("the request body is not a form: %v", err)
	}
	p := Params{v: r.Form}
	p.Format = Format(strings.ToLower(p.Str("responsetype")))
	if p.Format == "" {
		p.Format = JSON
	}
	// WHMCS matches the action without regard to case, and ignores anything but letters and digits.
	p.Action = strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			return c
		}
		return -1
	}, strings.ToLower(p.Str("action")))
	return p, nil
}

// Str reads a text field, trimmed; absent is "".
func (p Params) Str(name string) string { return strings.TrimSpace(p.v.Get(name)) }

// Secret reads a password field as sent, untrimmed: a space is part of a password.
func (p Params) Secret(name string) string { return p.v.Get(name) }

// Has says whether the request names the field at all, even empty: an empty notes clears them.
func (p Params) Has(name string) bool {
	_, ok := p.v[name]
	return ok
}

// Int reads an integer field; absent is 0.
func (p Params) Int(name string) (int64, error) {
	s := p.Str(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, Fail(fmt.Sprintf("Invalid value for %s: %q is not a whole number", name, s))
	}
	return n, nil
}

// Required reads an integer field that must be there, failing with message if it is not.
func (p Params) Required(name, message string) (int64, error) {
	n, err := p.Int(name)
	if err == nil && n == 0 {
		err = Fail(message)
	}
	return n, err
}

// Bool reads a flag as PHP forms send it: true, 1, on, yes. nil if absent.
func (p Params) Bool(name string) *bool {
	s := p.Str(name)
	if s == "" {
		return nil
	}
	b := Truthy(s)
	return &b
}

// Flag reads a flag; absent is false.
func (p Params) Flag(name string) bool {
	b := p.Bool(name)
	return b != nil && *b
}

// List reads a PHP form array, name[0]=..&name[1]=.. or name[]=..; a plain name=.. is a list
// of one. The result is indexed as the client numbered it.
func (p Params) List(name string) map[int]string {
	out := map[int]string{}
	next := 0
	keys := make([]string, 0, len(p.v))
	for k := range p.v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		rest, ok := strings.CutPrefix(k, name+"[")
		if !ok || !strings.HasSuffix(rest, "]") {
			continue
		}
		idx := strings.TrimSuffix(rest, "]")
		if idx == "" {
			for _, v := range p.v[k] {
				out[next] = strings.TrimSpace(v)
				next++
			}
			continue
		}
		if i, err := strconv.Atoi(idx); err == nil && i >= 0 && i < 1000 {
			out[i] = strings.TrimSpace(p.v.Get(k))
			next = max(next, i+1)
		}
	}
	if v := p.Str(name); v != "" && len(out) == 0 {
		out[0] = v
	}
	return out
}

// Page reads limitstart and limitnum (25 by default, 250 at most).
func (p Params) Page() (offset, limit int32, err error) {
	start, err := p.Int("limitstart")
	if err != nil {
		return 0, 0, err
	}
	num, err := p.Int("limitnum")
	if err != nil {
		return 0, 0, err
	}
	if num == 0 {
		num = 25
	}
	return int32(min(start, 1<<30)), int32(min(num, 250)), nil
}

// YMD reads a Y-m-d date field; nil if absent.
func (p Params) YMD(name string) (*time.Time, error) {
	s := p.Str(name)
	if s == "" {
		return nil, nil
	}
	if s == "0000-00-00" { // WHMCS's way of clearing a date
		return &time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil, Fail(fmt.Sprintf("Invalid %s: use YYYY-MM-DD", name))
	}
	return &t, nil
}

// OptStr is a text field to set: nil if absent, "" if named in unset.
func (p Params) OptStr(name string, unset []string, as string) *string {
	if slices.Contains(unset, as) {
		empty := ""
		return &empty
	}
	if _, ok := p.v[name]; !ok {
		return nil
	}
	v := p.Str(name)
	return &v
}

// Refuse refuses the first of names the request carries: parameters for what hostflow does
// not hold, refused rather than silently dropped. why says what the action does change.
func (p Params) Refuse(names []string, why string) error {
	for _, name := range names {
		for k := range p.v {
			if (k == name || strings.HasPrefix(k, name+"[")) && strings.TrimSpace(strings.Join(p.v[k], "")) != "" {
				return Fail(fmt.Sprintf("%s cannot be updated: %s", name, why))
			}
		}
	}
	return nil
}
