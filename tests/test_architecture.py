"""The architecture is checked, not only described (../shared/DESIGN.md, Layout): the
import-linter contracts in .importlinter hold, no import cycle exists between modules or between
apps, and only repositories work the DynamoDB table."""

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "videos", "pets", "search", "community", "notifications", "shorts"]
# The project package is two things: the base every app builds on, and the root that wires the
# apps together (URLs, the embedded AWS, provisioning, commands). Each is its own node below.
PROJECT_ROOT_MODULES = ("pettube.urls", "pettube.local_aws", "pettube.bootstrap", "pettube.health",
                        "pettube.management", "pettube.wsgi", "pettube.lambda_web")
# Where DynamoDB's table, transactions and wire format may appear: the shared helper, each app's
# repositories and videos' item format.
REPOSITORIES = {"pettube/dynamo.py", "videos/items.py", "videos/repository.py", "videos/upload_starts.py",
                "videos/encoding_jobs.py", "pets/repository.py", "search/repository.py",
                "notifications/repository.py", "shorts/repository.py", *(f"community/repositories/{path.name}"
                                                  for path in (ROOT / "community/repositories").glob("*.py"))}
TABLE_WORK = {"transact", "client", "get", "get_many", "query_page", "query_all", "put_item", "update_item",
              "delete_item", "put_action", "delete_action", "key", "s", "n", "epoch"}
WIRE_TYPES = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "BOOL", "NULL"}


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("pettube", *APPS)


def test_the_import_linter_contracts_hold():
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_module_is_part_of_an_import_cycle(graph):
    cycles = [component for component in _strongly_connected(_module_edges(graph)) if len(component) > 1]
    assert cycles == []


def test_no_two_apps_import_each_other(graph):
    edges: dict[str, set[str]] = {}
    for importer, imported in ((module, target) for module, targets in _module_edges(graph).items()
                               for target in targets):
        edges.setdefault(_app(importer), set()).add(_app(imported))
    cycles = [component for component in _strongly_connected(edges) if len(component) > 1]
    assert cycles == []
    assert edges["videos"] <= {"videos", "pettube"}  # the apps that list videos register with it


def test_only_repositories_work_the_table():
    """No transaction, client, item key or `{"S": ...}` attribute value outside the repositories."""
    found = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.split("/")[0] not in {"pettube", *APPS} or relative in REPOSITORIES or "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text(), relative)):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "dynamo"
                    and node.attr in TABLE_WORK):
                found.append(f"{relative}:{node.lineno} dynamo.{node.attr}")
            if (isinstance(node, ast.Dict) and len(node.keys) == 1 and isinstance(node.keys[0], ast.Constant)
                    and node.keys[0].value in WIRE_TYPES):
                found.append(f"{relative}:{node.lineno} {{{node.keys[0].value!r}: ...}}")
            if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value == "dynamodb"):
                found.append(f"{relative}:{node.lineno} a DynamoDB client")
    assert found == []


def _module_edges(graph) -> dict[str, set[str]]:
    return {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}


def _app(module: str) -> str:
    if module.startswith(PROJECT_ROOT_MODULES):
        return "pettube (root)"
    return module.split(".")[0]


def _strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iteratively: the strongly connected components of a directed graph."""
    index, low, on_stack, stack, components, counter = {}, {}, set(), [], [], 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(edges.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    components.append(component)
    return components
