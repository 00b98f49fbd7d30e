"""The chunked report on a Dask cluster: one task per chunk of stations, the same output.

Each task runs :func:`hazeguard.aqi.stream.run_chunk` — read the chunk's files, the in-memory
report, write ``part-NNNNN.parquet`` — on a worker, so the input dataset and the output
directory must be at the same path on every machine (a shared file system: NFS, CephFS, a
mounted object store). Needs the ``distributed`` extra: ``pip install hazeguard[distributed]``.
"""

from __future__ import annotations

from pathlib import Path

from hazeguard.aqi.stream import ChunkSource, ReportOptions, check_disjoint, run_chunk

__all__ = ["distributed_report"]


def distributed_report(
    source: ChunkSource, options: ReportOptions, directory: str | Path, scheduler: str
) -> int:
    """Run every chunk as a task on the Dask scheduler at ``scheduler``; rows written.

    ``scheduler`` is an address (``tcp://10.0.0.5:8786``). The output is the files that
    :func:`hazeguard.aqi.stream.stream_report` writes, chunk for chunk.

    Raises
    ------
    ImportError
        When dask.distributed is not installed (the message says how to install it).
    ValueError
        When a station appears in two chunks.
    """
    try:
        from distributed import Client
    except ImportError as error:
        raise ImportError("--scheduler needs Dask: pip install 'hazeguard[distributed]'") from error
    directory = Path(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("part-*.parquet"):
        stale.unlink()
    with Client(scheduler) as client:  # type: ignore[no-untyped-call]
        futures = [
            client.submit(
                run_chunk,
                source.read,
                chunk,
                number,
                options,
                str(directory),
                key=f"hazeguard-aqi-chunk-{number:05d}",
                pure=False,
            )
            for number, chunk in enumerate(source.chunks)
        ]
        results = client.gather(futures)
    seen: dict[str, int] = {}
    rows = 0
    for number, (written, names) in enumerate(results):
        rows += written
        check_disjoint(seen, names, number, source.chunks)
    return int(rows)
