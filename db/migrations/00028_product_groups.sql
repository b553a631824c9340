-- +goose Up
-- Product groups (WHMCS's Configuration → Products/Services → Create a New Group): the store
-- lists products under their groups, in the groups' order (position, then id), and leaves a
-- hidden group out as it leaves a hidden product out. A product's group may be NULL: the
-- products made before groups existed, or by a REST call that names none, keep working, and the
-- store lists them after the groups.
CREATE TABLE product_groups (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL CHECK (name <> ''),
    position   integer NOT NULL DEFAULT 0,
    hidden     boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A group is deleted only once it holds no product (no ON DELETE): catalog refuses it by name.
-- description is the store's text for the product (WHMCS's Product Description); stock is
-- WHMCS's Stock Control: NULL when the product is not counted, else how many are left to sell.
ALTER TABLE products
    ADD COLUMN group_id bigint REFERENCES product_groups (id),
    ADD COLUMN description text NOT NULL DEFAULT '',
    ADD COLUMN stock integer CHECK (stock >= 0);
CREATE INDEX products_group ON products (group_id);

-- Deleting a product asks how many orders use it, and the foreign key from order_services
-- checks the same: without an index both would read every service of every order.
CREATE INDEX order_services_product ON order_services (product_id);

-- +goose Down
DROP INDEX order_services_product;
ALTER TABLE products DROP COLUMN stock, DROP COLUMN description, DROP COLUMN group_id;
DROP TABLE product_groups;
