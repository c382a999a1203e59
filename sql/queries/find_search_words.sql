-- The words of names and cities the person may read that start with the longest
-- word of a search (:text, the search's words, folded as the stored words are:
-- migration 0022): at most :most of them, in byte order, and that search word
-- (NULL when the search has none).
--
-- Every word of a search must start a word of the customer, so the customers
-- with a word starting with the longest one hold every match (see
-- services/service_layer/grid_words.py). PostgreSQL's parser splits the text, as to_tsquery
-- does. One index descent per word found (a loose index scan): `word > x
-- ORDER BY word LIMIT 1` jumps over all rows of x. The words starting with p
-- are those in [p, p || U+10FFFF): no lexeme holds that code point (the parser
-- splits words at it), and it ends UTF-8's byte order. The bound keeps a step
-- from walking past the prefix through words whose rows the person may not read.
WITH RECURSIVE prefix AS MATERIALIZED (
    SELECT lexeme AS low, lexeme || chr(1114111) AS high
      FROM unnest(to_tsvector('simple', search_fold(:text))) AS t
     ORDER BY length(lexeme) DESC, lexeme
     LIMIT 1
), found (word) AS (
    SELECT (SELECT w.word FROM cm_customer_words w
             WHERE w.word >= prefix.low AND w.word < prefix.high ORDER BY w.word LIMIT 1)
      FROM prefix
    UNION ALL
    SELECT (SELECT w.word FROM cm_customer_words w
             WHERE w.word > found.word AND w.word < prefix.high ORDER BY w.word LIMIT 1)
      FROM found, prefix
     WHERE found.word IS NOT NULL
)
SELECT (SELECT low FROM prefix) AS prefix,
       ARRAY(SELECT word FROM found WHERE word IS NOT NULL LIMIT :most) AS words
