"""Run in a fresh interpreter by the pytest plugin: import one wrapper and report.

This file is never imported by flake8-coordination itself. Its source is passed to
``python -B -W always -c`` with two arguments: a JSON spec and the path to write the
JSON result to. Standard library only, Python 3.9+.

Spec: ``{"module": str, "paths": [str], "names": [[old, new_module, new_name], ...]}``.
Result: ``{"file", "via", "parent": {"error", "warnings"}, "error", "warnings", "names", "missing"}``
where an error is ``{"type", "message", "name"}`` and a warning is
``{"category", "mro", "message", "filename", "lineno"}``.
"""
import importlib
import json
import os
import sys
import warnings


def _error(exc):
    tb, where = exc.__traceback__, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.startswith("<"):
            where = "%s:%d" % (filename, tb.tb_lineno)
        tb = tb.tb_next
    return {
        "type": type(exc).__name__,
        "message": str(exc),
        "name": getattr(exc, "name", None) if isinstance(exc, ImportError) else None,
        "where": where,
    }


def _warning(item):
    return {
        "category": item.category.__name__,
        "mro": [klass.__name__ for klass in item.category.__mro__],
        "message": str(item.message),
        "filename": item.filename,
        "lineno": item.lineno,
    }


def _recorded(action):
    """(value, error, warnings) of *action* with every warning recorded."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value, error = action(), None
        except BaseException as exc:  # user code may raise anything, even SystemExit
            value, error = None, _error(exc)
    return value, error, [_warning(item) for item in caught]


class _MissingRecorder:
    """Last on ``sys.meta_path``: sees every top-level module no finder could find that
    the project's own code (a file under one of *roots*) tried to import, including
    those whose ImportError it caught (optional dependencies)."""

    def __init__(self, roots):
        self.roots = tuple(os.path.join(os.path.abspath(root), "") for root in roots)
        self.names = []

    def find_spec(self, name, path=None, target=None):
        if path is None and name not in self.names and self._from_project():
            self.names.append(name)
        return None

    def _from_project(self):
        frame = sys._getframe(2)
        while frame is not None:
            filename = frame.f_code.co_filename
            if not filename.startswith("<") and "importlib" not in filename:
                return os.path.abspath(filename).startswith(self.roots)
            frame = frame.f_back
        return False


def _describe(obj):
    module = getattr(obj, "__module__", None)
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if module and name:
        return "%s.%s (%s)" % (module, name, type(obj).__name__)
    return "%s instance" % type(obj).__name__


def main(spec_text, out_path):
    spec = json.loads(spec_text)
    if sys.path and sys.path[0] == "":
        del sys.path[0]
    sys.path[:0] = spec["paths"]
    module = spec["module"]
    parent, _, leaf = module.rpartition(".")
    result = {"file": None, "via": "import", "parent": None, "error": None, "warnings": [], "names": {},
              "missing": []}
    recorder = _MissingRecorder(spec["paths"])
    sys.meta_path.append(recorder)
    result["missing"] = recorder.names  # filled in as imports happen

    # 1. the parent package on its own, so that only the wrapper's own warnings count
    if parent:
        _, error, caught = _recorded(lambda: importlib.import_module(parent))
        result["parent"] = {"error": error, "warnings": caught}
        if error is not None:
            return _write(out_path, result)
        if module in sys.modules:  # the package imports the wrapper eagerly: run it again alone
            del sys.modules[module]

    # 2. the wrapper itself: a module, or an attribute of its package (module __getattr__)
    wrapper, error, caught = _recorded(lambda: importlib.import_module(module))
    if error is not None and error["type"] == "ModuleNotFoundError" and error["name"] == module and parent:
        def from_parent():
            return getattr(sys.modules[parent], leaf)

        wrapper, attr_error, more = _recorded(from_parent)
        caught += more
        if attr_error is None:
            error, result["via"] = None, "attribute"
    result["error"], result["warnings"] = error, caught
    if error is not None:
        return _write(out_path, result)
    result["file"] = getattr(wrapper, "__file__", None)

    # 3. moved names: present at the new location, and the very same object in the wrapper
    for old, new_module, new_name in spec["names"]:
        entry = {"old": None, "new": None, "same": False, "error": None}
        old_obj, old_error, _ = _recorded(lambda old=old: getattr(wrapper, old))
        if old_error is None:
            entry["old"] = _describe(old_obj)
        target, new_error, _ = _recorded(lambda name=new_module: importlib.import_module(name))
        if new_error is not None:
            entry["error"] = new_error
        else:
            new_obj, missing, _ = _recorded(lambda target=target, name=new_name: getattr(target, name))
            if missing is None:
                entry["new"] = _describe(new_obj)
                entry["same"] = old_error is None and old_obj is new_obj
        result["names"][old] = entry
    return _write(out_path, result)


def _write(out_path, result):
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # do not wait for threads the imported code may have started


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
