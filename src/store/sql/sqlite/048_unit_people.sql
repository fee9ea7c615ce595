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
CREATE TRIGGER persons_count_insert AFTER INSERT ON persons BEGIN
    INSERT INTO unit_people (unit, n) VALUES (NEW.unit, 1)
        ON CONFLICT (unit) DO UPDATE SET n = unit_people.n + 1;
END;
CREATE TRIGGER persons_count_delete AFTER DELETE ON persons BEGIN
    UPDATE unit_people SET n = n - 1 WHERE unit = OLD.unit;
    DELETE FROM unit_people WHERE unit = OLD.unit AND n = 0;
END;
CREATE TRIGGER persons_count_move AFTER UPDATE OF unit ON persons
WHEN OLD.unit IS NOT NEW.unit BEGIN
    UPDATE unit_people SET n = n - 1 WHERE unit = OLD.unit;
    DELETE FROM unit_people WHERE unit = OLD.unit AND n = 0;
    INSERT INTO unit_people (unit, n) VALUES (NEW.unit, 1)
        ON CONFLICT (unit) DO UPDATE SET n = unit_people.n + 1;
END;
