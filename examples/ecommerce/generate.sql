-- Source data for the Harbor & Pine demo mesh (examples/ecommerce/README.md).
--
--   build/tessera-sqlrun examples/ecommerce/generate.sql --var scale=1 --var out=examples/ecommerce/data
--
-- `scale=1` writes ~330k orders with ~1M order lines, ~700k web sessions with ~2.4M tracked events
-- and 100k customers; `scale=0.001` a tiny but complete set for tests. Everything is derived from
-- `hash()` of stable keys (no random(), no now()), so the same scale gives the same files, byte for
-- byte, on every run. The year of data runs from 2025-11-01 to 2026-10-31.
--
-- What lands in `${out}` is what each source system would drop there, warts included, so that the
-- source-aligned products have real cleaning to do:
--   users/customers.parquet         account service export: raw column names, mixed-case e-mails,
--                                   soft-deleted accounts
--   catalog/products.csv            PIM export: 'Y'/'N' flags
--   traffic/events/*.jsonl.zst      web tracker, one zstd file a month: JSON lines, camelCase,
--                                   nested page/utm/context, duplicated deliveries, bot traffic
--   orders/orders.csv               shop database change export: several versions of an order,
--                                   legacy upper-case statuses
--   orders/order_lines.csv          shop database export of order lines
--   marketing/campaigns.json        campaign planning tool (a JSON array)
--   marketing/ad_spend.csv          ad networks' daily reports, cost in micros

-- DuckDB's COPY creates no folders, but a partitioned COPY of no rows creates its target folder
-- and writes nothing; `overwrite_or_ignore` makes it a no-op when the folder exists.
COPY (SELECT 1 AS p, 1 AS x WHERE false) TO '${out}' (FORMAT csv, PARTITION_BY (p), OVERWRITE_OR_IGNORE true);
COPY (SELECT 1 AS p, 1 AS x WHERE false) TO '${out}/users' (FORMAT csv, PARTITION_BY (p), OVERWRITE_OR_IGNORE true);
COPY (SELECT 1 AS p, 1 AS x WHERE false) TO '${out}/catalog' (FORMAT csv, PARTITION_BY (p), OVERWRITE_OR_IGNORE true);
COPY (SELECT 1 AS p, 1 AS x WHERE false) TO '${out}/traffic' (FORMAT csv, PARTITION_BY (p), OVERWRITE_OR_IGNORE true);
COPY (SELECT 1 AS p, 1 AS x WHERE false) TO '${out}/traffic/events' (FORMAT csv, PARTITION_BY (p), OVERWRITE_OR_IGNORE true);
COPY (SELECT 1 AS p, 1 AS x WHERE false) TO '${out}/orders' (FORMAT csv, PARTITION_BY (p), OVERWRITE_OR_IGNORE true);
COPY (SELECT 1 AS p, 1 AS x WHERE false) TO '${out}/marketing' (FORMAT csv, PARTITION_BY (p), OVERWRITE_OR_IGNORE true);

-- ---------------------------------------------------------------------------------------------
-- Sizes and pseudo-randomness
-- ---------------------------------------------------------------------------------------------

CREATE MACRO n_customers() AS greatest(100, round(100000 * ${scale}))::BIGINT;
CREATE MACRO n_products() AS greatest(60, round(3000 * ${scale}))::BIGINT;
CREATE MACRO n_sessions() AS greatest(1000, round(700000 * ${scale}))::BIGINT;
-- Orders without a tracked web session: web orders of visitors who refused analytics cookies,
-- and orders from the mobile app (which has no web tracker).
CREATE MACRO n_untracked_orders() AS greatest(150, round(235000 * ${scale}))::BIGINT;

-- A uniform number in [0, 1) that depends only on `key` and `salt`.
CREATE MACRO u(key, salt) AS (hash(key, salt) % 1000003) / 1000003.0;
-- One element of `items`, chosen by `key` and `salt`.
CREATE MACRO pick(items, key, salt) AS items[1 + (hash(key, salt) % len(items))::BIGINT];
-- A version-4-looking UUID text derived from `key`.
CREATE MACRO uuid_text(key) AS
    regexp_replace(md5(key::VARCHAR), '^(.{8})(.{4}).(.{3}).(.{3})(.{12})$', '\1-\2-4\3-a\4-\5');

-- The export time of every source: the end of the year of data.
CREATE MACRO window_end() AS TIMESTAMP '2026-11-01 00:00:00';

-- Days of the year of data, weighted: weekends, Black Friday week and the run-up to Christmas
-- are busier, January is quiet, and the business grows by ~20% over the year.
CREATE TABLE days AS
WITH d AS (
    SELECT range::DATE AS day
    FROM range(DATE '2025-11-01', DATE '2026-11-01', INTERVAL 1 DAY)
), w AS (
    SELECT day,
           (1.0
            + CASE WHEN dayofweek(day) IN (0, 6) THEN 0.25 ELSE 0 END
            + CASE WHEN day BETWEEN DATE '2025-11-24' AND DATE '2025-12-01' THEN 1.8 ELSE 0 END
            + CASE WHEN day BETWEEN DATE '2025-12-02' AND DATE '2025-12-20' THEN 0.7 ELSE 0 END
            + CASE WHEN month(day) = 1 THEN -0.25 ELSE 0 END
            + CASE WHEN month(day) IN (6, 7) THEN 0.2 ELSE 0 END
            + 0.2 * (day - DATE '2025-11-01') / 365.0) AS weight
    FROM d
)
SELECT day, weight, (sum(weight) OVER (ORDER BY day) - weight) / sum(weight) OVER () AS cum_frac
FROM w;

-- Hours of the day, weighted: quiet nights, a lunch bump and an evening peak.
CREATE TABLE hours AS
WITH h AS (
    SELECT unnest(range(24)) AS hour,
           unnest([0.3, 0.2, 0.15, 0.1, 0.1, 0.15, 0.35, 0.7, 1.0, 1.1, 1.2, 1.3,
                   1.45, 1.3, 1.2, 1.2, 1.3, 1.5, 1.8, 2.1, 2.3, 2.0, 1.4, 0.7]) AS weight
)
SELECT hour, weight, (sum(weight) OVER (ORDER BY hour) - weight) / sum(weight) OVER () AS cum_frac
FROM h;

-- ---------------------------------------------------------------------------------------------
-- Reference lists
-- ---------------------------------------------------------------------------------------------

CREATE TABLE countries AS
SELECT * FROM (VALUES
    ('FR', 18, ['Paris', 'Lyon', 'Marseille', 'Toulouse', 'Bordeaux', 'Nantes', 'Lille']),
    ('DE', 22, ['Berlin', 'Hamburg', 'München', 'Köln', 'Frankfurt am Main', 'Leipzig', 'Stuttgart']),
    ('NL', 9, ['Amsterdam', 'Rotterdam', 'Utrecht', 'Den Haag', 'Eindhoven']),
    ('BE', 5, ['Brussel', 'Antwerpen', 'Gent', 'Liège']),
    ('ES', 10, ['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Bilbao']),
    ('IT', 9, ['Milano', 'Roma', 'Torino', 'Bologna', 'Firenze', 'Napoli']),
    ('AT', 5, ['Wien', 'Graz', 'Linz', 'Salzburg', 'Innsbruck']),
    ('PT', 3, ['Lisboa', 'Porto', 'Braga']),
    ('IE', 3, ['Dublin', 'Cork', 'Galway']),
    ('SE', 6, ['Stockholm', 'Göteborg', 'Malmö', 'Uppsala']),
    ('DK', 4, ['København', 'Aarhus', 'Odense']),
    ('PL', 6, ['Warszawa', 'Kraków', 'Wrocław', 'Gdańsk', 'Poznań'])
) t(country_code, weight, cities);

CREATE TABLE country_pick AS
SELECT country_code, cities,
       (sum(weight) OVER (ORDER BY country_code) - weight) / sum(weight) OVER () AS cum_frac
FROM countries;

CREATE MACRO first_names() AS ['Emma', 'Louis', 'Léa', 'Gabriel', 'Chloé', 'Hugo', 'Mia', 'Noah', 'Hannah',
    'Lukas', 'Sofia', 'Leon', 'Marie', 'Paul', 'Lucía', 'Mateo', 'Martina', 'Pablo', 'Giulia',
    'Lorenzo', 'Sara', 'Francesco', 'Julia', 'Daan', 'Fenna', 'Sem', 'Zoë', 'Finn', 'Elin',
    'Oscar', 'Astrid', 'William', 'Ida', 'Jakub', 'Zuzanna', 'Aoife', 'Seán', 'Inês', 'João',
    'Amélie', 'Jonas', 'Clara', 'Felix', 'Nora', 'Liam', 'Alba', 'Marco', 'Freya'];
CREATE MACRO last_names() AS ['Martin', 'Bernard', 'Dubois', 'Lefèvre', 'Moreau', 'Müller', 'Schmidt',
    'Schneider', 'Fischer', 'Weber', 'Becker', 'García', 'Fernández', 'López', 'Martínez', 'Rossi',
    'Russo', 'Bianchi', 'Romano', 'de Jong', 'Jansen', 'de Vries', 'Peeters', 'Janssens',
    'Gruber', 'Huber', 'Silva', 'Santos', 'Murphy', 'Kelly', 'Andersson', 'Johansson',
    'Nielsen', 'Jensen', 'Nowak', 'Kowalski', 'Wiśniewska', 'Laurent', 'Ferrari', 'Hofmann'];
CREATE MACRO email_domains() AS ['example.com', 'example.net', 'example.org', 'mail.example',
    'inbox.example'];

-- ---------------------------------------------------------------------------------------------
-- Customers (account service)
-- ---------------------------------------------------------------------------------------------

-- Customer ids grow with the sign-up time (2021-01-01 .. 2026-10-31), so "customers who had signed
-- up by time t" is simply "ids up to eligible_customers(t)".
CREATE MACRO signup_start_us() AS epoch_us(TIMESTAMP '2021-01-01 00:00:00');
CREATE MACRO signup_span_us() AS epoch_us(TIMESTAMP '2026-10-31 12:00:00') - signup_start_us();
CREATE MACRO eligible_customers(t) AS
    greatest(1, least(n_customers(),
        floor(n_customers() * ((epoch_us(t) - signup_start_us()) / signup_span_us()))))::BIGINT;
-- A customer who had signed up by `t`; long-standing customers come back more often.
CREATE MACRO customer_at(t, key, salt) AS
    1 + floor(eligible_customers(t) * pow(u(key, salt), 1.3))::BIGINT;

CREATE TABLE gen_customers AS
WITH base AS (
    SELECT i AS customer_id,
           date_trunc('second', make_timestamp(signup_start_us()
               + floor(((i - 1) + u(i, 'signup')) / n_customers() * signup_span_us())::BIGINT)) AS created_at,
           pick(first_names(), i, 'first') AS given_name,
           pick(last_names(), i, 'last') AS family_name,
           u(i, 'country') AS country_draw
    FROM range(1, n_customers() + 1) t(i)
)
SELECT b.customer_id, b.created_at, b.given_name, b.family_name,
       c.country_code,
       pick(c.cities, b.customer_id, 'city') AS city
FROM base b
ASOF JOIN country_pick c ON b.country_draw >= c.cum_frac;

COPY (
    SELECT customer_id AS id,
           -- Older accounts kept the e-mail as typed; a few have stray spaces.
           CASE WHEN u(customer_id, 'email_case') < 0.12 THEN ' ' ELSE '' END
           || CASE WHEN u(customer_id, 'email_case') < 0.3
                   THEN strip_accents(replace(given_name || '.' || family_name, ' ', ''))
                   ELSE lower(strip_accents(replace(given_name || '.' || family_name, ' ', ''))) END
           || '.' || customer_id::VARCHAR || '@' || pick(email_domains(), customer_id, 'domain') AS email,
           given_name,
           family_name,
           CASE WHEN u(customer_id, 'dob_missing') < 0.04 THEN NULL
                ELSE DATE '1950-01-01' + floor(u(customer_id, 'dob') * 20450)::INTEGER END AS date_of_birth,
           country_code AS country,
           city,
           created_at,
           CASE WHEN u(customer_id, 'channel') < 0.58 THEN 'WEB'
                WHEN u(customer_id, 'channel') < 0.80 THEN 'IOS'
                ELSE 'ANDROID' END AS signup_source,
           CASE WHEN u(customer_id, 'tier') < 0.60 THEN 1
                WHEN u(customer_id, 'tier') < 0.85 THEN 2
                WHEN u(customer_id, 'tier') < 0.96 THEN 3
                ELSE 4 END::TINYINT AS tier,
           u(customer_id, 'optin') < 0.62 AS newsletter_opt_in,
           CASE WHEN u(customer_id, 'deleted') < 0.01
                THEN created_at + to_days(1 + floor(u(customer_id, 'deleted_after') * 300)::INTEGER)
                END AS deleted_at
    FROM gen_customers
    ORDER BY customer_id
) TO '${out}/users/customers.parquet' (FORMAT parquet, COMPRESSION zstd);

-- ---------------------------------------------------------------------------------------------
-- Products (PIM)
-- ---------------------------------------------------------------------------------------------

CREATE TABLE categories AS
SELECT * FROM (VALUES
    ('apparel', 'APP', ['jackets', 'shirts', 'trousers', 'knitwear'],
        ['Rain Jacket', 'Fleece', 'Flannel Shirt', 'Hiking Trousers', 'Wool Sweater', 'Down Parka'], 25, 260, 0.45),
    ('footwear', 'FTW', ['hiking_boots', 'trail_running', 'sandals'],
        ['Hiking Boot', 'Trail Runner', 'Approach Shoe', 'Sandal', 'Winter Boot'], 45, 210, 0.50),
    ('camping', 'CMP', ['tents', 'sleeping_bags', 'stoves', 'furniture'],
        ['2-Person Tent', 'Sleeping Bag', 'Camp Stove', 'Lantern', 'Camp Chair', 'Sleeping Pad'], 15, 520, 0.55),
    ('cycling', 'CYC', ['helmets', 'lights', 'bags', 'tools'],
        ['Helmet', 'Bike Light Set', 'Pannier', 'Multi-Tool', 'Frame Bag'], 12, 180, 0.50),
    ('kitchen', 'KIT', ['cookware', 'knives', 'coffee'],
        ['Cast Iron Skillet', 'Dutch Oven', 'Chef Knife', 'Coffee Grinder', 'Pour-Over Kettle'], 14, 240, 0.48),
    ('home', 'HOM', ['bedding', 'lighting', 'decor'],
        ['Linen Duvet Cover', 'Wool Throw', 'Table Lamp', 'Ceramic Vase', 'Scented Candle'], 9, 190, 0.42),
    ('electronics', 'ELE', ['audio', 'wearables', 'power'],
        ['Wireless Headphones', 'Outdoor Speaker', 'GPS Watch', 'Power Bank', 'Solar Panel'], 19, 420, 0.70),
    ('books', 'BOK', ['travel_guides', 'cookbooks', 'nature'],
        ['Trail Guide', 'Campfire Cookbook', 'Field Guide to Birds', 'Road Atlas'], 9, 45, 0.60)
) t(category, sku_prefix, subcategories, nouns, price_min, price_max, cost_ratio);

CREATE MACRO brands() AS ['Fjellmark', 'Harbor & Pine', 'Northlight', 'Alder Co.', 'Blue Ridge', 'Kestrel',
    'Tidewater', 'Ember & Oak', 'Solano', 'Vinterra'];
CREATE MACRO adjectives() AS ['Trail', 'Alpine', 'Coastal', 'Urban', 'Classic', 'Ultralight', 'Everyday',
    'Summit', 'Nordic', 'Heritage', 'Compact', 'Expedition'];

CREATE TABLE gen_products AS
WITH base AS (
    SELECT i AS product_id,
           (SELECT list(category ORDER BY category) FROM categories) AS all_categories
    FROM range(1, n_products() + 1) t(i)
), chosen AS (
    SELECT product_id, pick(all_categories, product_id, 'category') AS category FROM base
)
SELECT p.product_id,
       c.sku_prefix || '-' || lpad(p.product_id::VARCHAR, 5, '0') AS sku,
       pick(adjectives(), p.product_id, 'adjective') || ' ' || pick(c.nouns, p.product_id, 'noun') AS name,
       p.category,
       pick(c.subcategories, p.product_id, 'subcategory') AS subcategory,
       pick(brands(), p.product_id, 'brand') AS brand,
       -- Prices end in .99 or .90, skewed towards the cheap end of the category's range.
       (floor(c.price_min + pow(u(p.product_id, 'price'), 2) * (c.price_max - c.price_min))
            + CASE WHEN u(p.product_id, 'cents') < 0.8 THEN 0.99 ELSE 0.90 END)::DECIMAL(10, 2) AS list_price,
       c.cost_ratio
FROM chosen p JOIN categories c USING (category);

COPY (
    SELECT product_id,
           sku,
           name,
           category,
           subcategory,
           brand,
           list_price,
           round(list_price * (cost_ratio - 0.08 + 0.16 * u(product_id, 'cost')), 2)::DECIMAL(10, 2) AS unit_cost,
           CASE WHEN u(product_id, 'active') < 0.92 THEN 'Y' ELSE 'N' END AS active,
           DATE '2019-03-01' + floor(u(product_id, 'launch') * 2700)::INTEGER AS launched_on
    FROM gen_products
    ORDER BY product_id
) TO '${out}/catalog/products.csv' (FORMAT csv, HEADER true);

-- ---------------------------------------------------------------------------------------------
-- Campaigns (planning tool) and their daily spend (ad networks)
-- ---------------------------------------------------------------------------------------------

CREATE TABLE gen_campaigns AS
SELECT * FROM (VALUES
    ('brand_search_always_on', 'Brand search (always on)', 'paid_search', 'google', 'cpc',
        DATE '2025-11-01', DATE '2026-10-31', 720000, ['FR', 'DE', 'NL', 'BE', 'ES', 'IT', 'AT', 'PT', 'IE', 'SE', 'DK', 'PL'], 'https://www.google.com/'),
    ('generic_search_outdoor', 'Generic search: outdoor gear', 'paid_search', 'google', 'cpc',
        DATE '2025-11-01', DATE '2026-10-31', 960000, ['FR', 'DE', 'NL', 'BE', 'AT'], 'https://www.google.com/'),
    ('affiliate_outdoor_blogs', 'Outdoor blogs affiliate programme', 'affiliate', 'awin', 'affiliate',
        DATE '2025-11-01', DATE '2026-10-31', 360000, ['FR', 'DE', 'NL', 'ES', 'IT'], 'https://www.trailnotes.example/'),
    ('black_friday_2025', 'Black Friday 2025 newsletter', 'email', 'newsletter', 'email',
        DATE '2025-11-20', DATE '2025-12-01', 9000, ['FR', 'DE', 'NL', 'BE', 'ES', 'IT', 'AT', 'PT', 'IE', 'SE', 'DK', 'PL'], NULL),
    ('black_friday_social_2025', 'Black Friday 2025 social', 'paid_social', 'instagram', 'paid_social',
        DATE '2025-11-17', DATE '2025-12-01', 240000, ['FR', 'DE', 'ES', 'IT'], 'https://l.instagram.com/'),
    ('christmas_gift_guide_2025', 'Christmas gift guide', 'email', 'newsletter', 'email',
        DATE '2025-12-02', DATE '2025-12-22', 6000, ['FR', 'DE', 'NL', 'BE', 'AT', 'IE'], NULL),
    ('new_year_new_trails_2026', 'New year, new trails', 'paid_social', 'facebook', 'paid_social',
        DATE '2026-01-01', DATE '2026-01-31', 100000, ['DE', 'AT', 'NL'], 'https://m.facebook.com/'),
    ('winter_sale_2026', 'Winter sale retargeting', 'display', 'criteo', 'display',
        DATE '2026-01-05', DATE '2026-02-01', 160000, ['FR', 'DE', 'NL', 'BE', 'ES', 'IT'], NULL),
    ('valentines_home_2026', 'Valentine''s day at home', 'paid_social', 'pinterest', 'paid_social',
        DATE '2026-02-01', DATE '2026-02-14', 48000, ['FR', 'IT', 'ES'], 'https://www.pinterest.com/'),
    ('spring_camping_2026', 'Spring camping', 'paid_social', 'instagram', 'paid_social',
        DATE '2026-03-15', DATE '2026-04-30', 180000, ['FR', 'DE', 'NL', 'SE', 'DK'], 'https://l.instagram.com/'),
    ('easter_newsletter_2026', 'Easter newsletter', 'email', 'newsletter', 'email',
        DATE '2026-03-28', DATE '2026-04-06', 3000, ['FR', 'DE', 'NL', 'BE', 'AT', 'PL'], NULL),
    ('cycling_season_2026', 'Cycling season', 'display', 'google', 'display',
        DATE '2026-04-15', DATE '2026-06-15', 200000, ['NL', 'BE', 'DE', 'DK'], NULL),
    ('loyalty_rewards_2026', 'Loyalty rewards month', 'email', 'crm', 'email',
        DATE '2026-05-01', DATE '2026-05-31', 2500, ['FR', 'DE', 'NL', 'BE', 'ES', 'IT', 'AT', 'PT', 'IE', 'SE', 'DK', 'PL'], NULL),
    ('summer_sale_2026', 'Summer sale newsletter', 'email', 'newsletter', 'email',
        DATE '2026-06-24', DATE '2026-07-21', 5000, ['FR', 'DE', 'NL', 'BE', 'ES', 'IT', 'AT', 'PT', 'IE', 'SE', 'DK', 'PL'], NULL),
    ('summer_sale_social_2026', 'Summer sale social', 'paid_social', 'tiktok', 'paid_social',
        DATE '2026-06-24', DATE '2026-07-21', 220000, ['FR', 'DE', 'ES', 'IT', 'PL'], 'https://www.tiktok.com/'),
    ('back_to_city_2026', 'Back to the city', 'display', 'criteo', 'display',
        DATE '2026-08-17', DATE '2026-09-13', 120000, ['FR', 'DE', 'IT'], NULL),
    ('autumn_hiking_2026', 'Autumn hiking', 'paid_social', 'instagram', 'paid_social',
        DATE '2026-09-14', DATE '2026-10-31', 168000, ['FR', 'DE', 'AT', 'IT'], 'https://l.instagram.com/'),
    ('singles_day_preview_2026', 'Singles'' day preview', 'paid_search', 'bing', 'cpc',
        DATE '2026-10-20', DATE '2026-10-31', 40000, ['PL', 'DE'], 'https://www.bing.com/'),
    ('black_friday_2026', 'Black Friday 2026 newsletter', 'email', 'newsletter', 'email',
        DATE '2026-11-19', DATE '2026-11-30', 9000, ['FR', 'DE', 'NL', 'BE', 'ES', 'IT', 'AT', 'PT', 'IE', 'SE', 'DK', 'PL'], NULL)
) t(campaign_id, name, channel, utm_source, utm_medium, start_date, end_date, budget_at_scale_1, countries, referrer);

-- Budgets shrink with the data, so that return on ad spend is the same at every scale.
ALTER TABLE gen_campaigns ADD COLUMN budget BIGINT;
UPDATE gen_campaigns SET budget = greatest(1, round(budget_at_scale_1 * ${scale}))::BIGINT;

COPY (
    SELECT campaign_id AS id,
           name,
           channel,
           struct_pack(source := utm_source, medium := utm_medium, campaign := campaign_id) AS utm,
           struct_pack(startDate := start_date, endDate := end_date) AS flight,
           budget AS budgetEur,
           countries AS targetCountries,
           CASE WHEN start_date > DATE '2026-10-31' THEN 'PLANNED'
                WHEN end_date < DATE '2026-10-31' THEN 'ENDED'
                ELSE 'LIVE' END AS status
    FROM gen_campaigns
    ORDER BY start_date, campaign_id
) TO '${out}/marketing/campaigns.json' (FORMAT json, ARRAY true);

-- ---------------------------------------------------------------------------------------------
-- Web sessions and their events (tracker)
-- ---------------------------------------------------------------------------------------------

-- Which campaigns run on each day, numbered, so that a campaign visit picks one that is live.
CREATE TABLE day_campaigns AS
SELECT d.day, c.campaign_id, c.utm_source, c.utm_medium, c.referrer,
       row_number() OVER (PARTITION BY d.day ORDER BY c.campaign_id) - 1 AS idx
FROM days d JOIN gen_campaigns c ON d.day BETWEEN c.start_date AND c.end_date;
CREATE TABLE day_live AS SELECT day, count(*) AS live FROM day_campaigns GROUP BY day;

CREATE TABLE gen_sessions AS
WITH draws AS (
    SELECT s, u(s, 'day') AS day_draw, u(s, 'hour') AS hour_draw FROM range(n_sessions()) t(s)
), timed AS (
    SELECT dr.s,
           d.day::TIMESTAMP + to_hours(h.hour) + to_seconds(floor(u(dr.s, 'second') * 3600)::BIGINT)
               AS started_at
    FROM draws dr
    ASOF JOIN days d ON dr.day_draw >= d.cum_frac
    ASOF JOIN hours h ON dr.hour_draw >= h.cum_frac
), numbered AS (
    -- Session numbers follow time, like the tracker's own sequence.
    SELECT row_number() OVER (ORDER BY started_at, s) AS session_no, started_at FROM timed
), visitor AS (
    SELECT session_no, started_at,
           u(session_no, 'bot') < 0.02 AS is_bot,
           u(session_no, 'login') < 0.55 AS is_logged_in,
           u(session_no, 'device') AS device_draw,
           u(session_no, 'source') AS source_draw
    FROM numbered
), sourced AS (
    -- Where the visit came from: nowhere (typed in, 30%), a search engine (19%), another site
    -- (6%) or one of the campaigns live that day (45%).
    SELECT v.*,
           CASE WHEN v.source_draw >= 0.55 THEN dc.campaign_id END AS utm_campaign,
           CASE WHEN v.source_draw >= 0.55 THEN dc.utm_source END AS utm_source,
           CASE WHEN v.source_draw >= 0.55 THEN dc.utm_medium END AS utm_medium,
           CASE WHEN v.source_draw < 0.30 THEN NULL
                WHEN v.source_draw < 0.49 THEN pick(['https://www.google.com/', 'https://www.google.com/',
                    'https://www.google.com/', 'https://www.bing.com/', 'https://duckduckgo.com/',
                    'https://www.ecosia.org/'], v.session_no, 'search')
                WHEN v.source_draw < 0.55 THEN pick(['https://www.trailnotes.example/best-tents-2026',
                    'https://www.reddit.com/r/CampingGear/', 'https://www.outdoor-forum.example/thread/4411',
                    'https://www.youtube.com/'], v.session_no, 'referral')
                ELSE dc.referrer END AS referrer
    FROM visitor v
    JOIN day_live dl ON dl.day = v.started_at::DATE
    JOIN day_campaigns dc ON dc.day = dl.day AND dc.idx = (hash(v.session_no, 'campaign') % dl.live)::BIGINT
), enriched AS (
    SELECT v.*,
           CASE WHEN v.is_logged_in AND NOT v.is_bot THEN customer_at(v.started_at, v.session_no, 'customer') END
               AS customer_id,
           CASE WHEN v.is_bot THEN 'desktop'
                WHEN v.device_draw < 0.40 THEN 'desktop'
                WHEN v.device_draw < 0.92 THEN 'mobile'
                ELSE 'tablet' END AS device_type,
           -- Logged-in visits convert at a rate that depends on where they came from: people who
           -- look for the brand or open our e-mails buy far more often than display audiences.
           NOT v.is_bot AND v.is_logged_in AND u(v.session_no, 'converts') <
               CASE WHEN v.utm_campaign = 'brand_search_always_on' THEN 0.36
                    WHEN v.utm_medium = 'email' THEN 0.34
                    WHEN v.utm_medium = 'cpc' THEN 0.24
                    WHEN v.utm_medium = 'affiliate' THEN 0.20
                    WHEN v.utm_medium = 'paid_social' THEN 0.14
                    WHEN v.utm_medium = 'display' THEN 0.09
                    WHEN v.referrer IS NULL THEN 0.30
                    WHEN v.source_draw < 0.49 THEN 0.24
                    ELSE 0.18 END AS is_converting
    FROM sourced v
)
SELECT e.*,
       uuid_text('session' || e.session_no) AS session_id,
       -- One cookie per customer and device; anonymous visitors come back now and then.
       substr(md5(CASE WHEN e.customer_id IS NOT NULL THEN 'c' || e.customer_id || e.device_type
                       ELSE 'v' || (hash(e.session_no, 'visitor') % (n_sessions() * 2 // 3)) END), 1, 20)
           AS anonymous_id,
       -- The tracker's geo-IP country: the customer's own, or where anonymous visitors come from.
       coalesce(c.country_code,
                pick(['FR', 'FR', 'FR', 'DE', 'DE', 'DE', 'DE', 'NL', 'NL', 'BE', 'ES', 'ES', 'IT', 'IT', 'AT',
                      'PT', 'IE', 'SE', 'DK', 'PL', 'PL', 'GB', 'CH', 'US'], e.session_no, 'geo')) AS country_code,
       CASE WHEN e.is_bot THEN 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'
            WHEN e.device_type = 'desktop' THEN pick([
                'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0 Safari/537.36',
                'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0 Safari/537.36 Edg/128.0',
                'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
                'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0',
                'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0 Safari/537.36'],
                e.session_no, 'ua')
            WHEN e.device_type = 'mobile' THEN pick([
                'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
                'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0 Mobile Safari/537.36',
                'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0 Mobile Safari/537.36'],
                e.session_no, 'ua')
            ELSE 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'
       END AS user_agent,
       (1 + hash(e.session_no, 'ip1') % 223)::VARCHAR || '.' || (hash(e.session_no, 'ip2') % 256)::VARCHAR || '.'
           || (hash(e.session_no, 'ip3') % 256)::VARCHAR || '.' || (1 + hash(e.session_no, 'ip4') % 254)::VARCHAR
           AS ip_address,
       -- Converting visits browse, add to cart, check out and buy; the others browse a little.
       CASE WHEN e.is_converting THEN 4 + (hash(e.session_no, 'events') % 5)
            ELSE 1 + (hash(e.session_no, 'events') % 5) END::INTEGER AS n_events
FROM enriched e
LEFT JOIN gen_customers c ON c.customer_id = e.customer_id;

-- One row per campaign, network and day it ran (up to the end of the data), cost in micros as
-- the networks' reporting APIs give it. Clicks follow the visits the campaign brought (not every
-- click becomes a tracked visit: cookie refusals, early bounces), impressions follow clicks.
-- E-mails cost little (the e-mail service's fees) and count delivered messages as impressions.
COPY (
    WITH days_run AS (
        SELECT c.campaign_id, c.channel, c.utm_source, c.budget, d.day,
               count(*) OVER (PARTITION BY c.campaign_id) AS days_total
        FROM gen_campaigns c
        JOIN days d ON d.day BETWEEN c.start_date AND c.end_date
    ), visits AS (
        SELECT utm_campaign AS campaign_id, started_at::DATE AS day, count(*) AS sessions
        FROM gen_sessions
        WHERE utm_campaign IS NOT NULL
        GROUP BY ALL
    ), spend AS (
        SELECT r.*, coalesce(v.sessions, 0) AS sessions,
               r.budget / r.days_total * (0.7 + 0.6 * u(r.campaign_id || r.day::VARCHAR, 'spend')) AS cost_eur,
               CASE r.channel WHEN 'paid_search' THEN 0.045 WHEN 'paid_social' THEN 0.012
                              WHEN 'display' THEN 0.004 WHEN 'affiliate' THEN 0.02 ELSE 0.03 END AS ctr
        FROM days_run r
        LEFT JOIN visits v ON v.campaign_id = r.campaign_id AND v.day = r.day
    ), counted AS (
        SELECT *, round(sessions * (1.3 + 0.4 * u(campaign_id || day::VARCHAR, 'clicks')))::BIGINT AS clicks
        FROM spend
    )
    SELECT day AS date,
           campaign_id AS campaign,
           utm_source AS network,
           round(greatest(clicks, 1) / ctr * (0.9 + 0.2 * u(campaign_id || day::VARCHAR, 'impressions')))::BIGINT
               AS impressions,
           clicks,
           round(cost_eur * 1000000)::BIGINT AS cost_micros,
           'EUR' AS currency
    FROM counted
    ORDER BY day, campaign_id
) TO '${out}/marketing/ad_spend.csv' (FORMAT csv, HEADER true);

-- ---------------------------------------------------------------------------------------------
-- Orders and their lines (shop database)
-- ---------------------------------------------------------------------------------------------

-- Seconds from the session start to its j-th event: increasing, 20 to 100 s apart.
CREATE MACRO event_offset_s(session_no, j) AS
    (j - 1) * 60 + (hash(session_no, j, 'gap') % 40)::INTEGER - CASE WHEN j = 1 THEN 0 ELSE 20 END;

CREATE TABLE gen_orders AS
WITH tracked AS (
    SELECT session_no AS key, 'web' AS channel, customer_id, session_id,
           started_at + to_seconds(event_offset_s(session_no, n_events)) AS ordered_at
    FROM gen_sessions
    WHERE is_converting
), untracked_draws AS (
    SELECT 1000000000 + i AS key, u(i, 'day') AS day_draw, u(i, 'hour') AS hour_draw
    FROM range(n_untracked_orders()) t(i)
), untracked AS (
    SELECT x.key,
           CASE WHEN u(x.key, 'app') < 0.6 THEN 'app' ELSE 'web' END AS channel,
           NULL::BIGINT AS customer_id,
           NULL::VARCHAR AS session_id,
           d.day::TIMESTAMP + to_hours(h.hour) + to_seconds(floor(u(x.key, 'second') * 3600)::BIGINT)
               AS ordered_at
    FROM untracked_draws x
    ASOF JOIN days d ON x.day_draw >= d.cum_frac
    ASOF JOIN hours h ON x.hour_draw >= h.cum_frac
), all_orders AS (
    SELECT key, channel, coalesce(customer_id, customer_at(ordered_at, key, 'customer')) AS customer_id,
           session_id, ordered_at
    FROM (SELECT * FROM tracked UNION ALL SELECT * FROM untracked)
)
SELECT 100000 + row_number() OVER (ORDER BY ordered_at, key) AS order_id, *,
       1 + floor(6 * pow(u(key, 'lines'), 1.4))::INTEGER AS n_lines,
       CASE WHEN u(key, 'coupon') < 0.14 THEN
           CASE WHEN ordered_at::DATE BETWEEN DATE '2025-11-24' AND DATE '2025-12-01' THEN 'BLACKFRIDAY20'
                WHEN ordered_at::DATE BETWEEN DATE '2026-06-24' AND DATE '2026-07-21' THEN 'SUMMER15'
                WHEN u(key, 'coupon_kind') < 0.5 THEN 'WELCOME10'
                ELSE 'LOYAL5' END
       END AS coupon_code
FROM all_orders;

CREATE TABLE gen_order_lines AS
WITH lines AS (
    SELECT order_id, key, coupon_code, unnest(range(1, n_lines + 1)) AS line_number FROM gen_orders
)
SELECT l.order_id, l.line_number,
       -- Popular products sell far more than the long tail.
       1 + floor(n_products() * pow(u(l.key * 10 + l.line_number, 'product'), 2.2))::BIGINT AS product_id,
       CASE WHEN u(l.key * 10 + l.line_number, 'qty') < 0.80 THEN 1
            WHEN u(l.key * 10 + l.line_number, 'qty') < 0.94 THEN 2
            WHEN u(l.key * 10 + l.line_number, 'qty') < 0.98 THEN 3
            ELSE 4 + (hash(l.key, l.line_number, 'qty_big') % 3)::INTEGER END AS quantity,
       l.coupon_code
FROM lines l;

CREATE TABLE gen_order_amounts AS
SELECT ol.order_id, ol.line_number, ol.product_id, ol.quantity,
       p.list_price AS unit_price,
       round(p.list_price * ol.quantity
             * CASE ol.coupon_code WHEN 'BLACKFRIDAY20' THEN 0.20 WHEN 'SUMMER15' THEN 0.15
                                   WHEN 'WELCOME10' THEN 0.10 WHEN 'LOYAL5' THEN 0.05 ELSE 0 END, 2)::DECIMAL(10, 2)
           AS discount
FROM gen_order_lines ol JOIN gen_products p USING (product_id);

COPY (
    SELECT order_id, line_number AS line_no, product_id, quantity AS qty, unit_price, discount
    FROM gen_order_amounts
    ORDER BY order_id, line_number
) TO '${out}/orders/order_lines.csv' (FORMAT csv, HEADER true);

-- Each order's life: paid minutes after it is placed, shipped 1-3 days later, delivered 1-4 days
-- after that; ~3.5% are cancelled before shipping and ~4.5% of delivered ones come back. Its
-- status is the last step reached by the end of the data.
CREATE TABLE gen_order_history AS
WITH steps AS (
    SELECT o.order_id, o.customer_id, o.session_id, o.channel, o.coupon_code, o.ordered_at,
           date_diff('second', o.ordered_at, window_end()) AS age_s,
           u(o.order_id, 'fate') AS fate,
           30 + hash(o.order_id, 'paid') % 300 AS paid_s,
           600 + hash(o.order_id, 'cancel') % 7200 AS cancelled_s,
           86400 * (1 + hash(o.order_id, 'ship') % 3) + hash(o.order_id, 'ship_s') % 28800 AS shipped_s
    FROM gen_orders o
), timeline AS (
    SELECT *,
           shipped_s + 86400 * (1 + hash(order_id, 'deliver') % 4) + hash(order_id, 'deliver_s') % 36000
               AS delivered_s
    FROM steps
), timeline2 AS (
    SELECT *, delivered_s + 86400 * (3 + hash(order_id, 'return') % 20) AS returned_s FROM timeline
)
SELECT *,
       CASE WHEN fate < 0.035 AND age_s >= cancelled_s THEN 'cancelled'
            WHEN fate > 0.955 AND age_s >= returned_s THEN 'returned'
            WHEN fate >= 0.035 AND age_s >= delivered_s THEN 'delivered'
            WHEN fate >= 0.035 AND age_s >= shipped_s THEN 'shipped'
            WHEN age_s >= paid_s THEN 'paid'
            ELSE 'placed' END AS status
FROM timeline2;

-- The order export is a change log caught at the end of the data: the current version of every
-- order, the version before it for ~30% of orders, and a duplicated delivery of ~0.5% of rows.
-- Before March 2026 the shop wrote statuses in upper case.
COPY (
    WITH totals AS (
        SELECT order_id, sum(unit_price * quantity - discount) AS goods FROM gen_order_amounts GROUP BY order_id
    ), current_version AS (
        SELECT h.*, 0 AS version_back,
               CASE h.status WHEN 'placed' THEN 0 WHEN 'paid' THEN h.paid_s WHEN 'shipped' THEN h.shipped_s
                             WHEN 'delivered' THEN h.delivered_s WHEN 'returned' THEN h.returned_s
                             ELSE h.cancelled_s END AS at_s
        FROM gen_order_history h
    ), previous_version AS (
        SELECT h.* REPLACE (CASE h.status WHEN 'paid' THEN 'placed' WHEN 'shipped' THEN 'paid'
                                          WHEN 'delivered' THEN 'shipped' WHEN 'returned' THEN 'delivered'
                                          ELSE 'placed' END AS status),
               1 AS version_back,
               CASE h.status WHEN 'shipped' THEN h.paid_s WHEN 'delivered' THEN h.shipped_s
                             WHEN 'returned' THEN h.delivered_s ELSE 0 END AS at_s
        FROM gen_order_history h
        WHERE h.status <> 'placed' AND u(h.order_id, 'older_version') < 0.3
    ), versions AS (
        SELECT * FROM current_version UNION ALL SELECT * FROM previous_version
    ), deliveries AS (
        SELECT *, unnest(range(CASE WHEN u(order_id * 10 + version_back, 'dup') < 0.005 THEN 2 ELSE 1 END)) AS delivery
        FROM versions
    )
    SELECT v.order_id,
           v.customer_id,
           v.session_id AS web_session_id,
           v.channel,
           CASE WHEN v.ordered_at < TIMESTAMP '2026-03-01' THEN upper(v.status) ELSE v.status END AS status,
           CASE WHEN u(v.order_id, 'pay') < 0.52 THEN 'card'
                WHEN u(v.order_id, 'pay') < 0.76 THEN 'paypal'
                WHEN u(v.order_id, 'pay') < 0.87 THEN 'klarna'
                WHEN u(v.order_id, 'pay') < 0.97 THEN CASE WHEN v.channel = 'app' THEN 'apple_pay' ELSE 'card' END
                ELSE 'bank_transfer' END AS payment_method,
           'EUR' AS currency,
           c.country_code AS shipping_country,
           v.coupon_code,
           CASE WHEN t.goods >= 60 THEN 0 ELSE 4.95 END::DECIMAL(6, 2) AS shipping_fee,
           v.ordered_at AS created_at,
           v.ordered_at + to_seconds(v.at_s) AS updated_at
    FROM deliveries v
    JOIN totals t USING (order_id)
    JOIN gen_customers c USING (customer_id)
    ORDER BY updated_at, order_id, version_back, delivery
) TO '${out}/orders/orders.csv' (FORMAT csv, HEADER true);

-- ---------------------------------------------------------------------------------------------
-- Web events (tracker, JSON lines)
-- ---------------------------------------------------------------------------------------------

CREATE TABLE gen_events AS
    WITH first_lines AS (
        SELECT o.session_id, ol.product_id
        FROM gen_orders o JOIN gen_order_lines ol ON ol.order_id = o.order_id AND ol.line_number = 1
        WHERE o.session_id IS NOT NULL
    ), events AS (
        SELECT s.*, unnest(range(1, s.n_events + 1)) AS j FROM gen_sessions s
    ), typed AS (
        SELECT e.*,
               CASE WHEN e.j = 1 THEN 'page_view'
                    WHEN e.is_converting AND e.j = e.n_events THEN 'purchase'
                    WHEN e.is_converting AND e.j = e.n_events - 1 THEN 'checkout_started'
                    WHEN e.is_converting AND e.j = e.n_events - 2 THEN 'add_to_cart'
                    WHEN u(e.session_no * 10 + e.j, 'kind') < 0.55 THEN 'product_view'
                    WHEN u(e.session_no * 10 + e.j, 'kind') < 0.88 OR e.is_bot THEN 'page_view'
                    ELSE 'add_to_cart' END AS event_type,
               e.started_at + to_seconds(event_offset_s(e.session_no, e.j)) AS occurred_at
        FROM events e
    ), placed AS (
        SELECT t.*,
               CASE WHEN t.event_type IN ('product_view', 'add_to_cart') THEN
                   coalesce(fl.product_id,
                            1 + floor(n_products() * pow(u(t.session_no * 10 + t.j, 'viewed'), 2.2))::BIGINT)
               END AS product_id
        FROM typed t
        -- (The condition sits inside the key so that DuckDB keeps a hash join.)
        LEFT JOIN first_lines fl
               ON fl.session_id = CASE WHEN t.is_converting AND t.event_type = 'add_to_cart' THEN t.session_id END
    ), shaped AS (
        SELECT p.*,
               CASE p.event_type
                   WHEN 'purchase' THEN '/checkout/confirmation'
                   WHEN 'checkout_started' THEN '/checkout'
                   WHEN 'product_view' THEN '/p/' || gp.sku
                   WHEN 'add_to_cart' THEN '/p/' || gp.sku
                   ELSE pick(['/', '/', '/c/apparel', '/c/footwear', '/c/camping', '/c/cycling', '/c/kitchen',
                              '/c/home', '/c/electronics', '/c/books', '/search', '/sale', '/journal/packing-list',
                              '/help/shipping', '/account'], p.session_no * 10 + p.j, 'page')
               END AS path
        FROM placed p
        LEFT JOIN gen_products gp ON gp.product_id = p.product_id
    ), deliveries AS (
        -- The tracker delivers at least once: ~1% of events arrive twice.
        SELECT *, unnest(range(CASE WHEN u(session_no * 10 + j, 'dup') < 0.01 THEN 2 ELSE 1 END)) AS delivery
        FROM shaped
    )
    SELECT uuid_text('event' || session_no || '-' || j) AS messageId,
           event_type AS "type",
           strftime(occurred_at, '%Y-%m-%dT%H:%M:%S.')
               || lpad((hash(session_no, j, 'ms') % 1000)::VARCHAR, 3, '0') || 'Z' AS "timestamp",
           session_id AS sessionId,
           anonymous_id AS anonymousId,
           customer_id AS userId,
           struct_pack(path := path, referrer := CASE WHEN j = 1 THEN referrer END) AS page,
           CASE WHEN j = 1 AND utm_campaign IS NOT NULL THEN
               struct_pack(source := utm_source, medium := utm_medium, campaign := utm_campaign) END AS utm,
           product_id AS productId,
           struct_pack(userAgent := user_agent,
                       device := CASE device_type WHEN 'mobile' THEN 'Mobile' WHEN 'tablet' THEN 'Tablet'
                                                  ELSE 'Desktop' END,
                       ip := ip_address,
                       country := country_code) AS context
           , row_number() OVER (ORDER BY occurred_at, session_no, j, delivery) AS event_order
    FROM deliveries;

-- The tracker drops one zstd-compressed JSON lines file per month (the last visits of October end
-- in November: they stay in October's file).
COPY (SELECT * EXCLUDE (event_order) FROM gen_events WHERE "timestamp" LIKE '2025-11-%' ORDER BY event_order)
    TO '${out}/traffic/events/events-2025-11.jsonl.zst' (FORMAT json, COMPRESSION zstd);
COPY (SELECT * EXCLUDE (event_order) FROM gen_events WHERE "timestamp" LIKE '2025-12-%' ORDER BY event_order)
    TO '${out}/traffic/events/events-2025-12.jsonl.zst' (FORMAT json, COMPRESSION zstd);
COPY (SELECT * EXCLUDE (event_order) FROM gen_events WHERE "timestamp" LIKE '2026-01-%' ORDER BY event_order)
    TO '${out}/traffic/events/events-2026-01.jsonl.zst' (FORMAT json, COMPRESSION zstd);
COPY (SELECT * EXCLUDE (event_order) FROM gen_events WHERE "timestamp" LIKE '2026-02-%' ORDER BY event_order)
    TO '${out}/traffic/events/events-2026-02.jsonl.zst' (FORMAT json, COMPRESSION zstd);
COPY (SELECT * EXCLUDE (event_order) FROM gen_events WHERE "timestamp" LIKE '2026-03-%' ORDER BY event_order)
    TO '${out}/traffic/events/events-2026-03.jsonl.zst' (FORMAT json, COMPRESSION zstd);
COPY (SELECT * EXCLUDE (event_order) FROM gen_events WHERE "timestamp" LIKE '2026-04-%' ORDER BY event_order)
    TO '${out}/traffic/events/events-2026-04.jsonl.zst' (FORMAT json, COMPRESSION zstd);
COPY (SELECT * EXCLUDE (event_order) FROM gen_events WHERE "timestamp" LIKE '2026-05-%' ORDER BY event_order)
    TO '${out}/traffic/events/events-2026-05.jsonl.zst' (FORMAT json, COMPRESSION zstd);
COPY (SELECT * EXCLUDE (event_order) FROM gen_events WHERE "timestamp" LIKE '2026-06-%' ORDER BY event_order)
    TO '${out}/traffic/events/events-2026-06.jsonl.zst' (FORMAT json, COMPRESSION zstd);
COPY (SELECT * EXCLUDE (event_order) FROM gen_events WHERE "timestamp" LIKE '2026-07-%' ORDER BY event_order)
    TO '${out}/traffic/events/events-2026-07.jsonl.zst' (FORMAT json, COMPRESSION zstd);
COPY (SELECT * EXCLUDE (event_order) FROM gen_events WHERE "timestamp" LIKE '2026-08-%' ORDER BY event_order)
    TO '${out}/traffic/events/events-2026-08.jsonl.zst' (FORMAT json, COMPRESSION zstd);
COPY (SELECT * EXCLUDE (event_order) FROM gen_events WHERE "timestamp" LIKE '2026-09-%' ORDER BY event_order)
    TO '${out}/traffic/events/events-2026-09.jsonl.zst' (FORMAT json, COMPRESSION zstd);
COPY (SELECT * EXCLUDE (event_order) FROM gen_events WHERE "timestamp" >= '2026-10-' ORDER BY event_order)
    TO '${out}/traffic/events/events-2026-10.jsonl.zst' (FORMAT json, COMPRESSION zstd);
