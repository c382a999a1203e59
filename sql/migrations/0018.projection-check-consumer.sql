-- The daemon's consumer that checks the hot projection against the truth (and repairs
-- what differs; the triggers write the projection) was called `projections`; its name
-- now says what it does. Its checkpoint and dead letters keep their place.
UPDATE consumer_checkpoints SET consumer = 'projection_check' WHERE consumer = 'projections';
UPDATE event_dead_letters SET consumer = 'projection_check' WHERE consumer = 'projections';
