-- The registry's history: one row per run, and for workspaces and models
-- only what changed. A model's identity and classification (name, workspace,
-- state, environment, family, ALM status) live in model_versions, one row per
-- distinct value over time; its activity (size, last modified, save serial
-- number), which changes far more often, lives in model_activity, one row per
-- change. A value holds from its first_run up to, not including, its
-- until_run; until_run is NULL while it is current.
--
-- Read it with the sqlite3 command, e.g. the models as of the latest run:
--
--   SELECT v.model_id, v.name, v.environment, a.memory_usage
--   FROM model_versions v JOIN model_activity a USING (tenant, model_id)
--   WHERE v.until_run IS NULL AND a.until_run IS NULL;

CREATE TABLE IF NOT EXISTS runs (
	id         INTEGER PRIMARY KEY,  -- increasing: a later run has a larger id
	tenant     TEXT    NOT NULL,     -- API host and user the run read
	taken_at   TEXT    NOT NULL,     -- RFC 3339, UTC
	workspaces INTEGER NOT NULL,
	models     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_tenant ON runs (tenant, id);

CREATE TABLE IF NOT EXISTS workspace_versions (
	tenant         TEXT    NOT NULL,
	workspace_id   TEXT    NOT NULL,
	first_run      INTEGER NOT NULL REFERENCES runs (id),
	until_run      INTEGER REFERENCES runs (id),
	name           TEXT    NOT NULL,
	active         INTEGER NOT NULL,  -- 0 or 1
	size_allowance INTEGER NOT NULL,  -- bytes; 0 when Anaplan did not say
	current_size   INTEGER NOT NULL,  -- bytes
	PRIMARY KEY (tenant, workspace_id, first_run)
);
CREATE INDEX IF NOT EXISTS workspace_versions_current ON workspace_versions (tenant, until_run);

CREATE TABLE IF NOT EXISTS model_versions (
	tenant           TEXT    NOT NULL,
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
);
CREATE INDEX IF NOT EXISTS model_versions_current ON model_versions (tenant, until_run);

CREATE TABLE IF NOT EXISTS model_activity (
	tenant            TEXT    NOT NULL,
	model_id          TEXT    NOT NULL,
	first_run         INTEGER NOT NULL REFERENCES runs (id),
	until_run         INTEGER REFERENCES runs (id),
	memory_usage      INTEGER NOT NULL,  -- bytes
	last_modified     TEXT    NOT NULL,  -- RFC 3339 or empty
	last_saved_serial INTEGER NOT NULL,
	PRIMARY KEY (tenant, model_id, first_run)
);
CREATE INDEX IF NOT EXISTS model_activity_current ON model_activity (tenant, until_run);
