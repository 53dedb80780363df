-- marketing.campaigns: the planning tool's campaigns (input `planned_campaigns`), flattened.
SELECT
    CAST(id AS VARCHAR)                    AS campaign_id,
    CAST(name AS VARCHAR)                  AS campaign_name,
    CAST(lower(channel) AS VARCHAR)        AS channel,
    CAST(utm.source AS VARCHAR)            AS utm_source,
    CAST(utm.medium AS VARCHAR)            AS utm_medium,
    CAST(flight.startDate AS DATE)         AS start_date,
    CAST(flight.endDate AS DATE)           AS end_date,
    CAST(budgetEur AS DECIMAL(12,2))       AS budget_amount,
    CAST(targetCountries AS VARCHAR[])     AS target_countries,
    CAST(lower(status) AS VARCHAR)         AS status
FROM planned_campaigns
