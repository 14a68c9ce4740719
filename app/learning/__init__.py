"""The learning workspace: prompt library, first steps, feedback, the team board, model comparison."""
