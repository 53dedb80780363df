-- The transform of orders.order_facts (a fixture of the schema test: never run).
select o.order_id, o.customer_email, o.status, o.amount, o.ordered_at, s.session_id
from raw_orders o left join sessions s on s.email = o.customer_email
