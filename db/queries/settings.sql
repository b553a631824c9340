-- name: GetSetting :one
SELECT value FROM settings WHERE key = @key;

-- name: LockUnpaidPolicyShared :exec
-- Taken by whatever reads the unpaid-cancel setting for an order (its first write, a reopen),
-- before the read: a change of the setting takes the lock alone (LockUnpaidPolicy) before it
-- tells the waiting orders, so an order written meanwhile either reads the new value or is
-- committed in time to be told.
SELECT pg_advisory_xact_lock_shared(hashtextextended('settings:cancel_unpaid_after_days', 0));

-- name: LockUnpaidPolicy :exec
SELECT pg_advisory_xact_lock(hashtextextended('settings:cancel_unpaid_after_days', 0));
