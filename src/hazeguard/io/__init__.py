"""Tables people hand to HazeGuard, read with errors that name the file, row and column."""
