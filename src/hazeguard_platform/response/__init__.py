"""The response to a warning (应急响应): what the apps do when a warning is issued, adjusted or
lifted. It sits above ``warnings``, ``operations``, ``enterprises`` and ``notices``, which never
import it (tests/platform/project/test_import_layers.py)."""
