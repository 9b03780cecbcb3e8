"""人群洞察 / audience insight: rule and discovered segments, crowd packs (人群包) under k-anonymity and
differential privacy, lookalike expansion (优选扩量) and pack targeting in 选品中心."""
