// Package whm is a local WHM API 1 server for tests and `make run`: it answers the functions
// hostflow's cpanel module calls (version among them, for Test Connection) as WHM does (the
// metadata envelope, HTTP 200 on failure, 403 with a cpanelresult body for a bad token), keeps
// accounts in memory, and can be told to fail.
package whm

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hostflow/hostflow/sandbox/fault"
)

// Account is one hosting account on the sandbox.
type Account struct {
	User      string    `json:"user"`
	Domain    string    `json:"domain"`
	Plan      string    `json:"plan"`
	Email     string    `json:"email"`
	Password  string    `json:"-"`
	Suspended bool      `json:"suspended"`
	Reason    string    `json:"suspendreason,omitempty"`
	Created   time.Time `json:"created"`
}

// Server is the sandbox. Its zero value is not usable; call New.
type Server struct {
	User, Token string
	Packages    []string
	// Version is what the version function answers, as a WHM of that build does.
	Version        string
	fault.Injector // Down: the next n calls answer 503, as WHM does while cpsrvd restarts

	mu       sync.Mutex
	accounts map[string]*Account
	calls    map[string]int
	failNext map[string]string // function → reason for its next call
	// CreateButFail makes the next createacct create the account and still report failure,
	// as WHM has been seen to do.
	createButFail bool
}

// DefaultVersion is the sandbox's WHM build: cPanel & WHM 126, as version answers it.
const DefaultVersion = "11.126.0.21"

// New returns a sandbox that accepts user:token and knows the packages default, starter and
// business.
func New(user, token string) *Server {
	return &Server{User: user, Token: token, Packages: []string{"default", "starter", "business"}, Version: DefaultVersion,
		accounts: map[string]*Account{}, calls: map[string]int{}, failNext: map[string]string{}}
}

// FailNext makes the next call of function fail with reason (metadata.result 0).
func (s *Server) FailNext(function, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext[function] = reason
}

// CreateButReportFailure makes the next createacct create the account and answer a failure.
func (s *Server) CreateButReportFailure() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.createButFail = true
}

// Accounts returns the accounts, by username.
func (s *Server) Accounts() []Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Account, 0, len(s.accounts))
	for _, a := range s.accounts {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].User < out[j].User })
	return out
}

// Calls says how many times function was called.
func (s *Server) Calls(function string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[function]
}

// result is the metadata of a reply.
type result struct {
	data   any
	ok     bool
	reason string
}

func fail(format string, args ...any) result { return result{reason: fmt.Sprintf(format, args...)} }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/sandbox/accounts" { // for people: what the sandbox holds
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"accounts": s.Accounts()})
		return
	}
	function, ok := strings.CutPrefix(r.URL.Path, "/json-api/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	if !s.authorized(r) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"cpanelresult":{"apiversion":"2","error":"Access denied","data":{"reason":"Access denied","result":"0"},"type":"text"}}`))
		return
	}
	_ = r.ParseForm()
	delay, down := s.Next()
	s.mu.Lock()
	s.calls[function]++
	if down {
		s.mu.Unlock()
		http.Error(w, "cpsrvd is restarting", http.StatusServiceUnavailable)
		return
	}
	var res result
	if reason, ok := s.failNext[function]; ok {
		delete(s.failNext, function)
		res = fail("%s", reason)
	} else if r.Form.Get("api.version") != "1" {
		res = fail("This sandbox speaks WHM API 1 only: send api.version=1.")
	} else {
		res = s.handle(function, r.Form.Get)
	}
	s.mu.Unlock()
	time.Sleep(delay)

	meta := map[string]any{"command": function, "version": 1, "result": 0, "reason": res.reason}
	if res.ok {
		meta["result"] = 1
	}
	body := map[string]any{"metadata": meta}
	if res.data != nil {
		body["data"] = res.data
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

func (s *Server) authorized(r *http.Request) bool {
	if auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "whm "); ok {
		return auth == s.User+":"+s.Token
	}
	user, pass, ok := r.BasicAuth()
	return ok && user == s.User && pass == s.Token
}

var validUser = regexp.MustCompile(`^[a-z][a-z0-9]{0,15}$`)

