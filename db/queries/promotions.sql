-- name: CreatePromotion :one
INSERT INTO promotions (code, type, percent, amount, currency, recurring, product_ids, starts_on, expires_on, max_uses, notes)
VALUES (@code, @type, @percent, @amount, @currency, @recurring, @product_ids, @starts_on, @expires_on, @max_uses, @notes)
RETURNING *;

-- name: ListPromotions :many
-- Every promotion, or the one with @code (matched without regard to case).
SELECT * FROM promotions WHERE @code::text = '' OR lower(code) = lower(@code) ORDER BY id;

-- name: GetPromotionByCode :one
SELECT * FROM promotions WHERE lower(code) = lower(@code);

-- name: UsePromotion :one
-- Counts one use of a promotion; no row when it has been used the maximum number of times.
UPDATE promotions SET uses = uses + 1 WHERE id = @id AND (max_uses = 0 OR uses < max_uses) RETURNING id;

-- name: GetPromotion :one
SELECT * FROM promotions WHERE id = $1;

-- name: UpdatePromotion :one
-- An admin's edit of a promotion; its uses so far are counted by orders, never edited. No row
-- when it is gone, or when max_uses would be under the uses already counted (the caller tells
-- which).
UPDATE promotions SET code = @code, type = @type, percent = @percent, amount = @amount, currency = @currency,
    recurring = @recurring, product_ids = @product_ids, starts_on = @starts_on, expires_on = @expires_on,
    max_uses = @max_uses, notes = @notes
WHERE id = @id AND (@max_uses::integer = 0 OR uses <= @max_uses::integer)
RETURNING *;
