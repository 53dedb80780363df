-- orders.orders: the latest version of each order from the shop's change export (input
-- `order_changes`). The export repeats an order once per captured change and sometimes delivers
-- a row twice; statuses written before March 2026 are in upper case.
SELECT
    CAST(order_id AS BIGINT)                AS order_id,
    CAST(customer_id AS BIGINT)             AS customer_id,
    CAST(web_session_id AS VARCHAR)         AS session_id,
    CAST(lower(channel) AS VARCHAR)         AS channel,
    CAST(lower(status) AS VARCHAR)          AS status,
    CAST(lower(payment_method) AS VARCHAR)  AS payment_method,
    CAST(upper(currency) AS VARCHAR)        AS currency,
    CAST(upper(shipping_country) AS VARCHAR) AS shipping_country_code,
    CAST(nullif(trim(coupon_code), '') AS VARCHAR) AS coupon_code,
    CAST(shipping_fee AS DECIMAL(10,2))     AS shipping_amount,
    CAST(created_at AS TIMESTAMP)           AS ordered_at,
    CAST(updated_at AS TIMESTAMP)           AS updated_at
FROM order_changes
QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY CAST(updated_at AS TIMESTAMP) DESC) = 1
