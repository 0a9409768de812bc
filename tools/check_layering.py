#!/usr/bin/env python3
"""Enforce cathodelab's module layering (ARCHITECTURE.md section 2).

Each module declares itself in src/<module>/CMakeLists.txt as
    cathodelab_module(<name> LEVEL <n> DEPENDS <a> <b> ...)
This check fails when
  * a file of module M (include/cathodelab/M/**, src/M/**) includes "cathodelab/X/..." where X is
    neither M nor a declared dependency of M;
  * a declared dependency does not sit on a strictly lower level;
  * a private header (src/**) is included from a public header.
Exit code 0 when clean, 1 with one line per violation otherwise.
Usage: check_layering.py [ROOT]
"""
import pathlib
import re
import sys

DECL = re.compile(r"cathodelab_module\(\s*(\w+)(.*?)\)", re.S)
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]cathodelab/(\w+)/([^">]+)[">]', re.M)
PRIVATE_INCLUDE = re.compile(r'^\s*#\s*include\s*"(src/|\.\./)', re.M)
SOURCE_SUFFIXES = {".hpp", ".cpp", ".h", ".cc", ".inl"}


def read_declarations(root):
    modules = {}
    for cmake in sorted((root / "src").glob("*/CMakeLists.txt")):
        text = cmake.read_text()
        match = DECL.search(text)
        if not match:
            continue
        name, rest = match.group(1), match.group(2)
        level = re.search(r"LEVEL\s+(\d+)", rest)
        deps = re.search(r"DEPENDS((?:\s+\w+)+?)(?:\s+(?:PRIVATE_LIBS|PUBLIC_LIBS|LEVEL)\b|\s*$)", rest)
        modules[name] = {
            "level": int(level.group(1)) if level else None,
            "depends": deps.group(1).split() if deps else [],
            "file": cmake,
        }
    return modules


def module_files(root, name):
    for base in (root / "include" / "cathodelab" / name, root / "src" / name):
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.suffix in SOURCE_SUFFIXES:
                    yield path


def check(root):
    problems = []
    modules = read_declarations(root)
    for name, info in modules.items():
        if info["level"] is None:
            problems.append(f"{info['file']}: module '{name}' declares no LEVEL")
            continue
        for dep in info["depends"]:
            if dep not in modules:
                problems.append(f"{info['file']}: module '{name}' depends on unknown module '{dep}'")
            elif modules[dep]["level"] is not None and modules[dep]["level"] >= info["level"]:
                problems.append(
                    f"{info['file']}: module '{name}' (level {info['level']}) depends on "
                    f"'{dep}' (level {modules[dep]['level']}); dependencies must point to lower levels")
        allowed = set(info["depends"]) | {name}
        for path in module_files(root, name):
            text = path.read_text(errors="replace")
            for match in INCLUDE.finditer(text):
                target = match.group(1)
                if target not in allowed:
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(
                        f"{path.relative_to(root)}:{line}: module '{name}' includes "
                        f"'cathodelab/{target}/{match.group(2)}' but does not declare DEPENDS {target}")
            if "include" in path.relative_to(root).parts[:1]:
                for match in PRIVATE_INCLUDE.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(f"{path.relative_to(root)}:{line}: public header includes a private header")
    return modules, problems


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    modules, problems = check(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"layering check: {len(problems)} violation(s)")
        return 1
    print(f"layering check: {len(modules)} modules clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
