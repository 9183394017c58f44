"""The Joined Up analysis core: survey answers in, `joinedup.analysis/1` out.

Pure Python (numpy, pandas, scipy, networkx); nothing here imports Django.
The command line, the web app and the API all call these functions, so each
formula lives in exactly one place.
"""

from .dataset import Dataset
from .interchange import load_tables, read_files
from .problems import InputError, Problem, SettingsError
from .result import SCHEMA, SPEC_REVISION, analyse, to_json
from .settings import Settings

__all__ = [
    "SCHEMA",
    "SPEC_REVISION",
    "Dataset",
    "InputError",
    "Problem",
    "Settings",
    "SettingsError",
    "analyse",
    "load_tables",
    "read_files",
    "to_json",
]
