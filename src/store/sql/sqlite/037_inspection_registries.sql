-- 双随机 registries over the API (issue 15 part 6): an item of the
-- 抽查事项清单 can be withdrawn like a target or an inspector, and a plan
-- carries the public value announced with it, before its draw (the draw
-- seed is derived from it, core/draw.c).
ALTER TABLE inspection_items ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE inspection_plans ADD COLUMN public_value TEXT NOT NULL DEFAULT '';
