-- Setup → Products/Services: editing and deleting products, and their groups.

-- name: UpdateProduct :one
UPDATE products SET name = @name, type = @type, module = @module, auto_setup = @auto_setup, welcome_email = @welcome_email,
    package_name = @package_name, server_group = @server_group, group_id = @group_id, description = @description,
    hidden = @hidden, stock = @stock, taxable = @taxable
WHERE id = @id
RETURNING *;

-- name: LockProduct :one
-- Holds the product while its prices are replaced or it is deleted: an order placed meanwhile
-- (which reads the product and its prices) sees it before or after, never half-edited.
SELECT * FROM products WHERE id = @id FOR UPDATE;

-- name: DeleteProductPrices :exec
DELETE FROM product_prices WHERE product_id = @product_id;

-- name: CountProductOrders :one
-- How many orders have a service of the product: such a product is never deleted, as the
-- orders, their invoices and the audit trail name it.
SELECT count(DISTINCT order_id)::bigint FROM order_services WHERE product_id = @product_id;

-- name: DeleteProduct :execrows
DELETE FROM products WHERE id = @id;

-- name: CreateProductGroup :one
INSERT INTO product_groups (name, position, hidden) VALUES (@name, @position, @hidden) RETURNING *;

-- name: UpdateProductGroup :one
UPDATE product_groups SET name = @name, position = @position, hidden = @hidden WHERE id = @id RETURNING *;

-- name: GetProductGroup :one
SELECT * FROM product_groups WHERE id = @id;

-- name: LockProductGroup :one
SELECT * FROM product_groups WHERE id = @id FOR UPDATE;

-- name: ListProductGroups :many
-- The groups in the store's order.
SELECT * FROM product_groups ORDER BY position, id;

-- name: CountGroupProducts :one
SELECT count(*)::bigint FROM products WHERE group_id = @group_id;

-- name: DeleteProductGroup :execrows
DELETE FROM product_groups WHERE id = @id;

-- name: NextProductGroupPosition :one
-- Where a group created without a position goes: after the last.
SELECT COALESCE(max(position) + 1, 1)::integer FROM product_groups;

-- name: TakeStock :one
-- Stock Control: one sold. No row for a product whose stock is not counted; a stock below 0
-- after it means none was left, and the order's first write is refused.
UPDATE products SET stock = stock - 1 WHERE id = @id AND stock IS NOT NULL RETURNING stock;
