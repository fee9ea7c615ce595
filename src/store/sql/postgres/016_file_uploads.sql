-- PostgreSQL twin of sql/sqlite/016_file_uploads.sql: the same schema in this dialect.
-- Who uploaded each file. An upload is stored once by content (files), but
-- several people may upload the same bytes: each of them, and only they,
-- may attach it to a case (or anyone may attach it again to a case that
-- already holds it), so knowing a file's SHA-256 no longer lets one read it
-- through one's own item (app/cases.c). Uploads made before this migration
-- count as their first uploader's.
CREATE TABLE file_uploads (
    sha256      TEXT NOT NULL REFERENCES files (sha256),
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (sha256, uploaded_by)
);

INSERT INTO file_uploads (sha256, uploaded_by, uploaded_at)
    SELECT sha256, created_by, created_at FROM files;
