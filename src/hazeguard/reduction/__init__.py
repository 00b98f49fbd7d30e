"""The emission-reduction list: enterprises, units, measures, rule tables, accounting and checks."""
