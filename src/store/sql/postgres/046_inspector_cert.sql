-- 执法检查人员名录库: the inspector's 执法证号 (law-enforcement certificate
-- number), shown in the registry and the import's key when given.
ALTER TABLE inspectors ADD COLUMN cert_no TEXT NOT NULL DEFAULT '';
