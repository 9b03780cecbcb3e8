"""星火计划 and 创作者成长 / growth: MCN S/A/B grading, resources per tier, growth programmes and the honest
measurement of their effect."""
