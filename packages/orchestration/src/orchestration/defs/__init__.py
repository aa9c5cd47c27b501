"""Everything the code location defines, one concern per module (`load_from_defs_folder`)."""
