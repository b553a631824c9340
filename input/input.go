// Package input holds the rules for what the core accepts as text from any adapter: the
// strings PostgreSQL and the protocols can carry, and the shape of hostnames, domains,
// nameservers, server addresses and emails.
package input

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hostflow/hostflow/fault"
)

// Lengths of text the service takes. A field tagged `input:"text"` is free text (notes) and may
// hold newlines and tabs; `input:"max=N"` sets its own cap.
const (
	maxLine = 255
	maxText = 10_000
)

// Check refuses, in every string of v (a struct, walked through its fields, slices and
// maps), what PostgreSQL cannot store or what would break the protocols it is sent on (an
// email header, a panel's query): a NUL byte, invalid UTF-8, a control character (a newline in
// a name is a header injection), or more than its length. It runs before anything starts, so
// such input is refused with the field named and leaves no trace. The one rule for every
// adapter: REST, WHMCS and the webhooks all come through here.
func Check(v any) error {
	return walkInput(reflect.ValueOf(v), "", textRule{max: maxLine})
}

// CheckText is Check for one string: a line (at most 255 bytes, no control characters), or
// with multiline free text (at most 10,000 bytes, newlines and tabs allowed).
func CheckText(field, s string, multiline bool) error {
	if multiline {
		return checkText(field, s, textRule{max: maxText, multiline: true})
	}
	return checkText(field, s, textRule{max: maxLine})
}

type textRule struct {
	max       int
	multiline bool
}

func walkInput(v reflect.Value, path string, rule textRule) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return walkInput(v.Elem(), path, rule)
	case reflect.String:
		return checkText(path, v.String(), rule)
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if err := walkInput(v.Index(i), fmt.Sprintf("%s[%d]", path, i), rule); err != nil {
				return err
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			name := fieldPath(path, fmt.Sprint(k.Interface()))
			if err := walkInput(k, name, textRule{max: maxLine}); err != nil {
				return err
			}
			if err := walkInput(v.MapIndex(k), name, rule); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			if err := walkInput(v.Field(i), fieldPath(path, name), fieldRule(f.Tag.Get("input"))); err != nil {
				return err
			}
		}
	}
	return nil
}

func fieldRule(tag string) textRule {
	switch {
	case tag == "text":
		return textRule{max: maxText, multiline: true}
	case strings.HasPrefix(tag, "max="):
		if n, err := strconv.Atoi(strings.TrimPrefix(tag, "max=")); err == nil {
			return textRule{max: n}
		}
	}
	return textRule{max: maxLine}
}

func checkText(field, s string, rule textRule) error {
	if !utf8.ValidString(s) {
		return fault.Invalidf(field, "is not valid UTF-8")
	}
	if len(s) > rule.max {
		return fault.Invalidf(field, "is longer than %d bytes", rule.max)
	}
	for _, c := range s {
		switch {
		case c == 0:
			return fault.Invalidf(field, "contains a NUL byte")
		case rule.multiline && (c == '\n' || c == '\r' || c == '\t'):
		case unicode.IsControl(c):
			return fault.Invalidf(field, "contains a control character (U+%04X)", c)
		}
	}
	return nil
}

func fieldPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
