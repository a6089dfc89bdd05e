-- Store schema 4: users and roles, exception versions, comments, attachments (issue 12).
SELECT 1;
