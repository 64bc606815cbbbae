-- The hour that repeats when the MTA's clocks go back: times stay as logged, and an entry of the second pass (and of
-- the hours after it, see ClockSteps) carries the seconds to add to its time to order it among the others. NULL for
-- nearly every entry: no index, and nothing written for it on an import.
ALTER TABLE attempt ADD COLUMN order_shift INTEGER;
ALTER TABLE recipient ADD COLUMN enqueue_shift INTEGER;
ALTER TABLE recipient ADD COLUMN last_shift INTEGER;

-- What reading a file has seen of its clock, as of its committed lines (or of the lines a rebuild read again), so that
-- a read that goes on from there knows whether the clocks went back: the latest time so far, and while an hour
-- repeats or its shift wears off, the shift in seconds and the latest time before the clocks went back.
ALTER TABLE log_file ADD COLUMN clock_latest TIMESTAMP;
ALTER TABLE log_file ADD COLUMN clock_step INTEGER;
ALTER TABLE log_file ADD COLUMN clock_until TIMESTAMP;
