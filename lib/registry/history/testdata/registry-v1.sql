-- A history database as schema version 1 (no digests) wrote it: two runs of one
-- tenant and one of another, dumped with sqlite3 .dump, for TestOpenMigratesVersion1.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE tenants (
	id   INTEGER PRIMARY KEY,
	name TEXT    NOT NULL UNIQUE  -- API host and user the runs read
);
INSERT INTO tenants VALUES(1,'api.example.test admin@example.test');
INSERT INTO tenants VALUES(2,'other.example.test someone@example.test');
CREATE TABLE runs (
	id         INTEGER PRIMARY KEY,  -- increasing: a later run has a larger id
	tenant     INTEGER NOT NULL REFERENCES tenants (id),
	taken_at   TEXT    NOT NULL,     -- RFC 3339, UTC, to the millisecond
	workspaces INTEGER NOT NULL,
	models     INTEGER NOT NULL
);
INSERT INTO runs VALUES(1,1,'2026-11-01T06:00:00.000Z',2,3);
INSERT INTO runs VALUES(2,1,'2026-11-02T06:00:00.000Z',2,3);
INSERT INTO runs VALUES(3,2,'2026-11-01T06:00:00.000Z',1,1);
CREATE TABLE workspace_versions (
	tenant         INTEGER NOT NULL REFERENCES tenants (id),
	workspace_id   TEXT    NOT NULL,
	first_run      INTEGER NOT NULL REFERENCES runs (id),
	until_run      INTEGER REFERENCES runs (id),
	name           TEXT    NOT NULL,
	active         INTEGER NOT NULL,  -- 0 or 1
	size_allowance INTEGER NOT NULL,  -- bytes; 0 when Anaplan did not say
	current_size   INTEGER NOT NULL,  -- bytes
	PRIMARY KEY (tenant, workspace_id, first_run)
) WITHOUT ROWID;
INSERT INTO workspace_versions VALUES(1,'w1',1,2,'Finance',1,10737418240,4294967296);
INSERT INTO workspace_versions VALUES(1,'w1',2,NULL,'Finance',1,10737418240,5368709120);
INSERT INTO workspace_versions VALUES(1,'w2',1,NULL,'Sales',1,10737418240,1073741824);
INSERT INTO workspace_versions VALUES(2,'w1',3,NULL,'Finance',1,10737418240,5368709120);
CREATE TABLE model_versions (
	tenant           INTEGER NOT NULL REFERENCES tenants (id),
	model_id         TEXT    NOT NULL,
	first_run        INTEGER NOT NULL REFERENCES runs (id),
	until_run        INTEGER REFERENCES runs (id),
	name             TEXT    NOT NULL,
	workspace_id     TEXT    NOT NULL,
	active_state     TEXT    NOT NULL,
	created_at       TEXT    NOT NULL,  -- RFC 3339 or empty
	environment      TEXT    NOT NULL,
	environment_rule TEXT    NOT NULL,
	family           TEXT    NOT NULL,
	alm_status       TEXT    NOT NULL,  -- e.g. in-sync, behind; empty without ALM
	alm              TEXT    NOT NULL,  -- what ALM said of the model, JSON; '' without ALM
	PRIMARY KEY (tenant, model_id, first_run)
) WITHOUT ROWID;
INSERT INTO model_versions VALUES(1,'M1',1,NULL,'FP&A DEV','w1','UNLOCKED','','dev','name: DEV','FP&A','','');
INSERT INTO model_versions VALUES(1,'M2',1,2,'FP&A PROD','w1','PRODUCTION','','prod','','FP&A','in-sync','{"latest":"R1"}');
INSERT INTO model_versions VALUES(1,'M2',2,NULL,'FP&A PROD','w1','PRODUCTION','','prod','','FP&A','behind','{"latest":"R1"}');
INSERT INTO model_versions VALUES(1,'M3',1,2,'Sales Plan','w2','UNLOCKED','2025-03-04T05:06:07Z','unknown','','Sales Plan','','');
INSERT INTO model_versions VALUES(1,'M4',2,NULL,'Copy of Sales Plan','w2','UNLOCKED','','sandbox','','Sales Plan','','');
INSERT INTO model_versions VALUES(2,'M1',3,NULL,'FP&A DEV','w1','UNLOCKED','','dev','name: DEV','FP&A','','');
CREATE TABLE model_activity (
	tenant            INTEGER NOT NULL REFERENCES tenants (id),
	model_id          TEXT    NOT NULL,
	first_run         INTEGER NOT NULL REFERENCES runs (id),
	until_run         INTEGER REFERENCES runs (id),
	memory_usage      INTEGER NOT NULL,  -- bytes
	last_modified     TEXT    NOT NULL,  -- RFC 3339 or empty
	last_saved_serial TEXT    NOT NULL,  -- as Anaplan sent it
	PRIMARY KEY (tenant, model_id, first_run)
) WITHOUT ROWID;
INSERT INTO model_activity VALUES(1,'M1',1,2,100,'','7');
INSERT INTO model_activity VALUES(1,'M1',2,NULL,150,'','8');
INSERT INTO model_activity VALUES(1,'M2',1,NULL,200,'','9');
INSERT INTO model_activity VALUES(1,'M3',1,2,300,'2026-10-30T12:00:00Z','');
INSERT INTO model_activity VALUES(1,'M4',2,NULL,50,'','');
INSERT INTO model_activity VALUES(2,'M1',3,NULL,150,'','8');
CREATE INDEX runs_by_tenant ON runs (tenant, id);
CREATE INDEX workspace_versions_current ON workspace_versions (tenant) WHERE until_run IS NULL;
CREATE INDEX model_versions_current ON model_versions (tenant) WHERE until_run IS NULL;
CREATE INDEX model_activity_current ON model_activity (tenant) WHERE until_run IS NULL;
COMMIT;
PRAGMA user_version = 1;
