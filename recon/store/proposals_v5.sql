-- Store schema 5: proposals (corrections, compensation) with maker-checker, alerts (issue 12).
SELECT 1;
