-- catalog.products: the PIM's product master (input `pim_products`).
-- Turns the PIM's 'Y'/'N' flag into a boolean and fixes the money types.
SELECT
    CAST(product_id AS BIGINT)        AS product_id,
    CAST(sku AS VARCHAR)              AS sku,
    CAST(name AS VARCHAR)             AS product_name,
    CAST(lower(category) AS VARCHAR)  AS category,
    CAST(lower(subcategory) AS VARCHAR) AS subcategory,
    CAST(brand AS VARCHAR)            AS brand,
    CAST(list_price AS DECIMAL(10,2)) AS list_price,
    CAST(unit_cost AS DECIMAL(10,2))  AS unit_cost,
    CAST(upper(active) = 'Y' AS BOOLEAN) AS is_active,
    CAST(launched_on AS DATE)         AS launch_date
FROM pim_products
