-- traffic.web_events: the tracker's raw events (input `tracker_events`), flattened and cleaned.
-- * flattens the nested page / utm / context objects into columns;
-- * drops bot traffic (crawlers that execute JavaScript send events too);
-- * keeps one row per event id: the tracker delivers at least once, so ~1% arrive twice.
WITH flat AS (
    SELECT
        CAST(messageId AS VARCHAR)        AS event_id,
        CAST(sessionId AS VARCHAR)        AS session_id,
        CAST(anonymousId AS VARCHAR)      AS anonymous_id,
        CAST(userId AS BIGINT)            AS customer_id,
        CAST(lower("type") AS VARCHAR)    AS event_type,
        CAST("timestamp" AS TIMESTAMP)    AS occurred_at,
        CAST(page.path AS VARCHAR)        AS page_path,
        CAST(page.referrer AS VARCHAR)    AS referrer_url,
        CAST(productId AS BIGINT)         AS product_id,
        CAST(utm.source AS VARCHAR)       AS utm_source,
        CAST(utm.medium AS VARCHAR)       AS utm_medium,
        CAST(utm.campaign AS VARCHAR)     AS utm_campaign,
        CAST(lower(context.device) AS VARCHAR) AS device_type,
        CAST(context.userAgent AS VARCHAR) AS user_agent,
        CAST(context.ip AS VARCHAR)       AS ip_address,
        CAST(upper(context.country) AS VARCHAR) AS country_code
    FROM tracker_events
)
SELECT
    event_id,
    session_id,
    anonymous_id,
    customer_id,
    event_type,
    occurred_at,
    page_path,
    referrer_url,
    product_id,
    utm_source,
    utm_medium,
    utm_campaign,
    device_type,
    CAST(CASE
        WHEN user_agent LIKE '%Edg/%' THEN 'Edge'
        WHEN user_agent LIKE '%SamsungBrowser/%' THEN 'Samsung Internet'
        WHEN user_agent LIKE '%Firefox/%' THEN 'Firefox'
        WHEN user_agent LIKE '%Chrome/%' THEN 'Chrome'
        WHEN user_agent LIKE '%Safari/%' THEN 'Safari'
        ELSE 'Other' END AS VARCHAR)      AS browser,
    ip_address,
    country_code
FROM flat
WHERE user_agent NOT ILIKE '%bot%' AND user_agent NOT ILIKE '%crawler%' AND user_agent NOT ILIKE '%spider%'
QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY occurred_at) = 1
