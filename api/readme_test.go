package api

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/hostflow/hostflow/order"
)

// The README is the front door; the lists it used to hold live in docs/.
const (
	readmePath = "../README.md"
	docsDir    = "../docs"
	apiDoc     = "../docs/api.md"
	// readmeMaxLines keeps the front door short: detail belongs in docs/.
	readmeMaxLines = 250
)

// TestReadmeAPIDocListsEveryAction keeps docs/api.md's table of admin actions what
// order.Actions says: each action's name, button, REST route and WHMCS command, in the
// table's order.
func TestReadmeAPIDocListsEveryAction(t *testing.T) {
	doc, err := os.ReadFile(apiDoc)
	if err != nil {
		t.Fatal(err)
	}
	code := func(s string) string {
		if s == "" {
			return "—"
		}
		return "`" + s + "`"
	}
	var want strings.Builder
	want.WriteString("| action (update and signal) | WHMCS button | REST | WHMCS API |\n|---|---|---|---|\n")
	for _, spec := range order.Actions {
		row := fmt.Sprintf("| `%s` | %s | %s | %s |\n", spec.Action, spec.Label, code(restRoute(spec)), code(spec.WHMCS))
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/api.md lacks the row of %s:\n%s", spec.Action, row)
		}
		want.WriteString(row)
	}
	if !strings.Contains(string(doc), want.String()) {
		t.Errorf("docs/api.md's table of admin actions (under \"## Admin actions\") is not order.Actions; it should read:\n\n%s", want.String())
	}
}

func TestRESTRoutes(t *testing.T) {
	for action, want := range map[order.Action]string{
		order.ActionAccept:         "POST /api/v1/orders/{id}/accept",
		order.ActionDelete:         "DELETE /api/v1/orders/{id}",
		order.ActionModuleSuspend:  "POST /api/v1/services/{id}/suspend",
		order.ActionDomainTransfer: "POST /api/v1/domains/{id}/transfer",
	} {
		spec, _ := order.Lookup(action)
		if got := restRoute(spec); got != want {
			t.Errorf("%s: route %q, want %q", action, got, want)
		}
	}
	want := "unknown order action; use accept, cancel, cancel-refund, fraud, pending, retry, skip or fraud-check"
	if unknownOrderAction != want {
		t.Errorf("unknown action message %q, want %q", unknownOrderAction, want)
	}
}

// TestReadmeStaysShort keeps the README a front door: what hostflow is, how to run it, and
// links to docs/.
func TestReadmeStaysShort(t *testing.T) {
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(readme), "\n"); n > readmeMaxLines {
		t.Errorf("README.md has %d lines, more than %d: move the detail to a page in docs/ and link it", n, readmeMaxLines)
	}
}

// TestReadmeLinksResolve checks every relative link of README.md and docs/*.md: the file it
// names exists and, for a link to a heading, the heading does (by GitHub's anchor for it). The
// README links every page in docs/.
func TestReadmeLinksResolve(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join(docsDir, "*.md"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no pages in docs/ (%v)", err)
	}
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if link := "docs/" + filepath.Base(p); !strings.Contains(string(readme), "]("+link) {
			t.Errorf("README.md does not link %s", link)
		}
	}
	anchors := map[string]map[string]bool{} // by cleaned file path
	anchorsOf := func(path string) (map[string]bool, error) {
		if a, ok := anchors[path]; ok {
			return a, nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		anchors[path] = headingAnchors(string(b))
		return anchors[path], nil
	}
	for _, from := range append([]string{readmePath}, pages...) {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		for _, target := range markdownLinks(string(b)) {
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, anchor, _ := strings.Cut(target, "#")
			if path == "" {
				path = from
			} else {
				path = filepath.Join(filepath.Dir(from), path)
			}
			path = filepath.Clean(path)
			if _, err := os.Stat(path); err != nil {
				t.Errorf("%s links %s: %v", filepath.Base(from), target, err)
				continue
			}
			if anchor == "" || !strings.HasSuffix(path, ".md") {
				continue
			}
			a, err := anchorsOf(path)
			if err != nil {
				t.Fatal(err)
			}
			if !a[anchor] {
				t.Errorf("%s links %s: %s has no heading with the anchor #%s", filepath.Base(from), target, filepath.Base(path), anchor)
			}
		}
	}
}

var (
	linkTarget = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	codeSpan   = regexp.MustCompile("`[^`\n]*`")
	heading    = regexp.MustCompile(`^#{1,6}\s+(.+?)\s*#*\s*$`)
)

// markdownLines yields the lines of a markdown text outside fenced code blocks.
func markdownLines(text string) []string {
	var out []string
	fenced := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if !fenced {
			out = append(out, line)
		}
	}
	return out
}

// markdownLinks lists the targets of a text's links and images, outside code.
func markdownLinks(text string) []string {
	var out []string
	for _, line := range markdownLines(text) {
		for _, m := range linkTarget.FindAllStringSubmatch(codeSpan.ReplaceAllString(line, ""), -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// headingAnchors lists the anchors GitHub gives a text's headings: lower case, punctuation
// dropped, spaces as hyphens, and -1, -2, ... on repeats.
func headingAnchors(text string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	for _, line := range markdownLines(text) {
		m := heading.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case unicode.IsLetter(r), unicode.IsDigit(r), r == '-', r == '_':
				b.WriteRune(r)
			case r == ' ':
				b.WriteRune('-')
			}
		}
		a := b.String()
		if n := seen[a]; n > 0 {
			out[fmt.Sprintf("%s-%d", a, n)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	}
	return out
}