// handle runs one function; s.mu is held.
func (s *Server) handle(function string, get func(string) string) result {
	switch function {
	case "createacct":
		return s.createacct(get)
	case "listaccts":
		return s.listaccts(get("search"), get("searchmethod"))
	case "accountsummary":
		a := s.accounts[get("user")]
		if a == nil {
			return fail("Account does not exist.")
		}
		return result{ok: true, reason: "OK", data: map[string]any{"acct": []any{listed(a)}}}
	case "suspendacct", "unsuspendacct", "removeacct", "changepackage", "passwd":
		user := get("user")
		if function == "removeacct" && get("username") != "" {
			user = get("username")
		}
		a := s.accounts[user]
		if a == nil {
			return fail("The user “%s” does not exist.", user)
		}
		switch function {
		case "suspendacct":
			a.Suspended, a.Reason = true, get("reason")
			return result{ok: true, reason: "Account Suspended"}
		case "unsuspendacct":
			a.Suspended, a.Reason = false, ""
			return result{ok: true, reason: "Account Unsuspended"}
		case "removeacct":
			delete(s.accounts, user)
			return result{ok: true, reason: user + " account removed"}
		case "changepackage":
			if !s.hasPackage(get("pkg")) {
				return fail("Specified package “%s” does not exist.", get("pkg"))
			}
			a.Plan = get("pkg")
			return result{ok: true, reason: "Account Upgraded/Downgraded"}
		default:
			if len(get("password")) < 8 {
				return fail("The password must be at least 8 characters.")
			}
			a.Password = get("password")
			return result{ok: true, reason: "Password changed for user “" + user + "”.", data: map[string]any{"app": []string{"ftp", "mail", "system"}}}
		}
	case "version":
		// WHM API 1's version: {"data":{"version":"11.126.0.21"}}, metadata reason "OK".
		return result{ok: true, reason: "OK", data: map[string]any{"version": s.Version}}
	case "verify_new_username":
		if reason := s.usernameProblem(get("user")); reason != "" {
			return fail("%s", reason)
		}
		return result{ok: true, reason: "OK"}
	}
	return fail("Unknown function “%s”.", function)
}

func (s *Server) createacct(get func(string) string) result {
	user, domain := strings.ToLower(get("username")), strings.ToLower(get("domain"))
	plan, password := get("plan"), get("password")
	if plan == "" {
		plan = "default"
	}
	if password == "" {
		password = get("pass")
	}
	switch {
	case user == "":
		return fail("No user name supplied: “username” is a required argument.")
	case domain == "" || !strings.Contains(domain, "."):
		return fail("No domain name supplied: “domain” is a required argument.")
	case !s.hasPackage(plan):
		return fail("Unable to find the package “%s”.", plan)
	case password != "" && len(password) < 8:
		return fail("Sorry, the password you selected cannot be used because it is too weak and would be too easy to guess.")
	}
	if reason := s.usernameProblem(user); reason != "" {
		return fail("%s", reason)
	}
	for _, a := range s.accounts {
		if a.Domain == domain {
			return fail("Sorry, the domain “%s” is already owned by another user.", domain)
		}
	}
	s.accounts[user] = &Account{User: user, Domain: domain, Plan: plan, Email: get("contactemail"), Password: password, Created: time.Now()}
	if s.createButFail {
		s.createButFail = false
		return fail("Sorry, a group for that username already exists.")
	}
	return result{ok: true, reason: "Account Creation Ok", data: map[string]any{"ip": "127.0.0.1", "nameserver": "ns1.sandbox.test",
		"nameserver2": "ns2.sandbox.test", "package": plan}}
}

// usernameProblem applies WHM's rules for a new username.
func (s *Server) usernameProblem(user string) string {
	switch {
	case !validUser.MatchString(user):
		return "The username “" + user + "” is invalid: use 1 to 16 lower-case letters and digits, starting with a letter."
	case strings.HasPrefix(user, "test"):
		return "The username “" + user + "” cannot begin with “test”."
	}
	for existing := range s.accounts {
		if existing[:min(8, len(existing))] == user[:min(8, len(user))] {
			return "Sorry, a group for that username already exists."
		}
	}
	return ""
}

func (s *Server) hasPackage(p string) bool {
	for _, x := range s.Packages {
		if x == p {
			return true
		}
	}
	return false
}

func (s *Server) listaccts(search, method string) result {
	list := []any{}
	for _, a := range s.accounts {
		if search == "" || method == "exact" && a.User == search || method != "exact" && strings.Contains(a.User, search) {
			list = append(list, listed(a))
		}
	}
	return result{ok: true, reason: "OK", data: map[string]any{"acct": list}}
}

func listed(a *Account) map[string]any {
	suspended := 0
	if a.Suspended {
		suspended = 1
	}
	return map[string]any{"user": a.User, "domain": a.Domain, "plan": a.Plan, "email": a.Email, "suspended": suspended,
		"suspendreason": a.Reason, "startdate": a.Created.Format("06 Jan 2 15:04"), "unix_startdate": a.Created.Unix()}
}

// Password returns an account's password, for tests: the real WHM never shows it.
func (s *Server) Password(user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.accounts[user]; a != nil {
		return a.Password
	}
	return ""
}
