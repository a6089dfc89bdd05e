-- Everything the generator's views read, bound once as parameters (one row).
CREATE OR REPLACE TEMP TABLE gen_params AS
SELECT
    $seed::UBIGINT AS seed,
    $n::BIGINT AS n,
    $a::BIGINT AS a,
    $b::BIGINT AS b,
    $cycle_len::BIGINT AS cycle_len,
    $n_customers::BIGINT AS n_customers,
    $day_start::TIMESTAMPTZ AS day_start,
    $day_ms::BIGINT AS day_ms,
    $pre_ms::BIGINT AS pre_ms,
    $outage_ms::BIGINT AS outage_ms,
    $post_end_ms::BIGINT AS post_end_ms,
    $inflight_from_ms::BIGINT AS inflight_from_ms,
    $parts::BIGINT AS parts,
    $date_tag::VARCHAR AS date_tag,
    $currency::VARCHAR AS currency,
    $gateway_currency::VARCHAR AS gateway_currency,
    $rate_num::BIGINT AS rate_num,
    $rate_den::BIGINT AS rate_den,
    $tz::VARCHAR AS tz,
    $utc_out::BOOLEAN AS utc_out;
