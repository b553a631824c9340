-- +goose Up
-- Whatever changes an order tells listeners (the console's live pages) its id, when the change
-- commits: the audit trail (every lifecycle write and payment adds a line) and the order's own
-- row (what it waits for, its notes). Identical notices of one transaction arrive once.
-- +goose StatementBegin
CREATE FUNCTION notify_order_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'orders' THEN
        PERFORM pg_notify('hostflow_order', NEW.id::text);
    ELSE
        PERFORM pg_notify('hostflow_order', NEW.order_id::text);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER orders_notify AFTER INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION notify_order_changed();
CREATE TRIGGER order_events_notify AFTER INSERT ON order_events FOR EACH ROW EXECUTE FUNCTION notify_order_changed();

-- +goose Down
DROP TRIGGER order_events_notify ON order_events;
DROP TRIGGER orders_notify ON orders;
DROP FUNCTION notify_order_changed();
