-- On PostgreSQL `import` may write the database while the server does. Each process takes its turn to read a file
-- (an advisory lock) and bumps this one row's generation when it does: another process that finds the generation
-- moved since its own last turn reads again what it remembers of the stored messages (WriterTurns).
CREATE TABLE writer_turn (
    id          INTEGER PRIMARY KEY,
    generation  BIGINT NOT NULL
);
INSERT INTO writer_turn (id, generation) VALUES (1, 0);
