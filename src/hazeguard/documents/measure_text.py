"""Chinese wording of a structured measure, as the site sign and site plan print it."""

from __future__ import annotations

from hazeguard.reduction.entry import label
from hazeguard.reduction.model import EmissionStage, Enterprise, Measure, MeasureKind


def describe(measure: Measure, enterprise: Enterprise) -> str:
    """One measure in the plans' own phrasing, e.g. "1号熟料生产线限产20%"."""
    scope = _scope(measure, enterprise)
    unit = _capacity_unit(measure, enterprise)
    pct = f"{(measure.fraction or 0.0) * 100:g}%"
    match measure.kind:
        case MeasureKind.STOP:
            return f"{scope}停产"
        case MeasureKind.LIMIT:
            return f"{scope}限产{pct}"
        case MeasureKind.STOP_LINES:
            return f"{scope}停产（以生产线计，不低于产能的{pct}）"
        case MeasureKind.FEED_CAP:
            before = "" if measure.base_amount is None else f"由{measure.base_amount:g}{unit}"
            return f"{scope}投料量{before}降至{measure.amount:g}{unit}及以下"
        case MeasureKind.EXTEND_COKING:
            return f"结焦时间由{measure.base_amount:g}小时延长至{measure.amount:g}小时"
        case MeasureKind.ROTATE:
            return f"{scope}轮流停产：第{measure.batch}批（共{measure.batches}批）"
        case MeasureKind.TRUCK_BAN:
            if measure.truck_stage is EmissionStage.CHINA_6:
                return "停止公路运输"
            stage = label(measure.truck_stage) if measure.truck_stage else "国四"
            return f"停止使用{stage}及以下重型载货车辆（含燃气）进行运输"
        case MeasureKind.LOAD_CAP:
            return f"{scope}以热（量）定产，生产负荷不超过{measure.amount:g}{unit}"
        case MeasureKind.VOLUNTARY:
            extra = f"（减排{pct}）" if measure.fraction else ""
            return f"自主采取减排措施{extra}"
        case MeasureKind.EXEMPT:
            return f"豁免：{measure.reason}"
    raise ValueError(f"no wording for {measure.kind}")  # pragma: no cover - enum is exhaustive


def _scope(measure: Measure, enterprise: Enterprise) -> str:
    if not measure.unit_ids:
        return "全厂"
    return "、".join(enterprise.unit(u).name for u in measure.unit_ids)


def _capacity_unit(measure: Measure, enterprise: Enterprise) -> str:
    units = {enterprise.unit(u).capacity_unit for u in measure.unit_ids}
    return units.pop().replace("t/d", "吨/天") if len(units) == 1 else ""
