-- +goose Up
-- Each server's live accounts (its services Active or Suspended), kept by a trigger: the Servers
-- page and PickServer read one number a server instead of counting its accounts each time,
-- which at hundreds of servers of a thousand accounts each was most of their time.
ALTER TABLE servers ADD COLUMN accounts bigint NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE FUNCTION recount_server_accounts() RETURNS void LANGUAGE sql AS $$
    UPDATE servers s SET accounts = (SELECT count(*) FROM order_services os
        WHERE os.server_id = s.id AND os.status IN ('Active', 'Suspended'));
$$;

CREATE FUNCTION count_server_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was boolean := TG_OP <> 'INSERT' AND OLD.server_id IS NOT NULL AND OLD.status IN ('Active', 'Suspended');
    now boolean := TG_OP <> 'DELETE' AND NEW.server_id IS NOT NULL AND NEW.status IN ('Active', 'Suspended');
BEGIN
    IF was AND now AND OLD.server_id = NEW.server_id THEN
        RETURN NULL; -- still one live account of the same server
    END IF;
    IF was THEN
        UPDATE servers SET accounts = accounts - 1 WHERE id = OLD.server_id;
    END IF;
    IF now THEN
        UPDATE servers SET accounts = accounts + 1 WHERE id = NEW.server_id;
    END IF;
    RETURN NULL;
END;
$$;

-- A TRUNCATE fires no row trigger: the counts are taken again.
CREATE FUNCTION server_accounts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM recount_server_accounts();
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

SELECT recount_server_accounts();
CREATE TRIGGER order_services_server_accounts AFTER INSERT OR DELETE OR UPDATE OF server_id, status ON order_services
    FOR EACH ROW EXECUTE FUNCTION count_server_accounts();
CREATE TRIGGER order_services_server_accounts_truncate AFTER TRUNCATE ON order_services
    FOR EACH STATEMENT EXECUTE FUNCTION server_accounts_truncated();

-- +goose Down
DROP TRIGGER order_services_server_accounts_truncate ON order_services;
DROP TRIGGER order_services_server_accounts ON order_services;
DROP FUNCTION server_accounts_truncated();
DROP FUNCTION count_server_accounts();
DROP FUNCTION recount_server_accounts();
ALTER TABLE servers DROP COLUMN accounts;
