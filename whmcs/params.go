package whmcs

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// params are a request's form fields. Empty values count as absent: some clients send every
// field they know, set or not.
type params struct {
	v      url.Values
	action string
	format format
}

const maxForm = 1 << 20

func parse(r *http.Request) (params, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, maxForm)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if ct == "multipart/form-data" {
		err = r.ParseMultipartForm(maxForm)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return params{}, fmt.Errorf("the request body is not a form: %v", err)
	}
	p := params{v: r.Form}
	p.format = format(strings.ToLower(p.str("responsetype")))
	if p.format == "" {
		p.format = formatJSON
	}
	return p, nil
}

func (p params) str(name string) string { return strings.TrimSpace(p.v.Get(name)) }

// int reads an integer field; absent is 0.
func (p params) int(name string) (int64, error) {
	s := p.str(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fail(fmt.Sprintf("Invalid value for %s: %q is not a whole number", name, s))
	}
	return n, nil
}

// required reads an integer field that must be there, failing with message if it is not.
func (p params) required(name, message string) (int64, error) {
	n, err := p.int(name)
	if err == nil && n == 0 {
		err = fail(message)
	}
	return n, err
}

// bool reads a flag as PHP forms send it: true, 1, on, yes. nil if absent.
func (p params) bool(name string) *bool {
	s := p.str(name)
	if s == "" {
		return nil
	}
	b := truthy(s)
	return &b
}

func (p params) flag(name string) bool {
	b := p.bool(name)
	return b != nil && *b
}

// list reads a PHP form array, name[0]=..&name[1]=.. or name[]=..; a plain name=.. is a list
// of one. The result is indexed as the client numbered it.
func (p params) list(name string) map[int]string {
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
	if v := p.str(name); v != "" && len(out) == 0 {
		out[0] = v
	}
	return out
}

// page reads limitstart and limitnum (25 by default, 250 at most).
func (p params) page() (offset, limit int32, err error) {
	start, err := p.int("limitstart")
	if err != nil {
		return 0, 0, err
	}
	num, err := p.int("limitnum")
	if err != nil {
		return 0, 0, err
	}
	if num == 0 {
		num = 25
	}
	return int32(min(start, 1<<30)), int32(min(num, 250)), nil
}
