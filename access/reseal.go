package access

import (
	"context"
	"errors"
	"fmt"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/secrets"
)

// resealBatch is how many stale values ResealSecrets reads at a time.
const resealBatch = 200

// sealedValue is one stored sealed value, by its row's key.
type sealedValue[K comparable] struct {
	key    K
	sealed []byte
}

// sealedColumn is a column that holds sealed values: how to list its stale values after a
// cursor, how to write one back if the row still holds what was read, and its binding.
type sealedColumn[K comparable] struct {
	name  string
	stale func(ctx context.Context, q *db.Queries, after K, prefix []byte) ([]sealedValue[K], error)
	put   func(ctx context.Context, q *db.Queries, key K, was, sealed []byte) (int64, error)
	bind  func(K) secrets.Binding
}

// The columns that hold sealed values.
var (
	servicePasswords = sealedColumn[int64]{name: "order_services.password", bind: secrets.ServicePassword,
		stale: func(ctx context.Context, q *db.Queries, after int64, prefix []byte) ([]sealedValue[int64], error) {
			rows, err := q.StaleServicePasswords(ctx, db.StaleServicePasswordsParams{After: after, Prefix: prefix, Lim: resealBatch})
			return dbtx.Views(rows, func(r db.StaleServicePasswordsRow) sealedValue[int64] { return sealedValue[int64]{r.ID, r.Password} }), err
		},
		put: func(ctx context.Context, q *db.Queries, id int64, was, sealed []byte) (int64, error) {
			return q.ResealServicePassword(ctx, db.ResealServicePasswordParams{ID: id, Was: was, Sealed: sealed})
		}}
	serviceRootPasswords = sealedColumn[int64]{name: "order_services.root_password", bind: secrets.ServiceRootPassword,
		stale: func(ctx context.Context, q *db.Queries, after int64, prefix []byte) ([]sealedValue[int64], error) {
			rows, err := q.StaleServiceRootPasswords(ctx, db.StaleServiceRootPasswordsParams{After: after, Prefix: prefix, Lim: resealBatch})
			return dbtx.Views(rows, func(r db.StaleServiceRootPasswordsRow) sealedValue[int64] {
				return sealedValue[int64]{r.ID, r.RootPassword}
			}), err
		},
		put: func(ctx context.Context, q *db.Queries, id int64, was, sealed []byte) (int64, error) {
			return q.ResealServiceRootPassword(ctx, db.ResealServiceRootPasswordParams{ID: id, Was: was, Sealed: sealed})
		}}
	domainEPPCodes = sealedColumn[int64]{name: "order_domains.epp_code", bind: secrets.DomainEPPCode,
		stale: func(ctx context.Context, q *db.Queries, after int64, prefix []byte) ([]sealedValue[int64], error) {
			rows, err := q.StaleDomainEPPCodes(ctx, db.StaleDomainEPPCodesParams{After: after, Prefix: prefix, Lim: resealBatch})
			return dbtx.Views(rows, func(r db.StaleDomainEPPCodesRow) sealedValue[int64] { return sealedValue[int64]{r.ID, r.EppCode} }), err
		},
		put: func(ctx context.Context, q *db.Queries, id int64, was, sealed []byte) (int64, error) {
			return q.ResealDomainEPPCode(ctx, db.ResealDomainEPPCodeParams{ID: id, Was: was, Sealed: sealed})
		}}
	cartEPPCodes = sealedColumn[int64]{name: "cart_items.epp_code", bind: secrets.CartEPPCode,
		stale: func(ctx context.Context, q *db.Queries, after int64, prefix []byte) ([]sealedValue[int64], error) {
			rows, err := q.StaleCartEPPCodes(ctx, db.StaleCartEPPCodesParams{After: after, Prefix: prefix, Lim: resealBatch})
			return dbtx.Views(rows, func(r db.StaleCartEPPCodesRow) sealedValue[int64] { return sealedValue[int64]{r.ID, r.EppCode} }), err
		},
		put: func(ctx context.Context, q *db.Queries, id int64, was, sealed []byte) (int64, error) {
			return q.ResealCartEPPCode(ctx, db.ResealCartEPPCodeParams{ID: id, Was: was, Sealed: sealed})
		}}
	serverCredentials = sealedColumn[int64]{name: "servers.credentials", bind: secrets.ServerCredentials,
		stale: func(ctx context.Context, q *db.Queries, after int64, prefix []byte) ([]sealedValue[int64], error) {
			rows, err := q.StaleServerCredentials(ctx, db.StaleServerCredentialsParams{After: after, Prefix: prefix, Lim: resealBatch})
			return dbtx.Views(rows, func(r db.StaleServerCredentialsRow) sealedValue[int64] {
				return sealedValue[int64]{r.ID, r.Credentials}
			}), err
		},
		put: func(ctx context.Context, q *db.Queries, id int64, was, sealed []byte) (int64, error) {
			return q.ResealServerCredentials(ctx, db.ResealServerCredentialsParams{ID: id, Was: was, Sealed: sealed})
		}}
	gatewaySecrets = sealedColumn[string]{name: "gateways.secret", bind: secrets.GatewaySecret,
		stale: func(ctx context.Context, q *db.Queries, after string, prefix []byte) ([]sealedValue[string], error) {
			rows, err := q.StaleGatewaySecrets(ctx, db.StaleGatewaySecretsParams{After: after, Prefix: prefix, Lim: resealBatch})
			return dbtx.Views(rows, func(r db.StaleGatewaySecretsRow) sealedValue[string] { return sealedValue[string]{r.Name, r.Secret} }), err
		},
		put: func(ctx context.Context, q *db.Queries, name string, was, sealed []byte) (int64, error) {
			return q.ResealGatewaySecret(ctx, db.ResealGatewaySecretParams{Name: name, Was: was, Sealed: sealed})
		}}
)

