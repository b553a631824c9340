// Package namecheap is a local Namecheap API (xml.response) for tests and `make run`: the
// commands hostflow's registrar module sends, answered in Namecheap's XML envelope with its
// numbered errors, over an in-memory registry that can be told to fail.
package namecheap

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Domain is a domain the sandbox registry knows.
type Domain struct {
	Name        string    `json:"name"`
	Owner       string    `json:"owner"` // the account holding it; "" for someone elsewhere
	ID          int       `json:"id"`
	Years       int       `json:"years"`
	Nameservers []string  `json:"nameservers"`
	Registrant  string    `json:"registrant"`
	Created     time.Time `json:"created"`
	Expires     time.Time `json:"expires"`
}

// Transfer is a transfer into an account.
type Transfer struct {
	ID     int    `json:"id"`
	Domain string `json:"domain"`
	Owner  string `json:"owner"`
	Status string `json:"status"`
}

// Server is the sandbox.
type Server struct {
	APIUser, APIKey string
	ClientIPs       []string // whitelisted; empty accepts any

	mu        sync.Mutex
	nextID    int
	domains   map[string]*Domain
	transfers []*Transfer
	calls     map[string]int
	failNext  map[string][2]string // command → number, text
	dropReply map[string]bool      // command → do it, then lose the reply
	dropCall  map[string]bool      // command → lose the request before it takes effect
	rateLimit int
}

// New returns a sandbox for one API account. Names beginning with "taken" are registered to
// someone else.
func New(apiUser, apiKey string) *Server {
	return &Server{APIUser: apiUser, APIKey: apiKey, nextID: 1000, domains: map[string]*Domain{}, calls: map[string]int{},
		failNext: map[string][2]string{}, dropReply: map[string]bool{}, dropCall: map[string]bool{}}
}

// FailNext makes the next call of command fail with Namecheap error number and text.
func (s *Server) FailNext(command, number, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext[command] = [2]string{number, text}
}

// DropReply makes the next call of command take effect and then fail with HTTP 502, as if the
// reply were lost on the way.
func (s *Server) DropReply(command string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropReply[command] = true
}

// DropCall makes the next call of command fail with HTTP 502 without taking effect, as if the
// request never reached Namecheap.
func (s *Server) DropCall(command string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropCall[command] = true
}

// RateLimit makes the next n calls answer HTTP 405, Namecheap's rate limit.
func (s *Server) RateLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit = n
}

