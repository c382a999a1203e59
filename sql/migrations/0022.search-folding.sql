-- The grid's search finds names however their accents and umlauts are typed:
-- "cafe" finds "Café", "Muller" and "Mueller" find "Müller", "Strasse" finds
-- "Straße". Each word of a name and city is kept twice in `search`, folded two
-- ways: without its accents (ü → u, é → e) and spelled the German way without
-- umlauts (ü → ue); ß is ss in both, and every letter is lower case. The search
-- text is folded the first way (services/service_layer/customers/filters.py and
-- sql/queries/find_search_words.sql call search_fold), so a person typing either
-- spelling, or the original one, meets one of the two.
--
-- Names are qualified: the write API runs with search_path = pg_catalog, pg_temp.
-- translate() rather than the unaccent extension: a generated column needs an
-- immutable expression, unaccent() is not, and the extension is not everywhere.

CREATE FUNCTION public.search_fold(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT translate(replace(replace(replace(lower(p_text), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'),
                     'àáâãäåāăąçćčďđèéêëēėęěğìíîïīįıłñńňòóôõöøōőŕřśšşťţùúûüūůűųýÿźżž',
                     'aaaaaaaaacccddeeeeeeeegiiiiiiilnnnoooooooorrsssttuuuuuuuuyyzzz')
$$;

-- The German spelling without umlauts, then the rest as search_fold does it.
CREATE FUNCTION public.search_transliterate(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT public.search_fold(replace(replace(replace(lower(p_text), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'))
$$;

-- The lexemes of a customer's name and city, both ways (a word without accents is there once).
CREATE FUNCTION public.search_vector(p_name text, p_city text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.to_tsvector('simple'::regconfig, public.search_fold(t))
        || pg_catalog.to_tsvector('simple'::regconfig, public.search_transliterate(t))
      FROM (SELECT p_name || ' ' || coalesce(p_city, '')) AS words (t)
$$;

-- The trigger that keeps the words table names the column; sql/definitions/04_projection.sql
-- creates it again. The covering indexes that include `search` go with the column and are
-- made again by the schema upgrade from the pack (services/adapters/hot_fields.py).
DROP TRIGGER IF EXISTS hot_proj_words_update ON cm_customer_hot_proj;
ALTER TABLE cm_customer_hot_proj DROP COLUMN search;
ALTER TABLE cm_customer_hot_proj
    ADD COLUMN search tsvector GENERATED ALWAYS AS (public.search_vector(name, city)) STORED;
CREATE INDEX hot_search_idx ON cm_customer_hot_proj USING gin (search);

-- The words table holds the new lexemes (rows are added or removed by the triggers only on a write).
TRUNCATE cm_customer_words;
INSERT INTO cm_customer_words (word, name, customer_id, region)
SELECT lexeme, p.name, p.customer_id, p.region
  FROM cm_customer_hot_proj p, unnest(tsvector_to_array(p.search)) AS lexeme;
ANALYZE cm_customer_hot_proj;
ANALYZE cm_customer_words;
