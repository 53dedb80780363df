-- marketing.customer_360: one row per live customer (input `accounts`), with their orders
-- (`facts`, from the orders domain) and web visits (`sessions`, from the traffic domain).
-- Only revenue lines count (orders neither cancelled nor returned).
WITH revenue_orders AS (
    SELECT customer_id, order_id, min(ordered_at) AS ordered_at, sum(net_amount) AS order_amount
    FROM facts
    WHERE is_revenue
    GROUP BY customer_id, order_id
), order_stats AS (
    SELECT customer_id,
           min(ordered_at)   AS first_order_at,
           max(ordered_at)   AS last_order_at,
           count(*)          AS order_count,
           sum(order_amount) AS lifetime_revenue
    FROM revenue_orders
    GROUP BY customer_id
), category_spend AS (
    SELECT customer_id, category, sum(net_amount) AS spend
    FROM facts
    WHERE is_revenue
    GROUP BY customer_id, category
), favourite AS (
    SELECT customer_id, first(category ORDER BY spend DESC, category) AS favourite_category
    FROM category_spend
    GROUP BY customer_id
), device_visits AS (
    SELECT customer_id, device_type, count(*) AS visits, max(ended_at) AS last_seen_at
    FROM sessions
    WHERE customer_id IS NOT NULL
    GROUP BY customer_id, device_type
), visits AS (
    SELECT customer_id,
           sum(visits)                                        AS session_count,
           max(last_seen_at)                                  AS last_seen_at,
           first(device_type ORDER BY visits DESC, device_type) AS preferred_device
    FROM device_visits
    GROUP BY customer_id
), as_of AS (
    SELECT max(ordered_at) AS as_of FROM facts
), profile AS (
    SELECT c.*,
           o.first_order_at, o.last_order_at,
           coalesce(o.order_count, 0)      AS order_count,
           coalesce(o.lifetime_revenue, 0) AS lifetime_revenue,
           f.favourite_category,
           coalesce(v.session_count, 0)    AS session_count,
           v.last_seen_at, v.preferred_device,
           date_diff('day', o.last_order_at, a.as_of)  AS recency_days,
           date_diff('day', o.first_order_at, a.as_of) AS tenure_days
    FROM accounts c
    CROSS JOIN as_of a
    LEFT JOIN order_stats o ON o.customer_id = c.customer_id
    LEFT JOIN favourite f ON f.customer_id = c.customer_id
    LEFT JOIN visits v ON v.customer_id = c.customer_id
)
SELECT
    customer_id,
    email,
    full_name,
    country_code,
    loyalty_tier,
    has_marketing_consent,
    signed_up_at,
    CAST(first_order_at AS TIMESTAMP)                              AS first_order_at,
    CAST(last_order_at AS TIMESTAMP)                               AS last_order_at,
    CAST(order_count AS BIGINT)                                    AS order_count,
    CAST(lifetime_revenue AS DECIMAL(14,2))                        AS lifetime_revenue,
    CAST(CASE WHEN order_count > 0 THEN lifetime_revenue / order_count END AS DECIMAL(12,2)) AS average_order_value,
    CAST(favourite_category AS VARCHAR)                            AS favourite_category,
    CAST(session_count AS BIGINT)                                  AS session_count,
    CAST(last_seen_at AS TIMESTAMP)                                AS last_seen_at,
    CAST(preferred_device AS VARCHAR)                              AS preferred_device,
    CAST(recency_days AS INTEGER)                                  AS days_since_last_order,
    CAST(CASE
        WHEN order_count = 0 THEN 'prospect'
        WHEN order_count >= 4 AND recency_days <= 60 THEN 'champion'
        WHEN order_count >= 3 AND recency_days <= 180 THEN 'loyal'
        WHEN order_count = 1 AND tenure_days <= 60 THEN 'new'
        WHEN recency_days <= 120 THEN 'promising'
        WHEN recency_days <= 270 THEN 'at_risk'
        ELSE 'hibernating' END AS VARCHAR)                         AS rfm_segment
FROM profile
