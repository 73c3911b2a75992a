"""Ingest: corpus/ -> the graph store and the search index (see ingest.pipeline).

spaCy's thinc imports PyTorch when it is installed (`thinc.compat`), which costs seconds and
hundreds of MB in every process that parses a text, for nothing: the rules use a blank English
pipeline and an entity ruler, never a neural layer. So while `thinc.compat` is first imported,
`import torch` fails there (thinc then runs without it), unless PyTorch is already loaded in this
process. Nothing else is changed: PyTorch can still be imported afterwards (ingest's passage
encoder runs on ONNX Runtime and needs it only to make its graph once: common.embedding).
"""
import importlib.abc
import importlib.machinery
import sys


class _ThincWithoutTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "thinc.compat":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        run = loader.exec_module

        def exec_module(module):
            if "torch" in sys.modules:
                return run(module)
            sys.modules["torch"] = None     # `import torch` raises ImportError while thinc.compat runs
            try:
                return run(module)
            finally:
                if sys.modules.get("torch", 0) is None:
                    del sys.modules["torch"]

        loader.exec_module = exec_module
        return spec


if not any(isinstance(finder, _ThincWithoutTorch) for finder in sys.meta_path):
    sys.meta_path.insert(0, _ThincWithoutTorch())
