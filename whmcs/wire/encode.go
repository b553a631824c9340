package wire

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
)

func writeJSON(w io.Writer, body Reply) error { return json.NewEncoder(w).Encode(map[string]any(body)) }

// writeXML writes WHMCS's XML form: <whmcsapi> with one element per field; a list repeats its
// element, as orders><order>..</order><order>..</order></orders> does.
func writeXML(w io.Writer, action string, body Reply) error {
	enc := xml.NewEncoder(w)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	root := xml.StartElement{Name: xml.Name{Local: "whmcsapi"}}
	if err := enc.EncodeToken(root); err != nil {
		return err
	}
	if action != "" {
		if err := element(enc, "action", action); err != nil {
			return err
		}
	}
	if err := fields(enc, body); err != nil {
		return err
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return err
	}
	return enc.Flush()
}

func fields(enc *xml.Encoder, m map[string]any) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := element(enc, k, m[k]); err != nil {
			return err
		}
	}
	return nil
}

func element(enc *xml.Encoder, name string, v any) error {
	switch x := v.(type) {
	case []map[string]any:
		for _, e := range x {
			if err := element(enc, name, e); err != nil {
				return err
			}
		}
		return nil
	case []any:
		for _, e := range x {
			if err := element(enc, name, e); err != nil {
				return err
			}
		}
		return nil
	case Reply:
		return element(enc, name, map[string]any(x))
	}
	start := xml.StartElement{Name: xml.Name{Local: name}}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	switch x := v.(type) {
	case map[string]any:
		if err := fields(enc, x); err != nil {
			return err
		}
	case nil:
	default:
		if err := enc.EncodeToken(xml.CharData(fmt.Sprint(x))); err != nil {
			return err
		}
	}
	return enc.EncodeToken(start.End())
}
