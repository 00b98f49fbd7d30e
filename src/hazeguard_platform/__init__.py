"""HazeGuard's platform: the Django application that runs a plan with people, time and workflow.

It sits on top of the framework-free core (``hazeguard``) and asks it for every domain answer;
the core never imports this package (ARCHITECTURE.md).
"""
