-- The compensation lines of this run's findings, one per (finding, policy) that pays
-- something: what, how many days, and the basis in words (compensation.csv explains each).
CREATE OR REPLACE TABLE compensation_lines (
    exception_id VARCHAR NOT NULL,
    customer_id VARCHAR,
    currency VARCHAR,
    position INTEGER NOT NULL,          -- the policy's place in [[compensation.policies]]
    policy VARCHAR NOT NULL,            -- its name (its kind unless named)
    days INTEGER,                       -- the days paid for; NULL when days do not count
    basis VARCHAR NOT NULL,
    compensation DECIMAL(38, 2) NOT NULL
);