// ResealSecrets binds every sealed value stored before bindings to the row and column it lies
// in, and seals again with the current key every value the previous key sealed
// (HOSTFLOW_SECRET_KEY_PREVIOUS), so that the previous key can then be dropped. It reads in
// batches and writes a row back only if it still holds what was read, so it is safe to run on
// every start, by several processes at once, while the worker writes. A value that does not
// open is left as it is and logged: it does not stop the rest.
func (s *Access) ResealSecrets(ctx context.Context) error {
	return errors.Join(resealColumn(ctx, s, servicePasswords), resealColumn(ctx, s, serviceRootPasswords), resealColumn(ctx, s, domainEPPCodes),
		resealColumn(ctx, s, cartEPPCodes), resealColumn(ctx, s, serverCredentials), resealColumn(ctx, s, gatewaySecrets))
}

// resealColumn reseals one column's stale values, a batch at a time, in key order.
func resealColumn[K comparable](ctx context.Context, s *Access, c sealedColumn[K]) error {
	q, prefix := s.q(), s.secrets.Prefix()
	var after K
	resealed, unopened := 0, 0
	for {
		batch, err := c.stale(ctx, q, after, prefix)
		if err != nil {
			return fmt.Errorf("reseal %s: %w", c.name, err)
		}
		for _, v := range batch {
			after = v.key
			sealed, changed, err := s.secrets.Rebind(v.sealed, c.bind(v.key), c.bind(v.key))
			if err != nil {
				unopened++
				s.log.Warn("sealed secret could not be opened; left as it is", zap.String("column", c.name),
					zap.Any("row", v.key), zap.Error(err))
				continue
			}
			if !changed {
				continue
			}
			n, err := c.put(ctx, q, v.key, v.sealed, sealed)
			if err != nil {
				return fmt.Errorf("reseal %s of %v: %w", c.name, v.key, err)
			}
			resealed += int(n) // 0: the row changed since it was read, and was sealed anew then
		}
		if len(batch) < resealBatch {
			break
		}
	}
	if resealed > 0 || unopened > 0 {
		s.log.Info("sealed secrets resealed", zap.String("column", c.name), zap.Int("resealed", resealed), zap.Int("unopened", unopened))
	}
	return nil
}
