-- The findings' money, computed as DECIMAL(38,2) and checked to fit (oversized_money.sql), in
-- the exception store's type.
ALTER TABLE findings ALTER amount SET DATA TYPE DECIMAL(18, 2);
ALTER TABLE findings ALTER compensation SET DATA TYPE DECIMAL(18, 2);
