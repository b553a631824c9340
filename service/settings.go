package service

import (
	"context"
	"strconv"

	"github.com/hostflow/hostflow/db"
)

// settingRules validates each setting an admin may change.
var settingRules = map[string]func(string) bool{
	SettingFraudThreshold: func(v string) bool {
		f, err := strconv.ParseFloat(v, 64)
		return err == nil && f >= 0 && f <= 100
	},
}

// Settings returns every stored setting.
func (s *Service) Settings(ctx context.Context) (map[string]string, error) {
	rows, err := s.q().ListSettings(ctx)
	if err != nil {
		return nil, wrap(err, "list settings")
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.Key] = r.Value
	}
	return out, nil
}

// PutSettings validates and stores settings in one transaction: all or none.
func (s *Service) PutSettings(ctx context.Context, values map[string]string) error {
	for k, v := range values {
		valid, known := settingRules[k]
		if !known {
			return invalid(k, "unknown setting")
		}
		if !valid(v) {
			return invalid(k, "invalid value %q", v)
		}
	}
	return s.inTx(ctx, func(q *db.Queries) error {
		for k, v := range values {
			if err := q.PutSetting(ctx, db.PutSettingParams{Key: k, Value: v}); err != nil {
				return wrap(err, "put setting "+k)
			}
		}
		return nil
	})
}
