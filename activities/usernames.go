package activities

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/provisioning"
)

// Usernames are reserved per server in server_usernames, whose unique key decides: a service
// gets the first candidate its INSERT wins, never one it merely saw free, so concurrent orders
// on one server never pick the same name. A name the panel refuses as taken stays reserved for
// no service, so nobody picks it again.

// maxRefusals is how many generated names the panel may refuse as taken in one create before
// the service waits for an admin's Retry, which goes on with the next free name. Only names
// taken outside hostflow are refused (its own are decided by the database), so a burst of
// orders never reaches it; a panel that refuses every name does.
const maxRefusals = 20

// numbered is how many names the numeric scheme gives one base: the base itself, then 1 to
// 9,999,999 in place of its last letters.
const numbered = 10_000_000

// randomTries is how many names of the random scheme are tried once the numbered ones are
// all held.
const randomTries = 10_000

const randomAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// UsernameCandidate is the i-th username WHMCS's rules give a base (what UsernameFromDomain
// returns): the base, then the base with a number in place of its last letters, at most 8
// long (chaosbur, chaosbu1, ..., chaosb10, ..., c9999999). Past those, the base's first letter
// and 7 random letters and digits.
func UsernameCandidate(base string, i int) string {
	if i == 0 {
		return base
	}
	if i < numbered {
		suffix := strconv.Itoa(i)
		return base[:min(len(base), 8-len(suffix))] + suffix
	}
	buf := make([]byte, 7)
	_, _ = rand.Read(buf)
	for j, b := range buf {
		buf[j] = randomAlphabet[int(b)%len(randomAlphabet)]
	}
	return base[:1] + string(buf)
}

// accountName decides a service's username on a server before the panel is asked, and
// reserves it there: the admin's name (given now, or on an earlier Accept) is kept whatever
// happens; the name the service already holds on the server is kept, so a retry after a crash
// asks for the very same account; otherwise the first free name the domain gives. chosen
// reports an admin's name, which is never replaced.
func accountName(ctx context.Context, q *db.Queries, serverID int64, svc db.GetServiceRow) (name string, chosen bool, err error) {
	name, err = q.ChosenUsername(ctx, svc.ID)
	if err == nil {
		return name, true, reserveChosen(ctx, q, serverID, svc.ID, name)
	}
	if !dbtx.IsNoRows(err) {
		return "", false, fault.Wrap(err, "load the username chosen for service %d", svc.ID)
	}
	held, err := q.HeldUsername(ctx, svc.ID)
	if err != nil && !dbtx.IsNoRows(err) {
		return "", false, fault.Wrap(err, "load the username of service %d", svc.ID)
	}
	if err == nil && held.ServerID == serverID && held.Username == svc.Username {
		return held.Username, false, nil
	}
	// Nothing yet, or a name the service no longer holds: the panel refused it, or it was
	// shared with another service before names were reserved, or it is on another server.
	name, err = reserveGenerated(ctx, q, serverID, svc.ID, svc.Domain)
	return name, false, err
}

// chooseUsername records the admin's name for a service, in a transaction of its own: it is
// kept even when it cannot be reserved yet, so that a Retry asks for it again.
func (a *Activities) chooseUsername(ctx context.Context, serviceID int64, name string) error {
	err := a.q().ChooseUsername(ctx, db.ChooseUsernameParams{ServiceID: serviceID, Username: name})
	return fault.Wrap(err, "save the username chosen for service %d", serviceID)
}

// reserveChosen gives a service the admin's name on a server, letting go of any other it held.
// A name another live service holds is refused, without asking the panel.
func reserveChosen(ctx context.Context, q *db.Queries, serverID, serviceID int64, name string) error {
	if err := q.ReleaseUsernames(ctx, db.ReleaseUsernamesParams{ServiceID: serviceID, ServerID: serverID, Username: name}); err != nil {
		return fault.Wrap(err, "release the usernames of service %d", serviceID)
	}
	_, err := q.ReserveChosenUsername(ctx, db.ReserveChosenUsernameParams{ServerID: serverID, Username: name, ServiceID: serviceID})
	if dbtx.IsNoRows(err) {
		return permanent.Wrap(fmt.Errorf("%w: %s is another service's on server %d", provisioning.ErrUsernameTaken, name, serverID))
	}
	return fault.Wrap(err, "reserve username %s", name)
}

// reserveGenerated gives a service the first free name its domain gives on a server, letting
// go of any other it held. The INSERT decides: a name another order takes between the look and
// the insert is that order's, and the next one is tried.
func reserveGenerated(ctx context.Context, q *db.Queries, serverID, serviceID int64, domain string) (string, error) {
	if err := q.ReleaseUsernames(ctx, db.ReleaseUsernamesParams{ServiceID: serviceID, ServerID: serverID}); err != nil {
		return "", fault.Wrap(err, "release the usernames of service %d", serviceID)
	}
	base := UsernameFromDomain(domain)
	for start, size := 0, 16; start < numbered+randomTries; start, size = start+size, min(2*size, 1024) {
		batch := make([]string, 0, size)
		for i := start; i < start+size; i++ {
			batch = append(batch, UsernameCandidate(base, i))
		}
		free, err := q.FreeUsernames(ctx, db.FreeUsernamesParams{ServerID: serverID, Candidates: batch})
		if err != nil {
			return "", fault.Wrap(err, "look for a free username for %s", domain)
		}
		for _, name := range free {
			got, err := q.ReserveUsername(ctx, db.ReserveUsernameParams{ServerID: serverID, Username: name, ServiceID: serviceID})
			if dbtx.IsNoRows(err) {
				continue // another order's insert came first
			}
			return got, fault.Wrap(err, "reserve username %s", name)
		}
	}
	return "", permanent.Wrap(fmt.Errorf("no free username for %s on server %d", domain, serverID))
}
