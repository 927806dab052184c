-- Worked queries for a newsdb database, to paste into the sqlite3 shell:
--
--     sqlite3 -box news.sqlite
--     sqlite> (paste a query)
--
-- or run one from the command line: sqlite3 -box news.sqlite "SELECT ...".
-- The names below (Ada Lindqvist, Northgate Times, ...) are from the small
-- invented corpus the test suite builds (tests/query_corpus.py), where every
-- query here is run in the real shell and its output checked against the same
-- question asked through newsdb.query; put your own names in their place.
-- The views (article_overview, person_mentions, quote_list, cited_outlets,
-- topic_articles, people_overview, article_versions) are described in
-- docs/schema.md; they show the latest version of each article only.

-- 1. The latest articles, with outlet, agency, people and topics.
SELECT id, date, outlet, agency, headline, people, topics
FROM article_overview
ORDER BY date DESC, id DESC
LIMIT 20;

-- 2. Articles mentioning a person, by any of their names, any case.
-- (person_aliases.key is the name in lower case with single spaces; SQLite's
-- lower() folds ASCII letters only, so type accented capitals in lower case.)
SELECT a.id, a.date, a.outlet, a.headline
FROM article_overview a
WHERE a.id IN (
    SELECT ap.article_id
    FROM article_people ap
    JOIN person_aliases pa ON pa.person_id = ap.person_id
    WHERE pa.key = lower('A. Lindqvist')
)
ORDER BY a.date DESC, a.id DESC;

-- 3. The people mentioned with a person (co-mentions), by number of articles.
SELECT p.name, count(*) AS articles
FROM person_mentions me
JOIN article_people ap ON ap.article_id = me.article_id AND ap.person_id <> me.person_id
JOIN people p ON p.id = ap.person_id
WHERE me.person = 'Ada Lindqvist'
GROUP BY p.id, p.name
ORDER BY articles DESC, p.name;

-- 4. A person's articles per month (dates are ISO text: substr and SQLite's
-- date functions work on them).
SELECT substr(date, 1, 7) AS month, count(*) AS articles
FROM person_mentions
WHERE person = 'Ada Lindqvist' AND date IS NOT NULL
GROUP BY month
ORDER BY month;

-- 5. Full-text search, best first, with a snippet; bm25 weighs a match in the
-- headline 10, in the standfirst 3, in the body 1 (lower is better).
SELECT a.id, a.headline,
       snippet(articles_fts, -1, '[', ']', '…', 12) AS snippet,
       round(bm25(articles_fts, 10.0, 3.0, 1.0), 2) AS rank
FROM articles_fts
JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH 'telescope' AND a.is_latest
ORDER BY rank;

-- 6. What a person said, newest first.
SELECT date, quote, outlet, headline
FROM quote_list
WHERE speaker = 'Ada Lindqvist'
ORDER BY date DESC, article_id DESC;

-- 7. Quotes containing a word, whoever said them.
SELECT speaker, quote, article_id
FROM quote_list
WHERE quote LIKE '%harbour%'
ORDER BY date DESC, article_id DESC;

-- 8. Which wire agencies each publisher credits, and how often.
SELECT o.name AS publisher, g.name AS agency, count(*) AS articles
FROM articles a
JOIN outlets o ON o.id = a.outlet_id
JOIN outlets g ON g.id = a.agency_id
WHERE a.is_latest
GROUP BY o.name, g.name
ORDER BY articles DESC, publisher, agency;

-- 9. The outlets a publisher's articles cite, by number of articles.
SELECT outlet, count(*) AS articles
FROM cited_outlets
WHERE publisher = 'Northgate Times' AND role = 'cited'
GROUP BY outlet
ORDER BY articles DESC, outlet;

-- 10. The people most mentioned in a topic and its sub-topics.
SELECT person, count(*) AS articles
FROM person_mentions
WHERE article_id IN (
    SELECT article_id FROM topic_articles WHERE topic = 'economy' OR parent = 'economy'
)
GROUP BY person_id, person
ORDER BY articles DESC, person
LIMIT 10;

-- 11. Topics by number of articles.
SELECT topic, parent, count(*) AS articles
FROM topic_articles
GROUP BY topic, parent
ORDER BY articles DESC, topic;

-- 12. Every stored version of an article's URL (older versions are kept).
SELECT version, is_latest, article_id, headline
FROM article_versions
WHERE url_key = (SELECT url_key FROM articles WHERE id = 6)
ORDER BY version;

-- 13. People with every form of their name seen, most mentioned first.
SELECT name, aliases, articles
FROM people_overview
ORDER BY articles DESC, name
LIMIT 10;

-- 14. Articles per week (weeks start on Monday).
SELECT date(date, 'weekday 0', '-6 days') AS week, count(*) AS articles
FROM article_overview
WHERE date IS NOT NULL
GROUP BY week
ORDER BY week;

-- 15. Every article an outlet appears in, whether it published it, is the
-- agency credited, or is cited.
SELECT article_id, date, headline, group_concat(role, ', ') AS roles
FROM cited_outlets
WHERE outlet = 'Wirepoint'
GROUP BY article_id, date, headline
ORDER BY date DESC, article_id DESC;
