-- +goose Up
-- Fast lists at millions of orders. Totals (the console's tabs and dashboard, WHMCS's
-- totalresults) come from list_counts, which triggers keep: one row per table, status, what an
-- order waits for, and slot. Each backend adds to its own slot (its pid modulo 8), so that
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
CREATE FUNCTION list_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    my_slot integer := pg_backend_pid() % 8;
    old_status text;
    old_waiting text := '';
    new_status text;
    new_waiting text := '';
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_status := OLD.status;
        IF TG_TABLE_NAME = 'orders' THEN old_waiting := OLD.waiting_for; END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_status := NEW.status;
        IF TG_TABLE_NAME = 'orders' THEN new_waiting := NEW.waiting_for; END IF;
    END IF;
    IF old_status IS NOT DISTINCT FROM new_status AND old_waiting = new_waiting THEN
        RETURN NULL;
    END IF;
    -- Both counter rows in key order, so that two writers never take them crosswise.
    INSERT INTO list_counts AS c (tbl, status, waiting_for, slot, n)
    SELECT TG_TABLE_NAME, d.status, d.waiting_for, my_slot, sum(d.n)
    FROM (VALUES (old_status, old_waiting, -1), (new_status, new_waiting, 1)) AS d (status, waiting_for, n)
    WHERE d.status IS NOT NULL
    GROUP BY d.status, d.waiting_for
    ORDER BY d.status, d.waiting_for
    ON CONFLICT (tbl, status, waiting_for, slot) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- recount_list_counts counts again from the tables, for a database loaded with the triggers off.
CREATE FUNCTION recount_list_counts() RETURNS void LANGUAGE plpgsql AS $$
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
CREATE FUNCTION list_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM list_counts WHERE tbl = TG_TABLE_NAME;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER orders_list_counts AFTER INSERT OR DELETE OR UPDATE OF status, waiting_for ON orders
    FOR EACH ROW EXECUTE FUNCTION list_counts_changed();
CREATE TRIGGER invoices_list_counts AFTER INSERT OR DELETE OR UPDATE OF status ON invoices
    FOR EACH ROW EXECUTE FUNCTION list_counts_changed();
CREATE TRIGGER clients_list_counts AFTER INSERT OR DELETE OR UPDATE OF status ON clients
    FOR EACH ROW EXECUTE FUNCTION list_counts_changed();
CREATE TRIGGER orders_list_counts_truncate AFTER TRUNCATE ON orders FOR EACH STATEMENT EXECUTE FUNCTION list_counts_truncated();
CREATE TRIGGER invoices_list_counts_truncate AFTER TRUNCATE ON invoices FOR EACH STATEMENT EXECUTE FUNCTION list_counts_truncated();
CREATE TRIGGER clients_list_counts_truncate AFTER TRUNCATE ON clients FOR EACH STATEMENT EXECUTE FUNCTION list_counts_truncated();
SELECT recount_list_counts();

-- +goose Down
DROP TRIGGER clients_list_counts_truncate ON clients;
DROP TRIGGER invoices_list_counts_truncate ON invoices;
DROP TRIGGER orders_list_counts_truncate ON orders;
DROP TRIGGER clients_list_counts ON clients;
DROP TRIGGER invoices_list_counts ON invoices;
DROP TRIGGER orders_list_counts ON orders;
DROP FUNCTION list_counts_truncated();
DROP FUNCTION recount_list_counts();
DROP FUNCTION list_counts_changed();
DROP TABLE list_counts;
