-- orders.order_facts: order lines (input `order_lines`) joined with their order (`orders`), product
-- (`products`, from the catalog domain) and the web visit that led to the order (`sessions`,
-- from the traffic domain). App orders and untracked web orders have no visit: their traffic
-- source and medium say `app` or `untracked` instead.
SELECT
    l.order_line_id,
    l.order_id,
    o.customer_id,
    l.product_id,
    o.ordered_at,
    CAST(o.ordered_at AS DATE)                                          AS order_date,
    o.status                                                            AS order_status,
    o.channel,
    p.category,
    p.brand,
    l.quantity,
    l.unit_price,
    l.discount_amount,
    CAST(l.line_amount AS DECIMAL(12,2))                                AS net_amount,
    CAST(l.quantity * p.unit_cost AS DECIMAL(12,2))                     AS cost_amount,
    CAST(l.line_amount - l.quantity * p.unit_cost AS DECIMAL(12,2))     AS margin_amount,
    CAST(o.status NOT IN ('cancelled', 'returned') AS BOOLEAN)          AS is_revenue,
    o.session_id,
    CAST(coalesce(s.traffic_source, CASE o.channel WHEN 'app' THEN 'app' ELSE 'untracked' END) AS VARCHAR)
                                                                        AS traffic_source,
    CAST(coalesce(s.traffic_medium, CASE o.channel WHEN 'app' THEN 'app' ELSE 'untracked' END) AS VARCHAR)
                                                                        AS traffic_medium,
    s.campaign_id,
    s.device_type,
    o.shipping_country_code
FROM order_lines l
JOIN orders o ON o.order_id = l.order_id
JOIN products p ON p.product_id = l.product_id
LEFT JOIN sessions s ON s.session_id = o.session_id
