-- Setup > Administrators (package access, admins.go): the admins as the console lists and
-- changes them. Sign-in and sessions are in console.sql.

-- name: ListAdmins :many
-- Every admin, oldest first, with their live sessions: last sign-in is not stored, so the
-- newest live session's start is the freshest sign-in known.
SELECT a.id, a.email, a.name, a.active, a.created_at,
       count(s.id_hash)::int AS live_sessions,
       max(s.created_at)::timestamptz AS signed_in_at
FROM admins a
LEFT JOIN admin_sessions s ON s.admin_id = a.id AND s.idle_expires_at > now() AND s.absolute_expires_at > now()
GROUP BY a.id
ORDER BY a.id;

-- name: GetAdmin :one
SELECT * FROM admins WHERE id = @id;

-- name: LockAdmins :many
-- Locks the admins a change concerns, in id order so that two changes never deadlock: two
-- admins deactivating each other at once are serialised, and the second finds itself inactive.
SELECT id, active FROM admins WHERE id = ANY(@ids::bigint[]) ORDER BY id FOR UPDATE;

-- name: SetAdminActive :one
UPDATE admins SET active = @active WHERE id = @id RETURNING *;

-- name: SetAdminPassword :one
UPDATE admins SET password_hash = @password_hash WHERE id = @id RETURNING *;

-- name: DeleteAdminSessionsOf :execrows
-- Ends every session of an admin: deactivated or given a new password, they sign in again.
DELETE FROM admin_sessions WHERE admin_id = @admin_id;
