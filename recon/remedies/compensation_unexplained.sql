-- Without [[compensation.policies]] compensation.csv keeps its contract columns; the
-- explained lines are empty.
CREATE OR REPLACE TEMP TABLE compensation_explained (
    customer_id VARCHAR, currency VARCHAR, compensation DECIMAL(38, 2), exception_ids VARCHAR,
    policy VARCHAR, days INTEGER, basis VARCHAR, position INTEGER
);
