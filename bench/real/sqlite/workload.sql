-- workload.sql: the SQL run by the sqlite3 shell in the wasm-ckpt benchmark (in-memory database).
CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT, region INTEGER);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER, amount INTEGER, day INTEGER);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO customers SELECT i, printf('customer-%05d', (i * 7919) % 20000), (i * 31) % 17 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120000)
INSERT INTO orders SELECT i, 1 + (i * 104729) % 20000, (i * 2654435761) % 1000, (i * 13) % 365 FROM n;
CREATE INDEX orders_customer ON orders(customer);
SELECT count(*), sum(amount), avg(amount) FROM orders;
SELECT region, count(*), sum(o.amount) FROM customers c JOIN orders o ON o.customer = c.id GROUP BY region ORDER BY region;
SELECT name, total FROM (SELECT c.name AS name, sum(o.amount) AS total FROM customers c JOIN orders o ON o.customer = c.id GROUP BY c.id) ORDER BY total DESC, name LIMIT 5;
SELECT day, running FROM (SELECT day, sum(sum(amount)) OVER (ORDER BY day) AS running FROM orders GROUP BY day) WHERE day % 73 = 0;
SELECT count(DISTINCT customer), count(DISTINCT amount) FROM orders WHERE day BETWEEN 100 AND 200;
UPDATE orders SET amount = amount + 1 WHERE customer % 3 = 0;
DELETE FROM orders WHERE amount > 900;
SELECT count(*), sum(amount) FROM orders;
SELECT substr(group_concat(name, ','), 1, 60) FROM (SELECT name FROM customers ORDER BY name DESC LIMIT 50);
