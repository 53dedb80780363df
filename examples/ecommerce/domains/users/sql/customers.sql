-- users.customers: live accounts from the account service export (input `accounts`).
-- Renames the service's columns to the mesh's names, normalises e-mails, spells out the tier,
-- and drops accounts deleted on request.
SELECT
    CAST(id AS BIGINT)                                          AS customer_id,
    CAST(lower(trim(email)) AS VARCHAR)                         AS email,
    CAST(trim(given_name) || ' ' || trim(family_name) AS VARCHAR) AS full_name,
    CAST(date_of_birth AS DATE)                                 AS birth_date,
    CAST(upper(country) AS VARCHAR)                             AS country_code,
    CAST(city AS VARCHAR)                                       AS city,
    CAST(lower(signup_source) AS VARCHAR)                       AS signup_channel,
    CAST(CASE tier WHEN 1 THEN 'bronze' WHEN 2 THEN 'silver' WHEN 3 THEN 'gold' ELSE 'platinum' END
         AS VARCHAR)                                            AS loyalty_tier,
    CAST(coalesce(newsletter_opt_in, false) AS BOOLEAN)         AS has_marketing_consent,
    CAST(created_at AS TIMESTAMP)                               AS signed_up_at
FROM accounts
WHERE deleted_at IS NULL
