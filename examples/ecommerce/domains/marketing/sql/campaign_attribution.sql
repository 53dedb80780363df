-- marketing.campaign_attribution: the funnel of each campaign (input `campaign_plan`), from its
-- cost (`spend`) to its visits (`sessions`, traffic domain) and last-touch orders (`facts`,
-- orders domain). Campaigns that have not started yet have zeros.
WITH cost AS (
    SELECT campaign_id, sum(impressions) AS impressions, sum(clicks) AS clicks,
           sum(spend_amount) AS spend_amount
    FROM spend
    GROUP BY campaign_id
), visits AS (
    SELECT campaign_id, count(*) AS session_count, count(*) FILTER (WHERE is_converted) AS converted_session_count
    FROM sessions
    WHERE campaign_id IS NOT NULL
    GROUP BY campaign_id
), orders AS (
    SELECT campaign_id, count(DISTINCT order_id) AS attributed_order_count, sum(net_amount) AS attributed_revenue
    FROM facts
    WHERE campaign_id IS NOT NULL AND is_revenue
    GROUP BY campaign_id
), funnel AS (
    SELECT c.campaign_id, c.campaign_name, c.channel, c.start_date, c.end_date,
           coalesce(k.impressions, 0)             AS impressions,
           coalesce(k.clicks, 0)                  AS clicks,
           coalesce(v.session_count, 0)           AS session_count,
           coalesce(v.converted_session_count, 0) AS converted_session_count,
           coalesce(o.attributed_order_count, 0)  AS attributed_order_count,
           coalesce(o.attributed_revenue, 0)      AS attributed_revenue,
           coalesce(k.spend_amount, 0)            AS spend_amount
    FROM campaign_plan c
    LEFT JOIN cost k ON k.campaign_id = c.campaign_id
    LEFT JOIN visits v ON v.campaign_id = c.campaign_id
    LEFT JOIN orders o ON o.campaign_id = c.campaign_id
)
SELECT
    campaign_id,
    campaign_name,
    channel,
    start_date,
    end_date,
    CAST(impressions AS BIGINT)                    AS impressions,
    CAST(clicks AS BIGINT)                         AS clicks,
    CAST(session_count AS BIGINT)                  AS session_count,
    CAST(converted_session_count AS BIGINT)        AS converted_session_count,
    CAST(CASE WHEN session_count > 0 THEN converted_session_count / session_count END AS DOUBLE) AS conversion_rate,
    CAST(attributed_order_count AS BIGINT)         AS attributed_order_count,
    CAST(attributed_revenue AS DECIMAL(14,2))      AS attributed_revenue,
    CAST(spend_amount AS DECIMAL(12,2))            AS spend_amount,
    CAST(CASE WHEN spend_amount > 0 THEN attributed_revenue / spend_amount END AS DOUBLE) AS return_on_ad_spend,
    CAST(CASE WHEN attributed_order_count > 0 THEN spend_amount / attributed_order_count END AS DECIMAL(12,2))
                                                   AS cost_per_order
FROM funnel
ORDER BY campaign_id
