package wire

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Format is a responsetype, matched in any case as WHMCS does. hostflow answers JSON when none
// is asked for; WHMCS then answers XML for list actions and NVP for the rest.
type Format string

// The response types WHMCS knows.
const (
	JSON Format = "json"
	XML  Format = "xml"
	NVP  Format = "nvp"
)

// structured are the actions WHMCS answers only as JSON or XML (its
// ActionResponseFormat::actionResponseHighlyStructured list, as far as hostflow serves them).
var structured = []string{"getclients", "getclientsaddons", "getclientsdomains", "getclientsproducts", "getcurrencies",
	"getinvoice", "getinvoices", "getmodulequeue", "getorders", "getorderstatuses", "getpaymentmethods", "getproducts",
	"getpromotions", "gettransactions", "orderfraudcheck"}

// Check refuses a format WHMCS does not know, and NVP for an action with nested answers, in
// WHMCS's words.
func (f Format) Check(action string) error {
	switch {
	case f != JSON && f != XML && f != NVP:
		return Fail(fmt.Sprintf("Unsupported API response type format %q. Supported formats include: json, xml, nvp", string(f)))
	case f == NVP && slices.Contains(structured, action):
		return Fail("This API action only supports the XML or JSON response type formats")
	}
	return nil
}

// writeNVP writes WHMCS's deprecated name=value pairs: key=value joined by ";", no escaping,
// a nested value written as PHP writes an array cast to string.
func writeNVP(w io.Writer, body Reply) error {
	keys := make([]string, 0, len(body))
	for k := range body {
		if k != "result" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	keys = append([]string{"result"}, keys...)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + nvpValue(body[k])
	}
	_, err := io.WriteString(w, strings.Join(pairs, ";"))
	return err
}

func nvpValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool: // PHP's (string)true is "1", (string)false is ""
		if x {
			return "1"
		}
		return ""
	case map[string]any, Reply, []map[string]any, []any:
		return "Array"
	}
	return fmt.Sprint(v)
}
