-- traffic.sessions: one row per visit, from the cleaned events (input `events`).
-- The landing event (the first of the visit) carries the referrer and campaign parameters.
WITH visits AS (
    SELECT
        session_id,
        first(anonymous_id ORDER BY occurred_at, event_id)  AS anonymous_id,
        max(customer_id)                                     AS customer_id,
        min(occurred_at)                                     AS started_at,
        max(occurred_at)                                     AS ended_at,
        count(*)                                             AS event_count,
        count(*) FILTER (WHERE event_type = 'product_view')  AS product_view_count,
        first(page_path ORDER BY occurred_at, event_id)      AS landing_page,
        first(referrer_url ORDER BY occurred_at, event_id)   AS referrer_url,
        first(utm_source ORDER BY occurred_at, event_id)     AS utm_source,
        first(utm_medium ORDER BY occurred_at, event_id)     AS utm_medium,
        first(utm_campaign ORDER BY occurred_at, event_id)   AS utm_campaign,
        first(device_type ORDER BY occurred_at, event_id)    AS device_type,
        first(country_code ORDER BY occurred_at, event_id)   AS country_code,
        bool_or(event_type = 'add_to_cart')                  AS has_add_to_cart,
        bool_or(event_type = 'purchase')                     AS is_converted
    FROM events
    GROUP BY session_id
), sourced AS (
    SELECT *,
           regexp_replace(regexp_extract(referrer_url, '^https?://([^/:]+)', 1), '^(www|m|l)[.]', '') AS referrer_host
    FROM visits
)
SELECT
    CAST(session_id AS VARCHAR)                                        AS session_id,
    CAST(anonymous_id AS VARCHAR)                                      AS anonymous_id,
    CAST(customer_id AS BIGINT)                                        AS customer_id,
    CAST(started_at AS TIMESTAMP)                                      AS started_at,
    CAST(ended_at AS TIMESTAMP)                                        AS ended_at,
    CAST(date_diff('second', started_at, ended_at) AS INTEGER)         AS duration_seconds,
    CAST(event_count AS BIGINT)                                        AS event_count,
    CAST(product_view_count AS BIGINT)                                 AS product_view_count,
    CAST(landing_page AS VARCHAR)                                      AS landing_page,
    CAST(coalesce(utm_source, nullif(referrer_host, ''), 'direct') AS VARCHAR) AS traffic_source,
    CAST(coalesce(utm_medium,
                  CASE WHEN referrer_host IN ('google.com', 'bing.com', 'duckduckgo.com', 'ecosia.org') THEN 'organic'
                       WHEN nullif(referrer_host, '') IS NOT NULL THEN 'referral'
                       ELSE 'direct' END) AS VARCHAR)                  AS traffic_medium,
    CAST(utm_campaign AS VARCHAR)                                      AS campaign_id,
    CAST(device_type AS VARCHAR)                                       AS device_type,
    CAST(country_code AS VARCHAR)                                      AS country_code,
    CAST(has_add_to_cart AS BOOLEAN)                                   AS has_add_to_cart,
    CAST(event_count = 1 AS BOOLEAN)                                   AS is_bounce,
    CAST(is_converted AS BOOLEAN)                                      AS is_converted
FROM sourced
