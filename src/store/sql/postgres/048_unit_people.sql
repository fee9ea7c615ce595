-- Persons per unit, kept by triggers as persons come, go and move: the
-- 30-minute circle reads a village's people from here instead of counting
-- every person of the province on each request. A unit without persons has
-- no row, so the rows follow from persons alone (jiceng migrate does not
-- copy them: the target's triggers make them again).
CREATE TABLE unit_people (
    unit TEXT PRIMARY KEY,
    n    BIGINT NOT NULL
);
INSERT INTO unit_people (unit, n) SELECT unit, count(*) FROM persons GROUP BY unit;
CREATE FUNCTION persons_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE unit_people SET n = n - 1 WHERE unit = OLD.unit;
        DELETE FROM unit_people WHERE unit = OLD.unit AND n = 0;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO unit_people (unit, n) VALUES (NEW.unit, 1)
            ON CONFLICT (unit) DO UPDATE SET n = unit_people.n + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER persons_count AFTER INSERT OR DELETE ON persons
    FOR EACH ROW EXECUTE FUNCTION persons_count();
CREATE TRIGGER persons_count_move AFTER UPDATE OF unit ON persons
    FOR EACH ROW WHEN (OLD.unit IS DISTINCT FROM NEW.unit) EXECUTE FUNCTION persons_count();
