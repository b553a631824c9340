-- +goose Up
-- Fast lists at millions of orders. Totals (the console's tabs and dashboard, WHMCS's
-- totalresults) come from list_counts, which triggers keep: one row per table, status, what an
-- order waits for, and slot. Each backend adds to its own slot (its pid modulo 32), so that
-- concurrent writers seldom wait for one another's counter row; a total is the sum of its slots.
CREATE TABLE list_counts (
    tbl         text    NOT NULL,
    status      text    NOT NULL,
    waiting_for text    NOT NULL DEFAULT '',
    slot        integer NOT NULL,
    n           bigint  NOT NULL,
    PRIMARY KEY (tbl, status, waiting_for, slot)
);

-- +goose StatementBegin
-- list_counts_changed adds what one statement changed to the counts: per status (and what an
-- order waits for), the rows that came less the rows that went, one upsert per count that
-- moved and none for an update that moved none. A statement-level trigger, so that a statement
-- touching many rows writes each counter row once, not once per row. Its own search_path, so
-- that a restore or a session with another one still finds list_counts.
CREATE FUNCTION list_counts_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    my_slot integer := pg_backend_pid() % 32;
BEGIN
    -- Each branch reads only its event's transition tables (PL/pgSQL plans a statement when it
    -- first runs it). Counter rows are taken in key order, so that two statements never take
    -- them crosswise.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO list_counts AS c (tbl, status, waiting_for, slot, n)
        SELECT TG_TABLE_NAME, r.status, coalesce(to_jsonb(r) ->> 'waiting_for', ''), my_slot, count(*)
        FROM new_rows r GROUP BY 2, 3 ORDER BY 2, 3
        ON CONFLICT (tbl, status, waiting_for, slot) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO list_counts AS c (tbl, status, waiting_for, slot, n)
        SELECT TG_TABLE_NAME, r.status, coalesce(to_jsonb(r) ->> 'waiting_for', ''), my_slot, -count(*)
        FROM old_rows r GROUP BY 2, 3 ORDER BY 2, 3
        ON CONFLICT (tbl, status, waiting_for, slot) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO list_counts AS c (tbl, status, waiting_for, slot, n)
        SELECT TG_TABLE_NAME, m.status, m.waiting_for, my_slot, sum(m.n)
        FROM (SELECT r.status, coalesce(to_jsonb(r) ->> 'waiting_for', '') AS waiting_for, -1 AS n FROM old_rows r
              UNION ALL
              SELECT r.status, coalesce(to_jsonb(r) ->> 'waiting_for', ''), 1 FROM new_rows r) m
        GROUP BY m.status, m.waiting_for HAVING sum(m.n) <> 0 ORDER BY m.status, m.waiting_for
        ON CONFLICT (tbl, status, waiting_for, slot) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- recount_list_counts counts again from the tables, for a database loaded with the triggers off.
CREATE FUNCTION recount_list_counts() RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    LOCK TABLE orders, invoices, clients IN SHARE MODE;
    DELETE FROM list_counts;
    INSERT INTO list_counts (tbl, status, waiting_for, slot, n)
    SELECT 'orders', status, waiting_for, 0, count(*) FROM orders GROUP BY status, waiting_for
    UNION ALL SELECT 'invoices', status, '', 0, count(*) FROM invoices GROUP BY status
    UNION ALL SELECT 'clients', status, '', 0, count(*) FROM clients GROUP BY status;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- A truncated table (which fires no row triggers) counts nothing.
CREATE FUNCTION list_counts_truncated() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM list_counts WHERE tbl = TG_TABLE_NAME;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER orders_list_counts_insert AFTER INSERT ON orders REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION list_counts_changed();
CREATE TRIGGER orders_list_counts_update AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION list_counts_changed();
CREATE TRIGGER orders_list_counts_delete AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION list_counts_changed();
CREATE TRIGGER invoices_list_counts_insert AFTER INSERT ON invoices REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION list_counts_changed();
CREATE TRIGGER invoices_list_counts_update AFTER UPDATE ON invoices REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION list_counts_changed();
CREATE TRIGGER invoices_list_counts_delete AFTER DELETE ON invoices REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION list_counts_changed();
CREATE TRIGGER clients_list_counts_insert AFTER INSERT ON clients REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION list_counts_changed();
CREATE TRIGGER clients_list_counts_update AFTER UPDATE ON clients REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION list_counts_changed();
CREATE TRIGGER clients_list_counts_delete AFTER DELETE ON clients REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION list_counts_changed();
CREATE TRIGGER orders_list_counts_truncate AFTER TRUNCATE ON orders FOR EACH STATEMENT EXECUTE FUNCTION list_counts_truncated();
CREATE TRIGGER invoices_list_counts_truncate AFTER TRUNCATE ON invoices FOR EACH STATEMENT EXECUTE FUNCTION list_counts_truncated();
CREATE TRIGGER clients_list_counts_truncate AFTER TRUNCATE ON clients FOR EACH STATEMENT EXECUTE FUNCTION list_counts_truncated();
SELECT recount_list_counts();

-- +goose Down
DROP TRIGGER clients_list_counts_truncate ON clients;
DROP TRIGGER invoices_list_counts_truncate ON invoices;
DROP TRIGGER orders_list_counts_truncate ON orders;
DROP TRIGGER clients_list_counts_delete ON clients;
DROP TRIGGER clients_list_counts_update ON clients;
DROP TRIGGER clients_list_counts_insert ON clients;
DROP TRIGGER invoices_list_counts_delete ON invoices;
DROP TRIGGER invoices_list_counts_update ON invoices;
DROP TRIGGER invoices_list_counts_insert ON invoices;
DROP TRIGGER orders_list_counts_delete ON orders;
DROP TRIGGER orders_list_counts_update ON orders;
DROP TRIGGER orders_list_counts_insert ON orders;
DROP FUNCTION list_counts_truncated();
DROP FUNCTION recount_list_counts();
DROP FUNCTION list_counts_changed();
DROP TABLE list_counts;
