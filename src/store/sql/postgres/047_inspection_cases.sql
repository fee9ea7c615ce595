-- 双随机: each drawn check is a case of kind "inspection" (kinds/inspection.json),
-- opened with the draw; the case moves as the check's result is recorded.
-- Checks drawn before this migration have none.
ALTER TABLE inspection_checks ADD COLUMN case_id BIGINT REFERENCES cases (id);
CREATE INDEX inspection_checks_case ON inspection_checks (case_id);
