-- How the pack's codes read and the German of its texts (services/pack/words.py),
-- kept with the pack's other declarations so every client reads the same words.
ALTER TABLE pack_info ADD COLUMN words jsonb NOT NULL DEFAULT '{}';
