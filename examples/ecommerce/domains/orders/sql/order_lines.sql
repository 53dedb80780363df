-- orders.order_lines: order lines from the shop database export (input `shop_order_lines`).
-- Money is cast to DECIMAL before any arithmetic, so the amounts add up to the cent.
WITH typed AS (
    SELECT
        CAST(order_id AS BIGINT)           AS order_id,
        CAST(line_no AS INTEGER)           AS line_number,
        CAST(product_id AS BIGINT)         AS product_id,
        CAST(qty AS INTEGER)               AS quantity,
        CAST(unit_price AS DECIMAL(10,2))  AS unit_price,
        CAST(discount AS DECIMAL(10,2))    AS discount_amount
    FROM shop_order_lines
)
SELECT
    CAST(order_id * 100 + line_number AS BIGINT)                    AS order_line_id,
    order_id,
    line_number,
    product_id,
    quantity,
    unit_price,
    discount_amount,
    CAST(quantity * unit_price - discount_amount AS DECIMAL(12,2))  AS line_amount
FROM typed
