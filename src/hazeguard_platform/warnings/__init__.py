"""The warning lifecycle: propose → approve → issue → in force → adjust → lift → ended."""
