-- The folder the working database spills to (resources.py).
SELECT current_setting('temp_directory');
