-- marketing.daily_revenue: one row per day from the first to the last day with orders or
-- visits, combining revenue (`facts`, orders domain), visits (`sessions`, traffic domain) and
-- marketing cost (`spend`).
WITH bounds AS (
    SELECT min(d) AS first_day, max(d) AS last_day
    FROM (SELECT order_date AS d FROM facts UNION ALL SELECT CAST(started_at AS DATE) FROM sessions)
), days AS (
    SELECT CAST(range AS DATE) AS revenue_date
    FROM bounds, range(bounds.first_day, bounds.last_day + INTERVAL 1 DAY, INTERVAL 1 DAY)
), sales AS (
    SELECT order_date,
           count(DISTINCT order_id) FILTER (WHERE is_revenue)     AS order_count,
           count(DISTINCT customer_id) FILTER (WHERE is_revenue)  AS customer_count,
           sum(quantity) FILTER (WHERE is_revenue)                AS item_count,
           sum(quantity * unit_price) FILTER (WHERE is_revenue)   AS gross_revenue,
           sum(discount_amount) FILTER (WHERE is_revenue)         AS total_discount,
           sum(net_amount) FILTER (WHERE is_revenue)              AS net_revenue,
           sum(margin_amount) FILTER (WHERE is_revenue)           AS gross_margin,
           count(DISTINCT order_id) FILTER (WHERE NOT is_revenue) AS cancelled_order_count
    FROM facts
    GROUP BY order_date
), visits AS (
    SELECT CAST(started_at AS DATE) AS visit_date, count(*) AS session_count,
           count(*) FILTER (WHERE is_converted) AS converted_session_count
    FROM sessions
    GROUP BY visit_date
), cost AS (
    SELECT spend_date, sum(spend_amount) AS spend_amount FROM spend GROUP BY spend_date
)
SELECT
    d.revenue_date,
    CAST(coalesce(s.order_count, 0) AS BIGINT)              AS order_count,
    CAST(coalesce(s.customer_count, 0) AS BIGINT)           AS customer_count,
    CAST(coalesce(s.item_count, 0) AS BIGINT)               AS item_count,
    CAST(coalesce(s.gross_revenue, 0) AS DECIMAL(14,2))     AS gross_revenue,
    CAST(coalesce(s.total_discount, 0) AS DECIMAL(14,2))    AS total_discount,
    CAST(coalesce(s.net_revenue, 0) AS DECIMAL(14,2))       AS net_revenue,
    CAST(coalesce(s.gross_margin, 0) AS DECIMAL(14,2))      AS gross_margin,
    CAST(CASE WHEN s.order_count > 0 THEN s.net_revenue / s.order_count END AS DECIMAL(12,2)) AS average_order_value,
    CAST(coalesce(s.cancelled_order_count, 0) AS BIGINT)    AS cancelled_order_count,
    CAST(coalesce(v.session_count, 0) AS BIGINT)            AS session_count,
    CAST(CASE WHEN v.session_count > 0 THEN v.converted_session_count / v.session_count END AS DOUBLE)
                                                            AS conversion_rate,
    CAST(coalesce(c.spend_amount, 0) AS DECIMAL(12,2))      AS spend_amount
FROM days d
LEFT JOIN sales s ON s.order_date = d.revenue_date
LEFT JOIN visits v ON v.visit_date = d.revenue_date
LEFT JOIN cost c ON c.spend_date = d.revenue_date
ORDER BY d.revenue_date
