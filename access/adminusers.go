package access

import (
	"context"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
)

// AdminInfo is an admin as Setup > Administrators lists them. The last sign-in is not stored:
// LiveSessions and SignedInAt (the newest live session's start, nil without one) say who is
// signed in now.
type AdminInfo struct {
	Admin
	LiveSessions int
	SignedInAt   *time.Time
}

// Reasons an admin change is refused.
const (
	ReasonDeactivateSelf = "you cannot deactivate yourself: another admin must"
	ReasonActorInactive  = "you are no longer an active admin"
)

// Admins lists every admin, active or not, oldest first.
func (s *Access) Admins(ctx context.Context) ([]AdminInfo, error) {
	rows, err := s.q().ListAdmins(ctx)
	if err != nil {
		return nil, fault.Wrap(err, "list admins")
	}
	out := make([]AdminInfo, len(rows))
	for i, r := range rows {
		out[i] = AdminInfo{Admin: Admin{ID: r.ID, Email: r.Email, Name: r.Name, Active: r.Active, CreatedAt: r.CreatedAt.Time},
			LiveSessions: int(r.LiveSessions), SignedInAt: dbtx.TimeOf(r.SignedInAt)}
	}
	return out, nil
}

// AdminByID returns admin id, or a NotFound refusal.
func (s *Access) AdminByID(ctx context.Context, id int64) (Admin, error) {
	row, err := s.q().GetAdmin(ctx, id)
	if err != nil {
		return Admin{}, fault.Wrap(fault.OrAbsent(err, "no such admin"), "get admin")
	}
	return adminFrom(row), nil
}

// SetAdminActive deactivates or reactivates admin id on the word of admin by. Nobody
// deactivates themself, so an active admin always remains to undo it, and by must still be
// active: two admins deactivating each other at once are serialised by the rows' locks, and
// the second is refused. Deactivating ends the admin's sessions in the same transaction, so
// their next request meets the sign-in page and reactivating them revives no old session.
func (s *Access) SetAdminActive(ctx context.Context, id int64, active bool, by int64) (Admin, error) {
	if !active && id == by {
		return Admin{}, &fault.Error{Kind: fault.Conflict, Message: ReasonDeactivateSelf}
	}
	var a Admin
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		locked, err := q.LockAdmins(ctx, []int64{id, by})
		if err != nil {
			return fault.Wrap(err, "lock admins")
		}
		found := false
		for _, l := range locked {
			switch {
			case l.ID == by && !l.Active:
				return &fault.Error{Kind: fault.Conflict, Message: ReasonActorInactive}
			case l.ID == id:
				found = true
			}
		}
		if !found {
			return fault.Absent("no such admin")
		}
		row, err := q.SetAdminActive(ctx, db.SetAdminActiveParams{ID: id, Active: active})
		if err != nil {
			return fault.Wrap(err, "set admin active")
		}
		a = adminFrom(row)
		if !active {
			_, err := q.DeleteAdminSessionsOf(ctx, id)
			return fault.Wrap(err, "end admin sessions")
		}
		return nil
	})
	return a, err
}

// SetAdminPassword gives admin id a new password, under the rule CreateAdmin applies, and
// ends their sessions: a reset is what follows a password someone else may know, so every
// browser signed in with the old one signs in again.
func (s *Access) SetAdminPassword(ctx context.Context, id int64, password string) (Admin, error) {
	if err := checkAdminPassword(password); err != nil {
		return Admin{}, err
	}
	hash := hashPassword(password)
	var a Admin
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		row, err := q.SetAdminPassword(ctx, db.SetAdminPasswordParams{ID: id, PasswordHash: hash})
		if err != nil {
			return fault.Wrap(fault.OrAbsent(err, "no such admin"), "set admin password")
		}
		a = adminFrom(row)
		_, err = q.DeleteAdminSessionsOf(ctx, id)
		return fault.Wrap(err, "end admin sessions")
	})
	return a, err
}
