"""Convert sd-jwt-python's YAML test specifications (custom `!sd` tag) to JSON.

Run once, outside the lerwallet venv (needs PyYAML):
    python convert.py /path/to/sd-jwt-python   # writes <case>.json files next to this script
Encoding of the `!sd` tag in the JSON: a selectively disclosable object member becomes the key
"!sd <name>"; a selectively disclosable array element (or value) becomes {"!sd": value}.
"""

import json
import sys
from pathlib import Path

import yaml


class SD:
    def __init__(self, value):
        self.value = value

    def __hash__(self):
        return hash(("sd", self.value))

    def __eq__(self, other):
        return isinstance(other, SD) and other.value == self.value


def _construct(loader, node):
    if isinstance(node, yaml.ScalarNode):  # keep YAML's implicit typing (42, true, null) for plain scalars
        tag = loader.resolve(yaml.ScalarNode, node.value, (node.style is None, False))
        return SD(loader.construct_object(yaml.ScalarNode(tag, node.value, style=node.style)))
    if isinstance(node, yaml.SequenceNode):
        return SD(loader.construct_sequence(node, deep=True))
    return SD(loader.construct_mapping(node, deep=True))


class Loader(yaml.SafeLoader):
    pass


Loader.add_constructor("!sd", _construct)


def to_json(value):
    if isinstance(value, SD):
        return {"!sd": to_json(value.value)}
    if isinstance(value, dict):
        return {("!sd " + k.value if isinstance(k, SD) else str(k)): to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def main(root: Path) -> None:
    out = Path(__file__).parent
    for folder in ("tests/testcases", "examples"):
        for spec in sorted((root / folder).glob("*/specification.yml")):
            data = yaml.load(spec.read_text(encoding="utf-8"), Loader=Loader)
            name = f"{folder.split('/')[0]}-{spec.parent.name}.json"
            (out / name).write_text(json.dumps(to_json(data), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        settings = yaml.safe_load((root / folder / "settings.yml").read_text(encoding="utf-8"))
        (out / f"{folder.split('/')[0]}-settings.json").write_text(json.dumps(settings, indent=1) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
