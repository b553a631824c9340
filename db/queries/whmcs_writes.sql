-- name: SetServicePassword :exec
UPDATE order_services SET password = $2, updated_at = now() WHERE id = $1;

-- name: SetInvoiceDueDate :exec
UPDATE invoices SET due_at = $2 WHERE id = $1;