// Domains returns the domains held by the API account.
func (s *Server) Domains() []Domain {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Domain
	for _, d := range s.domains {
		if d.Owner == s.APIUser {
			out = append(out, *d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Transfers returns every transfer.
func (s *Server) Transfers() []Transfer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Transfer, len(s.transfers))
	for i, t := range s.transfers {
		out[i] = *t
	}
	return out
}

// CompleteTransfer finishes a transfer: the domain moves into the account.
func (s *Server) CompleteTransfer(domain string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.transfers {
		if t.Domain == domain && t.Status == "Pending" {
			t.Status = "Completed"
			s.nextID++
			now := time.Now().UTC()
			s.domains[domain] = &Domain{Name: domain, Owner: t.Owner, ID: s.nextID, Years: 1, Created: now, Expires: now.AddDate(1, 0, 0)}
		}
	}
}

// Calls says how many times command was called.
func (s *Server) Calls(command string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[command]
}

type failure struct{ number, text string }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	// Namecheap matches parameter names without regard to case; so does the sandbox.
	form := map[string]string{}
	for k, v := range r.Form {
		form[strings.ToLower(k)] = v[0]
	}
	get := func(k string) string { return form[strings.ToLower(k)] }
	command := get("Command")

	s.mu.Lock()
	s.calls[command]++
	if s.rateLimit > 0 {
		s.rateLimit--
		s.mu.Unlock()
		http.Error(w, "Too many requests", http.StatusMethodNotAllowed)
		return
	}
	if s.dropCall[command] {
		delete(s.dropCall, command)
		s.mu.Unlock()
		http.Error(w, "Bad Gateway", http.StatusBadGateway)
		return
	}
	result, fail := s.dispatch(command, get)
	drop := s.dropReply[command]
	delete(s.dropReply, command)
	s.mu.Unlock()
	if drop {
		http.Error(w, "Bad Gateway", http.StatusBadGateway)
		return
	}
	writeResponse(w, command, result, fail)
}

// dispatch runs a command; s.mu is held.
func (s *Server) dispatch(command string, get func(string) string) (any, *failure) {
	switch {
	case get("ApiUser") == "":
		return nil, &failure{"1010101", "Parameter APIUser is missing"}
	case get("ApiKey") != s.APIKey || get("ApiUser") != s.APIUser:
		return nil, &failure{"1011102", "API Key is invalid or API access has not been enabled"}
	case !s.whitelisted(get("ClientIp")):
		return nil, &failure{"1011150", "Invalid request IP: " + get("ClientIp")}
	case command == "":
		return nil, &failure{"1010104", "Parameter Command is missing"}
	}
	if f, ok := s.failNext[command]; ok {
		delete(s.failNext, command)
		return nil, &failure{f[0], f[1]}
	}
	user := get("UserName")
	if user == "" {
		user = get("ApiUser")
	}
	switch command {
	case "namecheap.domains.check":
		return s.check(get("DomainList"))
	case "namecheap.domains.getInfo":
		return s.getInfo(user, strings.ToLower(get("DomainName")))
	case "namecheap.domains.create":
		return s.create(user, get)
	case "namecheap.domains.transfer.create":
		return s.transfer(user, strings.ToLower(get("DomainName")), get("EPPCode"))
	case "namecheap.domains.transfer.getList":
		return s.transferList(user, strings.ToLower(get("SearchTerm")))
	case "namecheap.domains.dns.getList":
		return s.dnsList(user, get)
	case "namecheap.domains.dns.setCustom":
		return s.dnsSetCustom(user, get)
	case "namecheap.domains.renew":
		return s.renew(user, get)
	}
	return nil, &failure{"1010104", "Command " + command + " is not supported by the sandbox"}
}

func (s *Server) whitelisted(ip string) bool {
	if len(s.ClientIPs) == 0 {
		return ip != ""
	}
	for _, w := range s.ClientIPs {
		if w == ip {
			return true
		}
	}
	return false
}

var validDomain = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// registered reports whether a name is taken; names beginning with "taken" stand for the rest
// of the world's registrations.
func (s *Server) registered(name string) bool {
	return s.domains[name] != nil || strings.HasPrefix(name, "taken")
}

// checkLimit is how many names Namecheap checks in one command.
const checkLimit = 50

// Premium prices the sandbox quotes for names beginning "premium", as Namecheap writes them.
const (
	premiumRegistration = "13000.0000"
	premiumRenewal      = "13000.0000"
	premiumRestore      = "65.0000"
	premiumTransfer     = "13000.0000"
)

// check answers namecheap.domains.check: one DomainCheckResult a name with every attribute
// Namecheap sends. Names beginning "taken", and those registered here, are taken; names
// beginning "premium" are free but premium, priced as Namecheap's own example prices us.xyz.
func (s *Server) check(list string) (any, *failure) {
	type result struct {
		XMLName                  xml.Name `xml:"DomainCheckResult"`
		Domain                   string   `xml:"Domain,attr"`
		Available                bool     `xml:"Available,attr"`
		ErrorNo                  string   `xml:"ErrorNo,attr"`
		Description              string   `xml:"Description,attr"`
		IsPremiumName            bool     `xml:"IsPremiumName,attr"`
		PremiumRegistrationPrice string   `xml:"PremiumRegistrationPrice,attr"`
		PremiumRenewalPrice      string   `xml:"PremiumRenewalPrice,attr"`
		PremiumRestorePrice      string   `xml:"PremiumRestorePrice,attr"`
		PremiumTransferPrice     string   `xml:"PremiumTransferPrice,attr"`
		IcannFee                 string   `xml:"IcannFee,attr"`
		EapFee                   string   `xml:"EapFee,attr"`
	}
	if strings.TrimSpace(list) == "" {
		return nil, &failure{"2011166", "Parameter DomainList is Missing"}
	}
	names := strings.Split(list, ",")
	if len(names) > checkLimit {
		return nil, &failure{"2011169", "Only 50 domains are allowed in a single check command"}
	}
	var out []result
	for _, name := range names {
		name = strings.ToLower(strings.TrimSpace(name))
		if !validDomain.MatchString(name) {
			return nil, &failure{"2030166", "Domain is invalid"}
		}
		r := result{Domain: name, Available: !s.registered(name), ErrorNo: "0", PremiumRegistrationPrice: "0",
			PremiumRenewalPrice: "0", PremiumRestorePrice: "0", PremiumTransferPrice: "0", IcannFee: "0", EapFee: "0"}
		if strings.HasPrefix(name, "premium") {
			r.IsPremiumName, r.PremiumRegistrationPrice, r.PremiumRenewalPrice = true, premiumRegistration, premiumRenewal
			r.PremiumRestorePrice, r.PremiumTransferPrice = premiumRestore, premiumTransfer
		}
		out = append(out, r)
	}
	return out, nil
}

func (s *Server) getInfo(user, name string) (any, *failure) {
	d := s.domains[name]
	switch {
	case d == nil && strings.HasPrefix(name, "taken"), d != nil && d.Owner != user:
		return nil, &failure{"2016166", "Domain is not associated with your account"}
	case d == nil:
		return nil, &failure{"2019166", "Domain not found"}
	}
	type info struct {
		XMLName  xml.Name `xml:"DomainGetInfoResult"`
		Status   string   `xml:"Status,attr"`
		ID       int      `xml:"ID,attr"`
		Domain   string   `xml:"DomainName,attr"`
		Owner    string   `xml:"OwnerName,attr"`
		IsOwner  bool     `xml:"IsOwner,attr"`
		IsLocked bool     `xml:"IsLocked,attr"`
		Details  details  `xml:"DomainDetails"`
	}
	return info{Status: "Ok", ID: d.ID, Domain: d.Name, Owner: d.Owner, IsOwner: true, Details: detailsOf(d)}, nil
}

var phone = regexp.MustCompile(`^\+\d{1,3}\.\d{4,14}$`)

func (s *Server) create(user string, get func(string) string) (any, *failure) {
	name := strings.ToLower(get("DomainName"))
	years, _ := strconv.Atoi(get("Years"))
	switch {
	case !validDomain.MatchString(name):
		return nil, &failure{"2030166", "Domain is invalid"}
	case years < 1 || years > 10:
		return nil, &failure{"2015182", "Years is invalid: 1 to 10"}
	case s.registered(name):
		return nil, &failure{"3019166", "Domain not available"}
	}
	for _, role := range []string{"Registrant", "Tech", "Admin", "AuxBilling"} {
		for _, f := range []string{"FirstName", "LastName", "Address1", "City", "StateProvince", "PostalCode", "Country", "Phone", "EmailAddress"} {
			if strings.TrimSpace(get(role+f)) == "" {
				return nil, &failure{"2011166", "Parameter " + role + f + " is Missing"}
			}
		}
		if !phone.MatchString(get(role + "Phone")) {
			return nil, &failure{"2015166", "Parameter " + role + "Phone is invalid: use +NNN.NNNNNNNNNN"}
		}
		if len(get(role+"Country")) != 2 {
			return nil, &failure{"2015166", "Parameter " + role + "Country is invalid"}
		}
	}
	var ns []string
	if v := get("Nameservers"); v != "" {
		ns = strings.Split(v, ",")
	}
	s.nextID++
	now := time.Now().UTC()
	d := &Domain{Name: name, Owner: user, ID: s.nextID, Years: years, Nameservers: ns,
		Registrant: get("RegistrantFirstName") + " " + get("RegistrantLastName"), Created: now, Expires: now.AddDate(years, 0, 0)}
	s.domains[name] = d
	type result struct {
		XMLName       xml.Name `xml:"DomainCreateResult"`
		Domain        string   `xml:"Domain,attr"`
		Registered    bool     `xml:"Registered,attr"`
		ChargedAmount string   `xml:"ChargedAmount,attr"`
		DomainID      int      `xml:"DomainID,attr"`
		OrderID       int      `xml:"OrderID,attr"`
		TransactionID int      `xml:"TransactionID,attr"`
		Whoisguard    bool     `xml:"WhoisguardEnable,attr"`
		NonRealTime   bool     `xml:"NonRealTimeDomain,attr"`
	}
	return result{Domain: name, Registered: true, ChargedAmount: fmt.Sprintf("%.2f", 10.87*float64(years)), DomainID: d.ID,
		OrderID: d.ID + 500000, TransactionID: d.ID + 900000}, nil
}

func (s *Server) transfer(user, name, epp string) (any, *failure) {
	switch {
	case !validDomain.MatchString(name):
		return nil, &failure{"2030166", "Domain is invalid"}
	case epp == "":
		return nil, &failure{"2011166", "Parameter EPPCode is Missing"}
	case s.domains[name] != nil && s.domains[name].Owner == user:
		return nil, &failure{"2017166", "Domain is already in your account"}
	}
	s.nextID++
	t := &Transfer{ID: s.nextID, Domain: name, Owner: user, Status: "Pending"}
	s.transfers = append(s.transfers, t)
	type result struct {
		XMLName    xml.Name `xml:"DomainTransferCreateResult"`
		DomainName string   `xml:"DomainName,attr"`
		Transfer   bool     `xml:"Transfer,attr"`
		TransferID int      `xml:"TransferID,attr"`
		StatusID   int      `xml:"StatusID,attr"`
		OrderID    int      `xml:"OrderID,attr"`
	}
	return result{DomainName: name, Transfer: true, TransferID: t.ID, StatusID: 11, OrderID: t.ID + 500000}, nil
}

func (s *Server) transferList(user, term string) (any, *failure) {
	type transfer struct {
		XMLName xml.Name `xml:"Transfer"`
		ID      int      `xml:"ID,attr"`
		Domain  string   `xml:"DomainName,attr"`
		Status  string   `xml:"Status,attr"`
	}
	type list struct {
		XMLName   xml.Name   `xml:"TransferGetListResult"`
		Transfers []transfer `xml:"Transfer"`
	}
	var out list
	for _, t := range s.transfers {
		if t.Owner == user && (term == "" || strings.Contains(t.Domain, term)) {
			out.Transfers = append(out.Transfers, transfer{ID: t.ID, Domain: t.Domain, Status: t.Status})
		}
	}
	return out, nil
}

func writeResponse(w http.ResponseWriter, command string, result any, fail *failure) {
	type apiError struct {
		Number string `xml:"Number,attr"`
		Text   string `xml:",chardata"`
	}
	type commandResponse struct {
		Type   string `xml:"Type,attr"`
		Result any
	}
	type envelope struct {
		XMLName  xml.Name         `xml:"http://api.namecheap.com/xml.response ApiResponse"`
		Status   string           `xml:"Status,attr"`
		Errors   []apiError       `xml:"Errors>Error"`
		Warnings string           `xml:"Warnings"`
		Command  string           `xml:"RequestedCommand"`
		Response *commandResponse `xml:"CommandResponse"`
		Server   string           `xml:"Server"`
		GMT      string           `xml:"GMTTimeDifference"`
		Exec     string           `xml:"ExecutionTime"`
	}
	env := envelope{Status: "OK", Command: command, Server: "SANDBOX", GMT: "--5:00", Exec: "0.01"}
	if fail != nil {
		env.Status, env.Errors = "ERROR", []apiError{{Number: fail.number, Text: fail.text}}
	} else {
		env.Response = &commandResponse{Type: command, Result: result}
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	_ = enc.Encode(env)
}

// CancelTransfer ends a pending transfer without the domain, as a losing registrar's refusal
// does.
func (s *Server) CancelTransfer(domain string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.transfers {
		if t.Domain == domain && t.Status == "Pending" {
			t.Status = "Cancelled"
		}
	}
}

// details is Namecheap's DomainDetails element: dates as MM/DD/YYYY.
type details struct {
	Created  string `xml:"CreatedDate"`
	Expired  string `xml:"ExpiredDate"`
	NumYears int    `xml:"NumYears"`
}

func detailsOf(d *Domain) details {
	return details{Created: d.Created.Format("01/02/2006"), Expired: d.Expires.Format("01/02/2006")}
}

// defaultNameservers are Namecheap's own, which a domain registered without custom ones uses.
var defaultNameservers = []string{"dns1.registrar-servers.com", "dns2.registrar-servers.com"}

// owned finds a domain of the account addressed as SLD and TLD, with Namecheap's errors.
func (s *Server) owned(user, name string) (*Domain, *failure) {
	d := s.domains[name]
	switch {
	case !validDomain.MatchString(name):
		return nil, &failure{"2030166", "Domain is invalid"}
	case d == nil && strings.HasPrefix(name, "taken"), d != nil && d.Owner != user:
		return nil, &failure{"2016166", "Domain is not associated with your account"}
	case d == nil:
		return nil, &failure{"2019166", "Domain not found"}
	}
	return d, nil
}

func sldTLD(get func(string) string) string {
	return strings.ToLower(get("SLD") + "." + get("TLD"))
}

func (s *Server) dnsList(user string, get func(string) string) (any, *failure) {
	name := sldTLD(get)
	d, f := s.owned(user, name)
	if f != nil {
		return nil, f
	}
	type result struct {
		XMLName     xml.Name `xml:"DomainDNSGetListResult"`
		Domain      string   `xml:"Domain,attr"`
		OurDNS      bool     `xml:"IsUsingOurDNS,attr"`
		Nameservers []string `xml:"Nameserver"`
	}
	if len(d.Nameservers) == 0 {
		return result{Domain: name, OurDNS: true, Nameservers: defaultNameservers}, nil
	}
	return result{Domain: name, Nameservers: d.Nameservers}, nil
}

func (s *Server) dnsSetCustom(user string, get func(string) string) (any, *failure) {
	name := sldTLD(get)
	d, f := s.owned(user, name)
	if f != nil {
		return nil, f
	}
	var ns []string
	for _, n := range strings.Split(get("Nameservers"), ",") {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			ns = append(ns, n)
		}
	}
	if len(ns) < 2 || len(ns) > 12 {
		return nil, &failure{"2011166", "Parameter Nameservers is invalid: 2 to 12 nameservers"}
	}
	for _, n := range ns {
		if !validDomain.MatchString(n) {
			return nil, &failure{"2011166", "Parameter Nameservers is invalid: " + n}
		}
	}
	d.Nameservers = ns
	type result struct {
		XMLName xml.Name `xml:"DomainDNSSetCustomResult"`
		Domain  string   `xml:"Domain,attr"`
		Updated bool     `xml:"Updated,attr"`
	}
	return result{Domain: name, Updated: true}, nil
}

func (s *Server) renew(user string, get func(string) string) (any, *failure) {
	name := strings.ToLower(get("DomainName"))
	d, f := s.owned(user, name)
	if f != nil {
		return nil, f
	}
	years, _ := strconv.Atoi(get("Years"))
	if years < 1 || years > 10 {
		return nil, &failure{"2015182", "Years is invalid: 1 to 10"}
	}
	d.Expires = d.Expires.AddDate(years, 0, 0)
	d.Years += years
	s.nextID++
	type result struct {
		XMLName       xml.Name `xml:"DomainRenewResult"`
		DomainName    string   `xml:"DomainName,attr"`
		DomainID      int      `xml:"DomainID,attr"`
		Renew         bool     `xml:"Renew,attr"`
		OrderID       int      `xml:"OrderID,attr"`
		TransactionID int      `xml:"TransactionID,attr"`
		ChargedAmount string   `xml:"ChargedAmount,attr"`
		Details       details  `xml:"DomainDetails"`
	}
	return result{DomainName: name, DomainID: d.ID, Renew: true, OrderID: s.nextID + 500000, TransactionID: s.nextID + 900000,
		ChargedAmount: fmt.Sprintf("%.4f", 10.87*float64(years)), Details: detailsOf(d)}, nil
}
