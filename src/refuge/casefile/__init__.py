"""Reading and writing case files (YAML or JSON) in the format of ``case-format.md``.

The format is a public interface: errors name the file, the line and the key, and say what is
allowed; unknown keys are errors, never silently dropped.
"""

from refuge.casefile.dump import case_to_data, dump_json, dump_yaml
from refuge.casefile.load import load_case_file, parse_case

__all__ = ["case_to_data", "dump_json", "dump_yaml", "load_case_file", "parse_case"]
