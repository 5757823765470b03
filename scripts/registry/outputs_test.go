package main

// outputFiles is what a run leaves in -out: the five CSVs (workspaces,
// models, registry, families, hygiene) and the ALM cache.
const outputFiles = 6
