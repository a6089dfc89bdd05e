-- Each finding's compensation is the sum of its policies' lines (0 without any).
UPDATE findings AS f SET compensation = coalesce(
    (SELECT sum(l.compensation) FROM compensation_lines AS l
     WHERE l.exception_id = f.exception_id), 0)::DECIMAL(18, 2);
DELETE FROM compensation_lines WHERE compensation <= 0;
DROP TABLE IF EXISTS _cp_match;
