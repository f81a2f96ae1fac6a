import os
import sys

# test modules share helpers in tests/_helpers.py (pytest runs with --import-mode=importlib,
# which does not put this folder on sys.path by itself)
sys.path.insert(0, os.path.dirname(__file__))
