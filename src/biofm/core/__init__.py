"""What every other part stands on: errors, typed config, atomic file io, tables, the run folder, progress."""
