-- A signed-in client's own emails (package clients), for the client area's Email History: those
-- sent to the client (client_id; NULL for an email to staff), newest first through
-- emails_client (client_id, id DESC). Every query names the client: another client's email is
-- no row, as an unknown id is. An email recorded but not sent (yet, or refused) is not shown.

-- name: ClientEmails :many
-- A page of a client's sent emails, newest first, without their text.
SELECT id, template, recipient, subject, sent_at
FROM emails
WHERE client_id = @client_id::bigint AND sent_at IS NOT NULL
ORDER BY id DESC
LIMIT @lim OFFSET @off;

-- name: ClientEmail :one
-- One of a client's sent emails, with its text as sent.
SELECT id, template, recipient, subject, body, sent_at
FROM emails
WHERE id = @id AND client_id = @client_id::bigint AND sent_at IS NOT NULL;
