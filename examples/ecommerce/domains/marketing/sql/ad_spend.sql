-- marketing.ad_spend: the ad networks' daily reports (input `network_reports`); the APIs give
-- cost in micros of the account currency (EUR).
SELECT
    CAST("date" AS DATE)                                AS spend_date,
    CAST(campaign AS VARCHAR)                           AS campaign_id,
    CAST(lower(network) AS VARCHAR)                     AS ad_network,
    CAST(impressions AS BIGINT)                         AS impressions,
    CAST(clicks AS BIGINT)                              AS clicks,
    CAST(CAST(cost_micros AS DECIMAL(18,0)) / 1000000 AS DECIMAL(12,2)) AS spend_amount
FROM network_reports
WHERE upper(currency) = 'EUR'
