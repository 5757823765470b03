package main

// outputFiles is what a run leaves in -out: the five CSVs (workspaces,
// models, registry, families, hygiene) and the history database.
const outputFiles = 6
